"""Order status and cancellation for the shopper's own orders (customer id = conversation id)."""
from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.context import call, entity, mention_text
from actions.knowledge import answer_first
from actions.policy import answer_shipping
from bot.conversation.asks import names_an_order, typed_order_number
from bot.orders import service as orders

STATUS_RESPONSES = {
    "unpaid": "utter_order_status_unpaid",
    "paid": "utter_order_status_paid",
    "shipped": "utter_order_status_shipped",
    "delivered": "utter_order_status_delivered",
    "cancelled": "utter_order_status_cancelled",
}


def order_values(order: orders.OrderView) -> dict[str, Any]:
    return {"order_id": order.order_id, "items": order.items, "total": f"{order.total:g}"}


def named_order_number(tracker: Tracker) -> str | None:
    """The order number in the message; after the bot asked for one, any long number the shopper typed."""
    typed = typed_order_number(tracker.latest_message.get("text") or "")
    return entity(tracker, "order_id") or (typed if tracker.get_slot("pending_detail") == "order_status" else None)


async def find_order(tracker: Tracker) -> orders.OrderView | None:
    """The order the shopper named, else their latest one; never someone else's."""
    order_id = named_order_number(tracker) or tracker.get_slot("order_id")
    order = await call(orders.get_order, order_id) if order_id else None
    if order is not None and order.customer_id != tracker.sender_id:
        order = None
    return order or await call(orders.latest_order, tracker.sender_id)


async def check_order_status(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[dict[str, Any]]:
    if (answered := await answer_first(dispatcher, tracker)) is not None:
        return answered                                   # 快递能放驿站吗 asks about delivery, not an order
    order = await find_order(tracker)
    if order is None:
        named = named_order_number(tracker)
        if not named and tracker.get_slot("product_sku") and not names_an_order(mention_text(tracker)):
            answer_shipping(dispatcher, tracker)           # 什么时候能到, before buying: delivery, not an order
            return []
        dispatcher.utter_message(response="utter_order_not_found" if named else "utter_ask_order_id",
                                 order_id=named or "")
        return [SlotSet("pending_detail", "order_status")]
    dispatcher.utter_message(response=STATUS_RESPONSES.get(order.status, "utter_order_status_paid"),
                             **order_values(order))
    return [SlotSet("order_id", order.order_id)]


class ActionCheckOrderStatus(Action):
    def name(self) -> str:
        return "action_check_order_status"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[dict[str, Any]]:
        return await check_order_status(dispatcher, tracker)


class ActionCancelOrder(Action):
    def name(self) -> str:
        return "action_cancel_order"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[dict[str, Any]]:
        order = await find_order(tracker)
        if order is None:
            dispatcher.utter_message(response="utter_cancel_no_order")
            return []
        if order.status == "unpaid":
            order = await call(orders.cancel_order, order.order_id)
            dispatcher.utter_message(response="utter_order_cancelled", **order_values(order))
        elif order.status == "cancelled":
            dispatcher.utter_message(response="utter_order_status_cancelled", **order_values(order))
        else:
            dispatcher.utter_message(response="utter_cancel_paid_order", **order_values(order))
        return [SlotSet("order_id", order.order_id)]
