"""`make db`: migrate the database to the newest schema and load the demo store on first run."""
from __future__ import annotations

import logging

from bot.catalog.seed import seed_demo_store
from bot.db.migrate import upgrade
from bot.settings import get_settings


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    settings = get_settings()
    upgrade()
    report = seed_demo_store(settings.store_data_dir, settings.demo_seed)
    state = "already loaded" if report.skipped else "loaded"
    logging.info("database %s ready; demo store %s: %d products, %d orders",
                 settings.database_url, state, report.products, report.orders)


if __name__ == "__main__":
    main()
