"""Shipping, returns and promotions, answered from the store settings."""
from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.knowledge import answer_first
from bot.conversation.events import earlier_texts
from bot.store.config import load_store
from bot.store.policies import (
    asks_for_coupon,
    promotion_values,
    return_answer,
    shipping_answer,
    wants_customisation,
)

SHIPPING_RESPONSES = {
    "general": "utter_shipping_policy",
    "free_shipping": "utter_shipping_free",
    "remote": "utter_shipping_remote",
    "same_day": "utter_shipping_same_day",
    "same_day_alternative": "utter_shipping_same_day_alternative",
    "urgent": "utter_shipping_urgent",
    "cod_alternative": "utter_cod_alternative",
}
RETURN_RESPONSES = {
    "general": "utter_return_policy",
    "exchange": "utter_exchange_policy",
    "quality": "utter_return_quality",
    "general_insured": "utter_return_shipping_insured",
    "exchange_insured": "utter_exchange_shipping_insured",
}


# Messages that make a return (or its shipping cost) about a particular item's problem.
RETURN_TALK = ("complain", "return_refund")


def _text(tracker: Tracker) -> str:
    return tracker.latest_message.get("text") or ""


def _return_talk(tracker: Tracker) -> list[str]:
    return earlier_texts(tracker.events, RETURN_TALK)


def answer_return(dispatcher: CollectingDispatcher, tracker: Tracker) -> None:
    """The return promise for the shopper's case: 我想退货 right after 拉链坏了 is a quality return."""
    answer = return_answer(load_store(), " ".join([*_return_talk(tracker), _text(tracker)]))
    dispatcher.utter_message(response=RETURN_RESPONSES[answer.kind], **answer.values)


def answer_shipping(dispatcher: CollectingDispatcher, tracker: Tracker) -> None:
    """When it ships and what it costs, for the shopper's words (偏远地区 / 今天能发吗 / 货到付款)."""
    answer = shipping_answer(load_store(), _text(tracker))
    dispatcher.utter_message(response=SHIPPING_RESPONSES[answer.kind], **answer.values)


async def answer_shipping_question(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[dict[str, Any]]:
    if "运费" in _text(tracker) and _return_talk(tracker):
        answer_return(dispatcher, tracker)       # 运费谁出, right after 我想退货: the return's shipping cost
        return []
    if (answered := await answer_first(dispatcher, tracker)) is not None:
        return answered
    answer_shipping(dispatcher, tracker)
    return []


class ActionAnswerShipping(Action):
    def name(self) -> str:
        return "action_answer_shipping"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[dict[str, Any]]:
        return await answer_shipping_question(dispatcher, tracker)


class ActionAnswerReturnPolicy(Action):
    def name(self) -> str:
        return "action_answer_return_policy"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[dict[str, Any]]:
        if (answered := await answer_first(dispatcher, tracker)) is not None:
            return answered
        answer_return(dispatcher, tracker)
        return []


class ActionAnswerDiscount(Action):
    def name(self) -> str:
        return "action_answer_discount"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[dict[str, Any]]:
        if (answered := await answer_first(dispatcher, tracker)) is not None:
            return answered                                   # 积分可以抵现吗 / 礼品包装 are bank topics
        store = load_store()
        if wants_customisation(_text(tracker)) and not store.customisation:
            dispatcher.utter_message(response="utter_customisation_alternative")
            return []
        values = promotion_values(store)
        asks_coupon = asks_for_coupon(_text(tracker)) and "coupon" in values   # 有优惠券吗: the coupon first
        dispatcher.utter_message(response="utter_discount_coupon" if asks_coupon else "utter_discount_info", **values)
        return []
