"""Co-purchase mining on a large store: one million generated orders by default.

Streams `bot.catalog.history.generate_orders_bulk` baskets into the miner (no database) and prints JSON with
the time, the peak RSS of the process and how many of the planted pairs were recovered. `--through-db` also
loads the orders into a temporary SQLite database and times the `mine` command's path (read, mine, store).

    PYTHONPATH=. .venv/bin/python -m bench.mining [--orders 1000000] [--skus 10000] [--through-db] [--out FILE]
"""
from __future__ import annotations

import argparse
import json
import resource
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

from bot.catalog.history import generate_orders_bulk, planted_pairs
from bot.recommendations.mining import MiningConfig, mine_baskets


def peak_rss_mb() -> float:
    kilobytes = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return round(kilobytes / (1024 * 1024 if sys.platform == "darwin" else 1024), 1)


def recovered(result, skus: list[str], seed: int) -> dict[str, float]:
    planted = {frozenset(pair) for pair in planted_pairs(skus, seed)}
    found = {frozenset((r.sku_a, r.sku_b)) for r in result.rules()}
    hits = len(planted & found)
    return {"planted_pairs": len(planted), "recall": round(hits / max(len(planted), 1), 4),
            "precision": round(hits / max(len(found), 1), 4)}


def through_db(skus: list[str], orders: int, seed: int, config: MiningConfig) -> dict[str, float]:
    """Load the orders into a temporary SQLite database, then time `recompute` (what the command runs)."""
    from bot.db.engine import get_session_factory
    from bot.db.migrate import upgrade
    from bot.db.uow import UnitOfWork
    from bot.recommendations.mining import recompute

    path = Path(tempfile.mkdtemp(prefix="bench-mining-")) / "bench.db"
    url = f"sqlite:///{path}"
    upgrade(url)
    started = time.perf_counter()
    with sqlite3.connect(path) as db:
        db.execute("INSERT INTO customers (id, created_at) VALUES ('bench', '2026-01-01 00:00:00')")
        db.executemany("INSERT INTO products (sku, name, category, price, floor_price, stock, attributes, scenes,"
                       " aliases, description, image, updated_at) VALUES (?, ?, 'bench', 10, 8, 1, '{}', '[]',"
                       " '[]', '', '', '2026-01-01 00:00:00')", ((s, s) for s in skus))
        batch_orders, batch_lines = [], []
        for order_id, basket in generate_orders_bulk(skus, orders, seed):
            batch_orders.append((order_id,))
            batch_lines.extend((order_id, sku) for sku in basket)
            if len(batch_orders) >= 100_000:
                _insert(db, batch_orders, batch_lines)
                batch_orders, batch_lines = [], []
        _insert(db, batch_orders, batch_lines)
    loaded = time.perf_counter() - started
    started = time.perf_counter()
    with UnitOfWork(get_session_factory(url)) as uow:
        result = recompute(uow, config)
    seconds = time.perf_counter() - started
    path.unlink(missing_ok=True)
    return {"load_seconds": round(loaded, 2), "recompute_seconds": round(seconds, 2), "rules_stored": len(result)}


def _insert(db: sqlite3.Connection, orders: list, lines: list) -> None:
    db.executemany("INSERT INTO orders (id, customer_id, agent_id, status, total, created_at) "
                   "VALUES (?, 'bench', '', 'delivered', 10, '2026-01-01 00:00:00')", orders)
    db.executemany("INSERT INTO order_lines (order_id, sku, qty, unit_price) VALUES (?, ?, 1, 10)", lines)


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--orders", type=int, default=1_000_000)
    parser.add_argument("--skus", type=int, default=10_000, help="catalog size (synthetic SKUs)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--min-support", type=int, default=20)
    parser.add_argument("--min-confidence", type=float, default=0.05)
    parser.add_argument("--min-lift", type=float, default=2.0)
    parser.add_argument("--through-db", action="store_true", help="also time the database path of the command")
    parser.add_argument("--out", type=Path, help="also write the JSON to this file (e.g. results/mining.json)")
    args = parser.parse_args(argv)
    baseline_rss = peak_rss_mb()
    skus = [f"SKU-{i:06d}" for i in range(args.skus)]
    config = MiningConfig(min_support=args.min_support, min_confidence=args.min_confidence, min_lift=args.min_lift)

    started = time.perf_counter()
    for _ in generate_orders_bulk(skus, args.orders, args.seed):
        pass
    generate_seconds = time.perf_counter() - started

    started = time.perf_counter()
    result = mine_baskets((basket for _, basket in generate_orders_bulk(skus, args.orders, args.seed)), config)
    seconds = time.perf_counter() - started
    report = {
        "orders": result.orders, "skus": args.skus, "distinct_pairs": result.pairs, "rules": len(result),
        "seconds": round(seconds, 2),                       # generating and mining, streamed together
        "generate_only_seconds": round(generate_seconds, 2),
        "mine_only_seconds": round(seconds - generate_seconds, 2),
        "peak_rss_mb": peak_rss_mb(),
        "baseline_rss_mb": baseline_rss,                    # after imports, before generating or mining
        **recovered(result, skus, args.seed),
    }
    if args.through_db:
        report["through_db"] = through_db(skus, args.orders, args.seed, config)
        report["peak_rss_mb_after_db"] = peak_rss_mb()
    print(json.dumps(report))
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    return report


if __name__ == "__main__":
    main()
