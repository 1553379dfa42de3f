"""Complaints, handoff to a human, low-confidence turns and re-engaging silence."""
from __future__ import annotations

import re
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ConversationPaused, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.browse import show_products
from actions.complaint import COMPLAINT_RESPONSES, continue_complaint
from actions.context import call, names_products
from actions.knowledge import answer_first, consult, previous_question, record
from actions.routing import PRODUCT_QUESTIONS, answer_as
from bot import engagement
from bot.complaints import classify_complaint
from bot.conversation.asks import is_decision, is_question
from bot.conversation.events import consecutive_intents
from bot.db.uow import AbstractUnitOfWork
from bot.handoff import service as handoff
from bot.handoff.intake import take_in
from bot.orders.service import latest_order
from bot.settings import get_settings

FALLBACK_INTENT = "nlu_fallback"
PRODUCT_GUESS_FLOOR = 0.25
CJK = re.compile(r"[\u4e00-\u9fff]")
NO_AGENT_RESPONSES = {"offline": "utter_handoff_offline", "closed": "utter_handoff_closed"}


def consecutive_fallbacks(tracker: Tracker) -> int:
    """How many of the shopper's latest messages in a row were not understood (this one included)."""
    return consecutive_intents(tracker.events, FALLBACK_INTENT)


def likely_readings(tracker: Tracker, limit: int = 3, floor: float = 0.08) -> list[str]:
    """The intents the NLU found most likely for a message it could not place (best first)."""
    if not CJK.search(tracker.latest_message.get("text") or ""):
        return []                                   # Latin-only noise (keyboard mash) has no likely reading
    ranking = tracker.latest_message.get("intent_ranking") or []
    found = [r.get("name") for r in ranking if r.get("name") and r.get("name") != FALLBACK_INTENT
             and not r["name"].startswith("EXTERNAL_") and (r.get("confidence") or 0) >= floor]
    return [name for name in found if name not in {"out_of_scope", "greet", "goodbye", "thank", "affirm",
                                                   "deny", "provide_info"}][:limit]


async def hand_over(dispatcher: CollectingDispatcher, tracker: Tracker, reason: str) -> list[dict[str, Any]]:
    """Queue for a human when one is online (the bot pauses), else the honest message (the bot stays)."""
    escalation = (tracker.latest_message.get("metadata") or {}).get("escalation")
    previous = previous_question(tracker)
    if reason == "requested" and previous and not escalation:
        await record(tracker, previous, "handoff")   # what the bot answered before did not help
    order = await call(latest_order, tracker.sender_id)
    summary = handoff.summarize(tracker.events, order.order_id if order else None)
    if escalation:
        summary["escalation"] = escalation
    intake = await call(take_in, tracker.sender_id, "escalation" if escalation else reason, summary,
                        bool(escalation))
    if not intake.pauses_bot:
        dispatcher.utter_message(response=NO_AGENT_RESPONSES[intake.kind], **intake.values)
        return []
    first = "utter_handoff_urgent" if escalation else "utter_handoff" if reason == "requested" else "utter_handoff_after_failures"
    dispatcher.utter_message(response=first)
    dispatcher.utter_message(response="utter_handoff_queue", **intake.values)
    return [ConversationPaused()]


class ActionHandleComplaint(Action):
    def name(self) -> str:
        return "action_handle_complaint"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[dict[str, Any]]:
        kind = classify_complaint(tracker.latest_message.get("text") or "")
        dispatcher.utter_message(response=COMPLAINT_RESPONSES[kind])
        return [SlotSet("pending_detail", "complaint")]


class ActionHandOver(Action):
    def name(self) -> str:
        return "action_hand_over"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[dict[str, Any]]:
        if not (tracker.latest_message.get("metadata") or {}).get("escalation"):   # escalations skip the bot
            answered = await answer_first(dispatcher, tracker)   # 人工客服几点上班 asks about, not for, a human
            if answered is not None:
                return answered
        return await hand_over(dispatcher, tracker, "requested")


class ActionHandleFallback(Action):
    def name(self) -> str:
        return "action_handle_fallback"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[dict[str, Any]]:
        if continue_complaint(dispatcher, tracker):          # 那现在怎么处理: the remedy again
            return []
        text = tracker.latest_message.get("text") or ""
        if is_decision(text) and (tracker.get_slot("product_sku") or await names_products(tracker)):
            return await answer_as("want_buy", dispatcher, tracker)   # 那我要20寸的: they take it
        if await names_products(tracker):
            guess = next(iter(likely_readings(tracker, limit=1, floor=PRODUCT_GUESS_FLOOR)), None)
            if guess in PRODUCT_QUESTIONS:                     # 这款连体泳衣还有M码吗: stock or size, surely a question
                return await answer_as(guess, dispatcher, tracker)   # about this product
            return await show_products(dispatcher, tracker)   # unsure what they ask, sure what they look at
        consulted = await consult(dispatcher, tracker, intent_confident=False)
        if consulted and consulted[0].kind != "decline":
            return consulted[1]                                 # the question bank answers or offers
        if consecutive_fallbacks(tracker) >= 2:
            return await hand_over(dispatcher, tracker, "not_understood")
        readings = likely_readings(tracker)
        if len(readings) >= 2:
            buttons = [{"fragment": f"reading_{name}", "payload": f"/{name}"} for name in readings]
            dispatcher.utter_message(response="utter_rephrase_options", extra_buttons=buttons)
        elif consulted and is_question(tracker.latest_message.get("text") or ""):
            dispatcher.utter_message(response="utter_kb_unknown")   # recorded for the manager; a human offered
        else:
            dispatcher.utter_message(response="utter_rephrase")
        return []


def latest_shopper_intent(tracker: Tracker) -> str | None:
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            name = (event.get("parse_data") or {}).get("intent", {}).get("name")
            if name and not name.startswith("EXTERNAL_"):
                return name
    return None


def nudge_state(uow: AbstractUnitOfWork, conversation_id: str) -> tuple[int, bool]:
    """Nudges sent so far and whether a human has the chat: one worker step for both."""
    return engagement.nudges_sent(uow, conversation_id), handoff.is_handed_over(uow, conversation_id)


class ActionNudgeSilence(Action):
    """Sent by the channel after a silence; speaks only when the pacing rules allow it."""

    def name(self) -> str:
        return "action_nudge_silence"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[dict[str, Any]]:
        sent, handed_over = await call(nudge_state, tracker.sender_id)
        if engagement.should_nudge(sent, get_settings().silence_nudge_cap, latest_shopper_intent(tracker), handed_over):
            dispatcher.utter_message(response="utter_nudge")
            await call(engagement.count_nudge, tracker.sender_id)
        return []
