"""How the scheduler reaches a shopper's chat: Rasa's HTTP API (trigger_intent and the tracker)."""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Any, Iterable, Protocol
from urllib.parse import quote

import httpx

from bot.security.rasa_auth import rasa_params

REMINDER_ENTITY = "reminder_id"
INTENTS = {"payment": "EXTERNAL_payment_reminder", "notice": "EXTERNAL_change_notice"}
EXTERNAL_PREFIX = "EXTERNAL: "


class Sender(Protocol):
    async def send(self, customer_id: str, intent: str, entities: dict[str, Any]) -> None:
        """Deliver the external intent into the shopper's open chat; raise on failure."""

    async def already_delivered(self, customer_id: str, reminder_id: int) -> bool:
        """Does the shopper's conversation already hold the external event carrying this reminder id?"""

    async def last_user_message_at(self, customer_id: str) -> datetime | None:
        """When the shopper last typed something (external events do not count)."""


def _is_external(event: dict[str, Any]) -> bool:
    return bool((event.get("metadata") or {}).get("is_external")) or \
        str(event.get("text") or "").startswith(EXTERNAL_PREFIX)


def times_delivered(events: Iterable[dict[str, Any]], reminder_id: int) -> int:
    """How many user events of our external intents carry `reminder_id` among their entities."""
    wanted, count = str(reminder_id), 0
    for event in events:
        if event.get("event") != "user":
            continue
        parse = event.get("parse_data") or {}
        if (parse.get("intent") or {}).get("name") not in INTENTS.values():
            continue
        entities = parse.get("entities") or event.get("entities") or []
        count += any(e.get("entity") == REMINDER_ENTITY and str(e.get("value")) == wanted for e in entities)
    return count


def delivered_in(events: Iterable[dict[str, Any]], reminder_id: int) -> bool:
    """True when a user event of one of our external intents carries `reminder_id` among its entities."""
    return times_delivered(events, reminder_id) > 0


def last_typed_at(events: Iterable[dict[str, Any]]) -> datetime | None:
    latest = None
    for event in events:
        if event.get("event") == "user" and not _is_external(event) and event.get("timestamp"):
            latest = float(event["timestamp"])
    return datetime.fromtimestamp(latest, timezone.utc) if latest is not None else None


class RasaSender:
    """The production sender. Timeouts are kept below the claim lease (see ReminderConfig)."""

    def __init__(self, base_url: str, send_timeout: float = 20.0, tracker_timeout: float = 5.0) -> None:
        self.base_url = base_url.rstrip("/")
        self.send_timeout, self.tracker_timeout = send_timeout, tracker_timeout

    def _conversation(self, customer_id: str) -> str:
        return f"{self.base_url}/conversations/{quote(customer_id, safe='')}"

    async def send(self, customer_id: str, intent: str, entities: dict[str, Any]) -> None:
        # Same call as bot.web.rasa_client.trigger_intent, with a timeout bounded by the lease.
        async with httpx.AsyncClient(timeout=self.send_timeout) as client:
            response = await client.post(f"{self._conversation(customer_id)}/trigger_intent",
                                         params=rasa_params(output_channel="latest"),
                                         json={"name": intent, "entities": entities})
            response.raise_for_status()

    async def _events(self, customer_id: str) -> list[dict[str, Any]]:
        async with httpx.AsyncClient(timeout=self.tracker_timeout) as client:
            response = await client.get(f"{self._conversation(customer_id)}/tracker",
                                        params=rasa_params(include_events="ALL"))
            response.raise_for_status()
            return response.json().get("events") or []

    async def already_delivered(self, customer_id: str, reminder_id: int) -> bool:
        return delivered_in(await self._events(customer_id), reminder_id)

    async def last_user_message_at(self, customer_id: str) -> datetime | None:
        return last_typed_at(await self._events(customer_id))
