"""Which script variant was sent for a tracked message; the NLG endpoint records it, the report reads it.

The NLG handler (bot/web/app.py) calls, after rendering:
    if track_id_of(body):
        await in_worker(record_rendered, body, rendered)
"""
from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.exc import SQLAlchemyError

from bot.db.uow import AbstractUnitOfWork
from bot.scripts.render import Rendered

log = logging.getLogger("store.reminders")


def record_delivery(uow: AbstractUnitOfWork, track_id: str, response: str, variant: int | str, text: str,
                    now: datetime | None = None) -> bool:
    """Store (track_id, response, variant, text). Never raises: measuring must not break a reply."""
    if not track_id:
        return False
    try:
        uow.deliveries.add(str(track_id)[:64], str(response)[:100], str(variant)[:64],
                           text or "", now or datetime.now(UTC))
        uow.commit()
        return True
    except SQLAlchemyError as exc:
        uow.rollback()
        log.error("could not record the delivery of %s: %s", track_id, exc)
        return False


def track_id_of(nlg_body: dict[str, Any]) -> str | None:
    """The `track_id` argument of an NLG request (set by the reminder actions), if any."""
    value = (nlg_body.get("arguments") or {}).get("track_id")
    return str(value) if value else None


def record_rendered(uow: AbstractUnitOfWork, nlg_body: dict[str, Any], rendered: Rendered) -> bool:
    """What the NLG endpoint calls after rendering a tracked response (see the module docstring)."""
    track_id = track_id_of(nlg_body)
    if track_id is None:
        return False
    return record_delivery(uow, track_id, rendered.response, rendered.variant, rendered.text)
