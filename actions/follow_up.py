"""A detail the shopper gives (a product, a pick from the options, a size, an order number, 那20寸的呢) answers
the question it completes, through the one routing table."""
from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.context import entity
from actions.routing import DETAIL_QUESTIONS, answer_as
from bot.catalog.answers import gives_body_measures, shoe_size_in
from bot.conversation.asks import is_decision, takes_all, typed_order_number
from bot.conversation.events import earlier_ask, last_shown_skus

# Questions a bare follow-up (那20寸的呢 / 黑色的呢) asks again about another item; never a purchase.
FOLLOW_UP_ASKS = ("ask_price", "ask_stock", "ask_size", "ask_product_info", "bargain")


def completed_question(tracker: Tracker) -> str:
    """The question the detail completes: the pending one, a decision, the same question again, or a guess."""
    pending = tracker.get_slot("pending_detail")
    text = tracker.latest_message.get("text") or ""
    if pending == "order_status" and not (entity(tracker, "order_id") or typed_order_number(text)):
        pending = None                                           # 那黑色的呢 is no order number
    if pending != "order_status" and (is_decision(text) or takes_all(text)):
        pending = "want_buy"                   # 那我要20寸的 / 三个都要 / 要两件: a decision beats an older question
    if pending not in DETAIL_QUESTIONS and gives_body_measures(text):
        pending = "ask_size"                                     # 有XL吗？他175，150斤
    if pending not in DETAIL_QUESTIONS:
        pending = earlier_ask(tracker.events, FOLLOW_UP_ASKS)   # 那20寸的呢: the same question, this item
    if pending in DETAIL_QUESTIONS:
        return pending
    size = entity(tracker, "size") or shoe_size_in(text)                    # 41码呢, even read as a price
    has_size_detail = size or any(ch.isdigit() for ch in text)
    picks_option = bool(tracker.get_slot("offered_skus")) and not size
    if entity(tracker, "color") and not last_shown_skus(tracker.events):
        return "ask_stock"                                       # 那黑色的呢: is that colour there
    return "ask_product_info" if picks_option or not has_size_detail else "ask_size"


class ActionHandleProvidedInfo(Action):
    """The shopper gave a detail: answer the question it completes."""

    def name(self) -> str:
        return "action_handle_provided_info"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[dict[str, Any]]:
        events = await answer_as(completed_question(tracker), dispatcher, tracker)
        return [SlotSet("pending_detail", None), *events]
