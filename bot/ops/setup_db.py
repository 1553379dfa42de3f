"""`make db`: migrate to the newest schema; on first run load the demo store (unless DEMO_STORE=0) and mine its
co-purchases."""
from __future__ import annotations

import logging

from bot.catalog.seed import SeedReport, seed_demo_store
from bot.db.migrate import upgrade
from bot.db.uow import UnitOfWork
from bot.recommendations.mining import recompute
from bot.settings import get_settings

log = logging.getLogger("store.setup")


def prepare_database() -> SeedReport:
    """Migrate, then load the demo store and mine co-purchases unless it was loaded before."""
    settings = get_settings()
    upgrade()
    if not settings.demo_store:   # a real store (DEMO_STORE=0) starts empty and imports its own data
        log.info("database %s ready; demo store not loaded (DEMO_STORE=0)", settings.database_url)
        return SeedReport(0, 0, 0, skipped=True)
    with UnitOfWork() as uow:          # the command's one unit of work
        report = seed_demo_store(uow, settings.store_data_dir, settings.demo_seed)
        state = "already loaded" if report.skipped else "loaded"
        log.info("database %s ready; demo store %s: %d products, %d orders",
                 settings.database_url, state, report.products, report.orders)
        if not report.skipped:
            mined = recompute(uow)
            log.info("co-purchases mined: %d rules from %d orders", len(mined), mined.orders)
    return report


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    prepare_database()


if __name__ == "__main__":
    main()
