"""Agent presence for tests: whether a human agent counts as online is state in the database."""
from __future__ import annotations

import shutil
from pathlib import Path

import yaml

from bot.db.uow import run_in_unit_of_work as in_uow


def set_agents_online(*usernames: str) -> None:
    """Exactly these agents are online now (none: every handoff becomes a left message)."""
    from bot.db.uow import UnitOfWork
    from bot.handoff import queue
    from bot.handoff.tables import AgentPresence

    with UnitOfWork() as uow:
        uow.session.query(AgentPresence).delete()
        uow.commit()
    for username in usernames:
        in_uow(queue.touch, username, username)


def all_day_store(source: Path, target: Path, **handoff: object) -> Path:
    """A copy of the store settings whose human service hours are all day (tests never depend on the clock)."""
    shutil.copytree(source, target, dirs_exist_ok=True)
    path = target / "store.yml"
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    section = document["store"].setdefault("handoff", {})
    section["service_hours"] = {"days": [1, 2, 3, 4, 5, 6, 7], "open": "00:00", "close": "24:00"}
    section.update(handoff)
    path.write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return target
