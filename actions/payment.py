"""Payment help and the pay link."""
from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.context import product_in_context
from actions.knowledge import answer_first
from actions.orders import find_order, order_values
from bot.settings import get_settings


def pay_link(order_id: str) -> str:
    return f"{get_settings().public_web_url}/orders/{order_id}/pay"


async def help_payment(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[dict[str, Any]]:
    if (answered := await answer_first(dispatcher, tracker)) is not None:
        return answered                                   # 支持花呗分期吗: a bank topic
    order = await find_order(tracker)
    values = order_values(order) if order else {}
    if order:
        values["pay_link"] = pay_link(order.order_id)
    dispatcher.utter_message(response="utter_payment_help", **values)
    return []


class ActionHelpPayment(Action):
    def name(self) -> str:
        return "action_help_payment"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[dict[str, Any]]:
        return await help_payment(dispatcher, tracker)


async def send_pay_link(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[dict[str, Any]]:
    order = await find_order(tracker)
    if order is None or order.status != "unpaid":
        product, events = await product_in_context(tracker)
        if product is not None:                               # 怎么付款 before ordering: how to buy it
            dispatcher.utter_message(response="utter_how_to_pay", product=product.name)
            return events
        dispatcher.utter_message(response="utter_no_unpaid_order")
        return []
    dispatcher.utter_message(response="utter_pay_link", pay_link=pay_link(order.order_id), **order_values(order))
    return []


class ActionSendPayLink(Action):
    def name(self) -> str:
        return "action_send_pay_link"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[dict[str, Any]]:
        return await send_pay_link(dispatcher, tracker)
