"""Price, details, stock and size of the product under discussion."""
from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.context import entity, product_in_context
from bot.catalog.answers import product_values, size_answer, stock_answer

STOCK_RESPONSES = {
    "available": "utter_stock_available",
    "low": "utter_stock_low",
    "out": "utter_stock_out",
    "color_missing": "utter_color_alternative",
    "size_missing": "utter_size_alternative",
}
SIZE_RESPONSES = {
    "chart": "utter_size_chart",
    "available": "utter_size_available",
    "missing": "utter_size_alternative",
    "advice": "utter_size_advice",
    "one_size": "utter_size_one_size",
}


async def _product_or_ask(dispatcher: CollectingDispatcher, tracker: Tracker):
    product, events = await product_in_context(tracker)
    if product is None:
        dispatcher.utter_message(response="utter_ask_which_product")
        return None, [SlotSet("pending_detail", tracker.get_intent_of_latest_message())]
    return product, events


class ActionAnswerPrice(Action):
    def name(self) -> str:
        return "action_answer_price"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[dict[str, Any]]:
        product, events = await _product_or_ask(dispatcher, tracker)
        if product:
            dispatcher.utter_message(response="utter_price", **product_values(product))
        return events


class ActionAnswerProductInfo(Action):
    def name(self) -> str:
        return "action_answer_product_info"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[dict[str, Any]]:
        product, events = await _product_or_ask(dispatcher, tracker)
        if product:
            dispatcher.utter_message(response="utter_product_info", **product_values(product))
        return events


class ActionAnswerStock(Action):
    def name(self) -> str:
        return "action_answer_stock"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[dict[str, Any]]:
        product, events = await _product_or_ask(dispatcher, tracker)
        if product:
            answer = stock_answer(product, entity(tracker, "color"), entity(tracker, "size"))
            values = {**product_values(product), "color": answer.color or "", "size": answer.size or ""}
            dispatcher.utter_message(response=STOCK_RESPONSES[answer.kind], **values)
            if answer.kind == "out":
                events.append({"event": "followup", "name": "action_suggest_substitute"})
        return events


class ActionAnswerSize(Action):
    def name(self) -> str:
        return "action_answer_size"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[dict[str, Any]]:
        product, events = await _product_or_ask(dispatcher, tracker)
        if product:
            answer = size_answer(product, entity(tracker, "size"), tracker.latest_message.get("text") or "")
            values = {**product_values(product), "size": answer.size or "", "size_advice": answer.advice or ""}
            dispatcher.utter_message(response=SIZE_RESPONSES[answer.kind], **values)
        return events


class ActionHandleProvidedInfo(Action):
    """The shopper gave a detail (a product, size, order number): answer the question it completes."""

    def name(self) -> str:
        return "action_handle_provided_info"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[dict[str, Any]]:
        from actions.bargain import ActionRespondBargain
        from actions.orders import ActionCheckOrderStatus
        from actions.recommend import ActionConfirmPurchase

        pending = tracker.get_slot("pending_detail")
        followers: dict[str, Action] = {
            "ask_price": ActionAnswerPrice(), "ask_stock": ActionAnswerStock(), "ask_size": ActionAnswerSize(),
            "ask_product_info": ActionAnswerProductInfo(), "bargain": ActionRespondBargain(),
            "want_buy": ActionConfirmPurchase(), "order_status": ActionCheckOrderStatus(),
        }
        if pending not in followers:
            has_size_detail = entity(tracker, "size") or any(ch.isdigit() for ch in tracker.latest_message.get("text", ""))
            pending = "ask_size" if has_size_detail else "ask_product_info"
        events = await followers[pending].run(dispatcher, tracker, domain)
        return [SlotSet("pending_detail", None), *events]
