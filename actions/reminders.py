"""Messages the reminder scheduler pushes into a chat (EXTERNAL_payment_reminder / EXTERNAL_change_notice).

The reminder id arrives as the `reminder_id` entity of the external event; everything else is read from the
database, so the action says only what is still true (an order paid meanwhile gets no reminder).
"""
from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.context import call, entity
from actions.payment import pay_link
from bot.reminders.messages import OutboundMessage, notice_message, payment_message
from bot.reminders.sender import REMINDER_ENTITY

log = logging.getLogger("store.actions.reminders")
SUBSTITUTE_LIMIT = 3


def reminder_id_of(tracker: Tracker) -> int | None:
    value = entity(tracker, REMINDER_ENTITY)
    try:
        return int(value) if value is not None else None
    except (TypeError, ValueError):
        return None


def find_substitutes(sku: str) -> list[Any]:
    """In-stock substitutes from the recommendation service (empty when it is unavailable)."""
    try:
        from bot.recommendations import RecommendationContext, substitutes
    except ImportError as exc:  # the service is optional for a notice: waiting or a refund remain
        log.warning("recommendations unavailable for a stock-out notice: %s", exc)
        return []
    try:
        return list(substitutes(RecommendationContext(product_sku=sku), limit=SUBSTITUTE_LIMIT))
    except Exception:  # a notice must go out even when suggestions fail
        log.exception("substitutes for %s failed", sku)
        return []


def cards(suggestions: list[Any]) -> dict[str, Any] | None:
    """Product cards in the widget's format (actions.suggestions), riding along in `custom`."""
    if not suggestions:
        return None
    try:
        from actions.suggestions import cards_payload
    except ImportError:  # same format, when the suggestion helpers cannot load
        return {"type": "product_cards", "cards": [s.card() for s in suggestions]}
    return cards_payload(suggestions)


def _utter(dispatcher: CollectingDispatcher, message: OutboundMessage, **extra: Any) -> list[dict[str, Any]]:
    dispatcher.utter_message(response=message.response, **message.values, **extra)
    return [SlotSet("order_id", message.order_id)]


class ActionSendPaymentReminder(Action):
    def name(self) -> str:
        return "action_send_payment_reminder"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[dict[str, Any]]:
        reminder_id = reminder_id_of(tracker)
        if reminder_id is None:
            log.warning("payment reminder event without %s for %s", REMINDER_ENTITY, tracker.sender_id)
            return []
        message = await call(payment_message, reminder_id, tracker.sender_id, pay_link)
        if message is None:  # paid, cancelled or not this shopper's: say nothing
            return []
        return _utter(dispatcher, message)


class ActionSendChangeNotice(Action):
    def name(self) -> str:
        return "action_send_change_notice"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[dict[str, Any]]:
        reminder_id = reminder_id_of(tracker)
        if reminder_id is None:
            log.warning("change notice event without %s for %s", REMINDER_ENTITY, tracker.sender_id)
            return []
        message = await call(notice_message, reminder_id, tracker.sender_id)
        if message is None:
            return []
        if message.kind != "stock_out" or not message.sku:
            return _utter(dispatcher, message)
        found = await call(find_substitutes, message.sku)
        extra: dict[str, Any] = {}
        if found:
            extra["suggestions"] = [s.product.name for s in found]
            extra["custom"] = cards(found)
        return _utter(dispatcher, message, **extra)
