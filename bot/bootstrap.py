"""The composition root: what each process (web app, action server, reminder scheduler) builds once at start.

    services = bootstrap()                       # settings, database, unit-of-work factory, script library
    app = create_app(services)                   # the web app; the action server and the scheduler likewise

Everything below gets these passed in: boundaries open their unit of work with `services.unit_of_work`
(`bot/db/scope.py`), handlers word replies with `services.library`, and manager-edited store files are read
through `services.store` (reloaded on change). Tests build their own: `bootstrap(unit_of_work=FakeUnitOfWork)`.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from bot.db.scope import use_units_of_work
from bot.db.uow import AbstractUnitOfWork
from bot.scripts.live import LiveLibrary
from bot.settings import Settings, get_settings
from bot.store.config import StoreConfig, load_store


@dataclass(frozen=True)
class Services:
    settings: Settings
    unit_of_work: Callable[[], AbstractUnitOfWork] | None   # None: SQLAlchemy on the settings' DATABASE_URL
    library: LiveLibrary                          # the script library, hot-reloaded, last good version kept
    store: Callable[[], StoreConfig]              # store.yml as it is now


def bootstrap(settings: Settings | None = None, unit_of_work: Callable[[], AbstractUnitOfWork] | None = None,
              library: LiveLibrary | None = None) -> Services:
    """Build the process's shared parts once and make its boundaries use them."""
    settings = settings or get_settings()
    use_units_of_work(unit_of_work)
    return Services(settings, unit_of_work, library or LiveLibrary(settings.scripts_dir), load_store)
