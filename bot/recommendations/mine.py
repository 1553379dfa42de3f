"""Recompute the stored co-purchases from order history: `python -m bot.recommendations.mine [--json]`."""
from __future__ import annotations

import argparse
import json
import time

from bot.db.uow import UnitOfWork
from bot.recommendations.mining import MiningConfig, recompute


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    defaults = MiningConfig()
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--min-support", type=int, default=defaults.min_support,
                        help="orders holding both items (count)")
    parser.add_argument("--min-confidence", type=float, default=defaults.min_confidence)
    parser.add_argument("--min-lift", type=float, default=defaults.min_lift)
    parser.add_argument("--max-basket", type=int, default=defaults.max_basket)
    parser.add_argument("--json", action="store_true", help="print the summary as JSON")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> dict:
    args = parse_args(argv)
    config = MiningConfig(min_support=args.min_support, min_confidence=args.min_confidence,
                          min_lift=args.min_lift, max_basket=args.max_basket)
    started = time.perf_counter()
    with UnitOfWork() as uow:          # the command's one unit of work
        result = recompute(uow, config)
    summary = {"orders": result.orders, "items": result.items, "pairs": result.pairs, "rules": len(result),
               "seconds": round(time.perf_counter() - started, 3)}
    if args.json:
        print(json.dumps(summary))
    else:
        print(f"mined {summary['orders']} orders, {summary['items']} items, {summary['pairs']} pairs: "
              f"stored {summary['rules']} co-purchase rules in {summary['seconds']}s")
        for rule in sorted(result.rules(), key=lambda r: (-r.confidence, -r.lift))[:10]:
            print(f"  {rule.sku_a} -> {rule.sku_b}: support {rule.support:.4f}, "
                  f"confidence {rule.confidence:.3f}, lift {rule.lift:.2f}")
    return summary


if __name__ == "__main__":
    main()
