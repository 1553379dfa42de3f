"""Print the suggestion report: `python -m bot.recommendations.report [--json] [--days N]`."""
from __future__ import annotations

import argparse
import json
from datetime import datetime, timedelta, timezone

from bot.recommendations.metrics import report


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    parser.add_argument("--days", type=int, default=None, help="only events and orders of the last N days")
    args = parser.parse_args(argv)
    since = datetime.now(timezone.utc) - timedelta(days=args.days) if args.days else None
    result = report(since)
    if args.json:
        print(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
    else:
        print(result.table())


if __name__ == "__main__":
    main()
