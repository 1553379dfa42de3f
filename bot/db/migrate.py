"""Run Alembic migrations programmatically (used by `make db` and the test fixtures)."""
from __future__ import annotations

from alembic import command
from alembic.config import Config

from bot.settings import PROJECT_ROOT


def upgrade(url: str | None = None) -> None:
    config = Config(str(PROJECT_ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(PROJECT_ROOT / "bot" / "db" / "migrations"))
    config.attributes["url"] = url
    command.upgrade(config, "head")
