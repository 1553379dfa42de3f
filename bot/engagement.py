"""Pacing of proactive messages within a chat: holding messages, silence nudges, first-response time."""
from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Sequence

from bot.db.uow import run_in_unit_of_work

if TYPE_CHECKING:
    from bot.db.uow import AbstractUnitOfWork

log = logging.getLogger("store.engagement")
QUESTION_MARKS = ("?", "？")
NO_NUDGE_INTENTS = {"complain", "return_refund", "request_human", "goodbye", "thank"}


def asks_question(messages: Sequence[dict[str, Any]]) -> bool:
    """Did the bot's last message of a turn ask the shopper something (a question or buttons)?"""
    if not messages:
        return False
    last = messages[-1]
    text = (last.get("text") or "").strip()
    return bool(last.get("buttons") or last.get("quick_replies")) or text.endswith(QUESTION_MARKS)


def should_nudge(nudges_sent: int, cap: int, latest_intent: str | None, handed_over: bool) -> bool:
    """One gentle nudge per silence, capped per conversation; never in complaints or after a handoff."""
    return nudges_sent < cap and latest_intent not in NO_NUDGE_INTENTS and not handed_over


def _record_first_response(uow: AbstractUnitOfWork, conversation_id: str, received_at: datetime,
                           seconds: float) -> None:
    metric = uow.metrics.get_or_create(conversation_id)
    if metric.first_response_seconds is None:
        metric.first_message_at, metric.first_response_seconds = received_at, seconds
        uow.commit()


def _count(uow: AbstractUnitOfWork, conversation_id: str, field: str) -> int:
    metric = uow.metrics.get_or_create(conversation_id)
    setattr(metric, field, (getattr(metric, field) or 0) + 1)
    uow.commit()
    return getattr(metric, field)


def count_nudge(uow: AbstractUnitOfWork, conversation_id: str) -> int:
    return _count(uow, conversation_id, "nudges_sent")


async def record_first_response(conversation_id: str, received_at: datetime, seconds: float) -> None:
    """For the channel (its own boundary): one unit of work in a worker thread."""
    await asyncio.to_thread(run_in_unit_of_work, _record_first_response, conversation_id, received_at, seconds)


async def count_holding_message(conversation_id: str) -> int:
    """For the channel (its own boundary): one unit of work in a worker thread."""
    return await asyncio.to_thread(run_in_unit_of_work, _count, conversation_id, "holding_messages")


def nudges_sent(uow: AbstractUnitOfWork, conversation_id: str) -> int:
    return uow.metrics.get_or_create(conversation_id).nudges_sent or 0


def first_response_report(uow: AbstractUnitOfWork) -> dict[str, Any]:
    """Share of conversations answered within 5 s, and percentiles of first-response time."""
    values = uow.metrics.first_response_values()
    if not values:
        return {"conversations": 0}
    pick = lambda q: values[min(len(values) - 1, int(q * len(values)))]  # noqa: E731
    return {"conversations": len(values), "within_5s": sum(v <= 5 for v in values) / len(values),
            "p50": pick(0.5), "p95": pick(0.95), "max": values[-1], "at": datetime.now(UTC).isoformat()}
