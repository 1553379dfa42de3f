"""Data retention: conversations idle longer than TRACKER_RETENTION_DAYS (default 90; 0 keeps everything) leave
Rasa's SQL tracker store, and orders unpaid longer than ORDER_EXPIRY_HOURS (default 48) are cancelled, giving
their stock back. The reminder scheduler runs this every hour; by hand:

    python -m bot.ops.retention [--days N]
"""
from __future__ import annotations

import argparse
import logging
import os
import time
from datetime import UTC, datetime, timedelta

from sqlalchemy import create_engine, text
from sqlalchemy.exc import SQLAlchemyError

from bot.db.uow import run_in_unit_of_work
from bot.orders.service import expire_orders
from bot.settings import PROJECT_ROOT

log = logging.getLogger("store.retention")
DELETE_IDLE = text("DELETE FROM events WHERE sender_id IN (SELECT sender_id FROM events GROUP BY sender_id "
                   "HAVING MAX(timestamp) < :cutoff)")


def tracker_db_url() -> str:
    """TRACKER_DB_URL, else the SQLite tracker store of endpoints.yml (var/tracker.db)."""
    return os.environ.get("TRACKER_DB_URL") or f"sqlite:///{PROJECT_ROOT / 'var' / 'tracker.db'}"


def retention_days() -> int:
    return int(os.environ.get("TRACKER_RETENTION_DAYS", "90"))


def purge_conversations(days: int, url: str | None = None, now: float | None = None) -> int:
    """Delete every conversation whose last event is older than `days`; returns the events deleted."""
    if days <= 0:
        return 0
    cutoff = (now or time.time()) - days * 86400
    engine = create_engine(url or tracker_db_url(), future=True)
    try:
        with engine.begin() as connection:
            return connection.execute(DELETE_IDLE, {"cutoff": cutoff}).rowcount or 0
    except SQLAlchemyError as exc:  # no tracker store yet (Rasa never ran) or another store type
        log.warning("tracker retention skipped: %s", exc.__class__.__name__)
        return 0
    finally:
        engine.dispose()


def run_once(days: int | None = None) -> dict[str, int]:
    hours = float(os.environ.get("ORDER_EXPIRY_HOURS", "48"))
    expired = run_in_unit_of_work(expire_orders, datetime.now(UTC) - timedelta(hours=hours))
    purged = purge_conversations(retention_days() if days is None else days)
    if expired or purged:
        log.info("retention: %d unpaid order(s) expired, %d tracker event(s) deleted", expired, purged)
    return {"orders_expired": expired, "events_deleted": purged}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--days", type=int, default=None, help="default: TRACKER_RETENTION_DAYS (90)")
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    print(run_once(parser.parse_args().days))


if __name__ == "__main__":
    main()
