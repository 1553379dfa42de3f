"""One routing table: the answer a shopper's question gets when another action answers for it.

A detail that completes an earlier question (`follow_up.py`), an unsure message that names a product
(`service.py`) and a message after a payment reminder that gives no reason (`reminders.py`) are answered by
the same function the question's own action runs; no action runs another action.
"""
from __future__ import annotations

from typing import Any, Awaitable, Callable

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.bargain import respond_bargain, respond_comparison
from actions.browse import show_products
from actions.catalog import answer_price, answer_product_info, answer_size, answer_stock
from actions.feedback import respond_deny
from actions.orders import check_order_status
from actions.payment import help_payment, send_pay_link
from actions.policy import answer_shipping_question
from actions.recommend import confirm_purchase, respond_hesitation

Answer = Callable[[CollectingDispatcher, Tracker], Awaitable[list[dict[str, Any]]]]

ANSWERS: dict[str, Answer] = {
    "ask_price": answer_price,
    "ask_stock": answer_stock,
    "ask_size": answer_size,
    "ask_product_info": answer_product_info,
    "want_buy": confirm_purchase,
    "order_status": check_order_status,
    "browse_products": show_products,
    "bargain": respond_bargain,
    "compare_shops": respond_comparison,
    "payment_problem": help_payment,
    "forgot_to_pay": send_pay_link,
    "ask_shipping": answer_shipping_question,
    "deny": respond_deny,
    "hesitate": respond_hesitation,
}
# What an unsure message that names a product surely asks about it.
PRODUCT_QUESTIONS = ("ask_stock", "ask_size", "ask_price", "ask_product_info")
# What a detail completing an earlier question can complete.
DETAIL_QUESTIONS = ("ask_price", "ask_stock", "ask_size", "ask_product_info", "bargain", "want_buy",
                    "order_status", "browse_products")
# What each intent gets after a payment reminder when the shopper gives no reason not to pay.
AFTER_REMINDER = ("bargain", "compare_shops", "payment_problem", "ask_shipping", "forgot_to_pay", "deny",
                  "hesitate")


async def answer_as(intent: str, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[dict[str, Any]]:
    """Answer the latest message as the question `intent` (one of ANSWERS)."""
    return await ANSWERS[intent](dispatcher, tracker)
