"""Price objections: conditional compromise from the ladder, and comparisons with other shops."""
from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.context import entity, product_in_context
from actions.knowledge import consult
from bot.bargain.ladder import asked_price, next_concession
from bot.conversation.asks import is_question
from bot.store.config import load_store
from bot.store.policies import promise_values

CONCESSION_RESPONSES = {
    "multi_buy": "utter_bargain_multi_buy",
    "full_reduction": "utter_bargain_full_reduction",
    "pay_now_gift": "utter_bargain_pay_now_gift",
    "review_cashback": "utter_bargain_review_cashback",
    "final": "utter_bargain_value",
}


async def respond_bargain(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[dict[str, Any]]:
    product, events = await product_in_context(tracker)
    if product is None:
        dispatcher.utter_message(response="utter_bargain_general")
        return events
    proposed = asked_price(tracker.latest_message.get("text") or "", entity(tracker, "price"))
    step = int(tracker.get_slot("bargain_step") or 0)
    concession = next_concession(product, load_store(), step, proposed)
    if concession.below_floor:
        dispatcher.utter_message(response="utter_bargain_floor_note", **concession.values)
    dispatcher.utter_message(response=CONCESSION_RESPONSES[concession.kind], **concession.values)
    return events + [SlotSet("bargain_step", float(concession.step))]


class ActionRespondBargain(Action):
    def name(self) -> str:
        return "action_respond_bargain"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[dict[str, Any]]:
        return await respond_bargain(dispatcher, tracker)


async def respond_comparison(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[dict[str, Any]]:
    if is_question(tracker.latest_message.get("text") or ""):     # 有实体店吗: a store question
        consulted = await consult(dispatcher, tracker, intent_confident=False)
        if consulted and consulted[0].kind != "decline":
            return consulted[1]
    store = load_store()
    values = promise_values(store)
    dispatcher.utter_message(response="utter_compare_advantages", **values)
    return []


class ActionRespondComparison(Action):
    def name(self) -> str:
        return "action_respond_comparison"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[dict[str, Any]]:
        return await respond_comparison(dispatcher, tracker)
