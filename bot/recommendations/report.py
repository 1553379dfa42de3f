"""Print the suggestion report: `python -m bot.recommendations.report [--json] [--days N]`.

Suggestions shown / accepted / declined by type, items per order and AOV of paid orders with and without an
accepted suggestion, and the store's current AOV with the bundle price band managers should aim for.
"""
from __future__ import annotations

import argparse
import json
from datetime import UTC, datetime, timedelta

from bot.db.uow import UnitOfWork
from bot.recommendations.bundles import load_bundle_config, store_aov
from bot.recommendations.metrics import report


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    parser.add_argument("--days", type=int, default=None, help="only events and orders of the last N days")
    args = parser.parse_args(argv)
    since = datetime.now(UTC) - timedelta(days=args.days) if args.days else None
    config = load_bundle_config()
    with UnitOfWork() as uow:          # the command's one unit of work
        result = report(uow, since)
        aov = store_aov(uow, days=config.days)
    band = [round(aov * config.band[0], 2), round(aov * config.band[1], 2)] if aov else None
    if args.json:
        print(json.dumps({**result.as_dict(), "store_aov": aov, "bundle_band": band}, ensure_ascii=False, indent=2))
        return
    print(result.table())
    if aov and band:
        print(f"\nAOV of the last {config.days} days: {aov:.2f}; bundle prices belong in {band[0]:.2f}-{band[1]:.2f}")


if __name__ == "__main__":
    main()
