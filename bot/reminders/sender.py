"""How the scheduler reaches a shopper's chat: Rasa's HTTP API (trigger_intent and the tracker)."""
from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, Iterable, Protocol

from bot.conversation.events import intent_of, shopper_events
from bot.rasa_client import conversation_events, trigger_intent

REMINDER_ENTITY = "reminder_id"
INTENTS = {"payment": "EXTERNAL_payment_reminder", "notice": "EXTERNAL_change_notice",
           "repurchase": "EXTERNAL_repurchase_reminder"}
TROUBLE_INTENTS = frozenset({"complain", "return_refund"})   # no reminder while one of these is recent


class Sender(Protocol):
    async def send(self, customer_id: str, intent: str, entities: dict[str, Any]) -> None:
        """Deliver the external intent into the shopper's open chat; raise on failure."""

    async def already_delivered(self, customer_id: str, reminder_id: int) -> bool:
        """Does the shopper's conversation already hold the external event carrying this reminder id?"""

    async def last_user_message_at(self, customer_id: str) -> datetime | None:
        """When the shopper last typed something (external events do not count)."""

    async def last_trouble_at(self, customer_id: str) -> datetime | None:
        """When the shopper last complained or asked for a refund (TROUBLE_INTENTS), if ever."""


def times_delivered(events: Iterable[dict[str, Any]], reminder_id: int) -> int:
    """How many user events of our external intents carry `reminder_id` among their entities."""
    wanted, count = str(reminder_id), 0
    for event in events:
        if event.get("event") != "user" or intent_of(event) not in INTENTS.values():
            continue
        parse = event.get("parse_data") or {}
        entities = parse.get("entities") or event.get("entities") or []
        count += any(e.get("entity") == REMINDER_ENTITY and str(e.get("value")) == wanted for e in entities)
    return count


def delivered_in(events: Iterable[dict[str, Any]], reminder_id: int) -> bool:
    """True when a user event of one of our external intents carries `reminder_id` among its entities."""
    return times_delivered(events, reminder_id) > 0


def last_typed_at(events: Iterable[dict[str, Any]]) -> datetime | None:
    latest = None
    for event in shopper_events(events):
        if event.get("timestamp") and not (event.get("metadata") or {}).get("is_external"):
            latest = float(event["timestamp"])
    return datetime.fromtimestamp(latest, UTC) if latest is not None else None


def last_intent_at(events: Iterable[dict[str, Any]], intents: frozenset[str]) -> datetime | None:
    """When the shopper last typed a message whose intent is one of `intents`."""
    latest = None
    for event in shopper_events(events):
        if event.get("timestamp") and intent_of(event) in intents:
            latest = float(event["timestamp"])
    return datetime.fromtimestamp(latest, UTC) if latest is not None else None


class RasaSender:
    """The production sender. Timeouts are kept below the claim lease (see ReminderConfig)."""

    def __init__(self, base_url: str, send_timeout: float = 20.0, tracker_timeout: float = 5.0) -> None:
        self.base_url = base_url.rstrip("/")
        self.send_timeout, self.tracker_timeout = send_timeout, tracker_timeout

    async def send(self, customer_id: str, intent: str, entities: dict[str, Any]) -> None:
        await trigger_intent(customer_id, intent, entities, self.base_url, timeout=self.send_timeout)

    async def _events(self, customer_id: str) -> list[dict[str, Any]]:
        return await conversation_events(customer_id, self.base_url, self.tracker_timeout, all_sessions=True)

    async def already_delivered(self, customer_id: str, reminder_id: int) -> bool:
        return delivered_in(await self._events(customer_id), reminder_id)

    async def last_user_message_at(self, customer_id: str) -> datetime | None:
        return last_typed_at(await self._events(customer_id))

    async def last_trouble_at(self, customer_id: str) -> datetime | None:
        return last_intent_at(await self._events(customer_id), TROUBLE_INTENTS)
