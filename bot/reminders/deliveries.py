"""Which script variant was sent for a tracked message; the NLG endpoint records it, the report reads it."""
from __future__ import annotations

import logging
from datetime import datetime, timezone

from sqlalchemy.exc import SQLAlchemyError

from bot.db.uow import UnitOfWork
from bot.reminders.repository import DeliveryRepository

log = logging.getLogger("store.reminders")


def record_delivery(track_id: str, response: str, variant: int | str, text: str,
                    now: datetime | None = None) -> bool:
    """Store (track_id, response, variant, text). Never raises: measuring must not break a reply."""
    if not track_id:
        return False
    try:
        with UnitOfWork() as uow:
            DeliveryRepository(uow.session).add(str(track_id)[:64], str(response)[:100], str(variant)[:64],
                                                text or "", now or datetime.now(timezone.utc))
            uow.commit()
        return True
    except SQLAlchemyError as exc:
        log.error("could not record the delivery of %s: %s", track_id, exc)
        return False
