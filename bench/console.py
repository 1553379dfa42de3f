"""The manager console at store scale: importing 10,000 products and 100,000 orders, and the overview on 100,000
conversations.

Builds a throw-away SQLite database, writes the two CSV files, times the dry run and the applied import of each
(what the console's 预览 / 导入 buttons run, co-purchase mining included), optionally the same files uploaded
over HTTP to a running web app (`--url`, `--token`), then seeds 100,000 conversations with handoffs, fallbacks,
suggestions and first-response times and times `build_overview` + charts (the /manager page's work) over 30 days.

    PYTHONPATH=. .venv/bin/python -m bench.console [--products 10000] [--orders 100000] [--conversations 100000]
"""
from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path


def timed(fn, *args, **kwargs):
    started = time.perf_counter()
    result = fn(*args, **kwargs)
    return result, round(time.perf_counter() - started, 2)


def seed_conversations(n: int, days: int = 30) -> None:
    """n conversations over `days` days: 20% handed over, 8% fallbacks, suggestions on a third."""
    from sqlalchemy import insert

    from bot.db.models import ConversationMetric, Handoff, UnansweredQuestion
    from bot.db.uow import UnitOfWork
    from bot.recommendations.tables import SuggestionEvent

    rng = random.Random(11)
    end = datetime.now(UTC)
    metrics, handoffs, unanswered, events = [], [], [], []
    for i in range(n):
        cid, at = f"bench-chat-{i:06d}", end - timedelta(seconds=rng.uniform(0, days * 86400))
        metrics.append({"conversation_id": cid, "first_message_at": at, "first_response_seconds": rng.expovariate(1),
                        "nudges_sent": 0, "holding_messages": 0})
        if i % 5 == 0:
            handoffs.append({"conversation_id": cid, "reason": rng.choice(("requested", "not_understood", "complaint")),
                             "summary": {}, "created_at": at})
        if i % 12 == 0:
            unanswered.append({"conversation_id": cid, "text": "问题", "reason": "fallback", "context": {},
                               "created_at": at})
        if i % 3 == 0:
            kind = rng.choice(("substitute", "complementary", "latent", "scene", "bundle"))
            events += [{"conversation_id": cid, "sku": "SAMPLE-00001", "kind": kind, "event": e, "created_at": at}
                       for e in (("shown", "accepted") if i % 9 == 0 else ("shown",))]
    with UnitOfWork() as uow:
        for model, rows in ((ConversationMetric, metrics), (Handoff, handoffs), (UnansweredQuestion, unanswered),
                            (SuggestionEvent, events)):
            for start in range(0, len(rows), 5000):
                uow.session.execute(insert(model.__table__), rows[start:start + 5000])
        uow.commit()


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--products", type=int, default=10_000)
    parser.add_argument("--orders", type=int, default=100_000)
    parser.add_argument("--conversations", type=int, default=100_000)
    parser.add_argument("--out", help="also write the JSON here")
    args = parser.parse_args(argv)
    folder = Path(tempfile.mkdtemp(prefix="bench-console-"))
    os.environ["DATABASE_URL"] = f"sqlite:///{folder / 'store.db'}"
    os.environ["STORE_DATA_DIR"] = str(folder / "store")
    import shutil

    from bot.settings import PROJECT_ROOT

    shutil.copytree(PROJECT_ROOT / "data" / "store", folder / "store")
    from bot.db.migrate import upgrade
    from bot.db.uow import run_in_unit_of_work as in_uow
    from bot.imports.samples import orders_csv, products_csv
    from bot.imports.service import import_orders, import_products
    from bot.metrics.charts import overview_charts
    from bot.metrics.overview import build_overview
    from bot.metrics.period import Period
    from bot.web.console.overview import overview_body

    upgrade()
    products, orders = products_csv(args.products), orders_csv(args.orders, args.products)
    result: dict = {"products": args.products, "orders": args.orders, "conversations": args.conversations,
                    "products_csv_mb": round(len(products) / 2**20, 2), "orders_csv_mb": round(len(orders) / 2**20, 2)}
    report, result["products_dry_run_s"] = timed(in_uow, import_products, products, "products.csv")
    report, result["products_import_s"] = timed(in_uow, import_products, products, "products.csv", apply=True)
    assert report.new == args.products and not report.rejected, report.as_json()
    _, result["products_reimport_s"] = timed(in_uow, import_products, products, "products.csv", apply=True)
    report, result["orders_dry_run_s"] = timed(in_uow, import_orders, orders, "orders.csv")
    report, result["orders_import_s"] = timed(in_uow, import_orders, orders, "orders.csv", apply=True)
    assert report.new == args.orders and not report.rejected, report.as_json()['rejected'][:3]
    result["order_lines"] = orders.count(b"\n") - 1
    _, result["seed_conversations_s"] = timed(seed_conversations, args.conversations)
    today = datetime.now(UTC).date()
    period = Period.of_days(today - timedelta(days=29), today, "UTC")
    overview, result["overview_figures_s"] = timed(in_uow, build_overview, period)
    charts, result["overview_charts_s"] = timed(overview_charts, overview)
    _, result["overview_html_s"] = timed(overview_body, overview, charts)
    result["overview_render_s"] = round(result["overview_figures_s"] + result["overview_charts_s"]
                                        + result["overview_html_s"], 2)
    result["overview_conversations_counted"] = overview.figures["conversations"]
    print(json.dumps(result, indent=2))
    if args.out:
        Path(args.out).write_text(json.dumps(result, indent=2), encoding="utf-8")
    return result


if __name__ == "__main__":
    sys.exit(0 if main() else 1)
