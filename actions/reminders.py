"""Messages the reminder scheduler pushes into a chat (EXTERNAL_payment_reminder / EXTERNAL_change_notice), and
the answers to why an order is still unpaid once a reminder went out.

The reminder id arrives as the `reminder_id` entity of the external event; everything else is read from the
database, so the action says only what is still true (an order paid meanwhile gets no reminder).
"""
from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.bargain import CONCESSION_RESPONSES
from actions.context import call, entity
from actions.payment import pay_link
from actions.routing import AFTER_REMINDER, answer_as
from actions.suggestions import cards_payload
from bot.bargain.ladder import asked_price
from bot.db.uow import AbstractUnitOfWork
from bot.recommendations.candidates import substitutes
from bot.recommendations.types import RecommendationContext, Suggestion
from bot.reminders.answers import answer_unpaid_reason, reason_for
from bot.reminders.messages import OutboundMessage, notice_message, payment_message
from bot.reminders.sender import REMINDER_ENTITY, times_delivered

log = logging.getLogger("store.actions.reminders")
SUBSTITUTE_LIMIT = 3
MESSAGE_RESPONSES = {
    "first": "utter_payment_reminder",
    "followup": "utter_payment_followup",
    "stock_out": "utter_change_notice_stock_out",
    "delay": "utter_change_notice_delay",
}
UNPAID_REASON_RESPONSES = {
    "price": "utter_unpaid_reason_price",
    "compare": "utter_unpaid_reason_compare",
    "payment": "utter_unpaid_reason_payment",
    "shipping": "utter_unpaid_reason_shipping",
    "forgot": "utter_unpaid_reason_forgot",
    "no_longer": "utter_unpaid_reason_no_longer",
}
ACTIVE_SLOT = "payment_reminder_active"
REMINDER_ACTION = "action_send_payment_reminder"


def reminder_id_of(tracker: Tracker) -> int | None:
    value = entity(tracker, REMINDER_ENTITY)
    try:
        return int(value) if value is not None else None
    except (TypeError, ValueError):
        return None


def repeated(tracker: Tracker, reminder_id: int) -> bool:
    """The scheduler retried a send that had reached Rasa after all: the emit is keyed by the reminder id."""
    return times_delivered(tracker.events, reminder_id) > 1


def reminder_to_send(tracker: Tracker, what: str) -> int | None:
    """The reminder id of an external event to act on; None (say nothing) without one or for a retried send."""
    reminder_id = reminder_id_of(tracker)
    if reminder_id is None:
        log.warning("%s event without %s for %s", what, REMINDER_ENTITY, tracker.sender_id)
        return None
    return None if repeated(tracker, reminder_id) else reminder_id


def find_substitutes(uow: AbstractUnitOfWork, sku: str) -> list[Suggestion]:
    """In-stock substitutes from the recommendation service (empty when it fails: waiting or a refund remain)."""
    try:
        return list(substitutes(uow, RecommendationContext(product_sku=sku), limit=SUBSTITUTE_LIMIT))
    except Exception:  # a notice must go out even when suggestions fail
        log.exception("substitutes for %s failed", sku)
        return []


def _utter(dispatcher: CollectingDispatcher, message: OutboundMessage, **extra: Any) -> list[dict[str, Any]]:
    dispatcher.utter_message(response=MESSAGE_RESPONSES[message.kind], **message.values, **extra)
    return [SlotSet("order_id", message.order_id)]


class ActionSendPaymentReminder(Action):
    def name(self) -> str:
        return REMINDER_ACTION

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[dict[str, Any]]:
        reminder_id = reminder_to_send(tracker, "payment reminder")
        if reminder_id is None:
            return []
        message = await call(payment_message, reminder_id, tracker.sender_id, pay_link)
        if message is None:  # paid, cancelled or not this shopper's: say nothing
            return []
        return _utter(dispatcher, message) + [SlotSet(ACTIVE_SLOT, True)]


class ActionSendChangeNotice(Action):
    def name(self) -> str:
        return "action_send_change_notice"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[dict[str, Any]]:
        reminder_id = reminder_to_send(tracker, "change notice")
        if reminder_id is None:
            return []
        message = await call(notice_message, reminder_id, tracker.sender_id)
        if message is None:
            return []
        if message.kind != "stock_out" or not message.sku:
            return _utter(dispatcher, message)
        found = await call(find_substitutes, message.sku)
        extra: dict[str, Any] = {}
        if found:
            extra = {"suggestions": [s.product.name for s in found], "product_cards": cards_payload(found)}
        # The out-of-stock item becomes the product in context, so "换相似款" recommends against it.
        return _utter(dispatcher, message, **extra) + [SlotSet("product_sku", message.sku)]


def right_after_reminder(tracker: Tracker) -> bool:
    """Is the shopper's latest message the first one since a payment reminder was sent?"""
    users = 0
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            users += 1
            if users > 1:
                return False
        elif event.get("event") == "action" and event.get("name") == REMINDER_ACTION:
            return users == 1
    return False


class ActionAnswerUnpaidReason(Action):
    """After a reminder: answer the reason the shopper gives; otherwise hand over to the usual action."""

    def name(self) -> str:
        return "action_answer_unpaid_reason"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[dict[str, Any]]:
        intent = (tracker.latest_message.get("intent") or {}).get("name") or ""
        reason = reason_for(intent, right_after_reminder(tracker))
        answer = None
        if reason is not None:
            step = int(tracker.get_slot("bargain_step") or 0)
            proposed = asked_price(tracker.latest_message.get("text") or "", entity(tracker, "price"))
            answer = await call(answer_unpaid_reason, tracker.sender_id, reason, pay_link, step, proposed)
        if answer is None:
            # no reminder waits for this answer: what the intent's ordinary rule says (a FollowupAction would
            # leave the rule and fall through to the fallback policy)
            usual_events = await answer_as(intent, dispatcher, tracker) if intent in AFTER_REMINDER else []
            reset = [SlotSet(ACTIVE_SLOT, False)] if reason is not None else []  # no reminded order waits
            return reset + list(usual_events)
        for reason, values in answer.messages:
            dispatcher.utter_message(response=UNPAID_REASON_RESPONSES[reason], **values)
        events: list[dict[str, Any]] = [SlotSet("order_id", answer.order_id)]
        concession = answer.concession
        if concession is not None:
            if concession.kind != "final":  # "final" only repeats the value message just sent
                if concession.below_floor:
                    dispatcher.utter_message(response="utter_bargain_floor_note", **concession.values)
                dispatcher.utter_message(response=CONCESSION_RESPONSES[concession.kind], **concession.values)
            events.append(SlotSet("bargain_step", float(concession.step)))
        if answer.opted_out:
            events.append(SlotSet(ACTIVE_SLOT, False))
        return events
