"""Yes and no: accepting or declining the latest suggestion, or a plain acknowledgement."""
from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.context import call, names_products
from actions.recommend import confirm_purchase
from actions.suggestions import last_suggested_skus
from bot.catalog.products import get_product
from bot.conversation.asks import takes_all
from bot.recommendations import metrics


class ActionRespondAffirm(Action):
    def name(self) -> str:
        return "action_respond_affirm"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[dict[str, Any]]:
        if await names_products(tracker) or takes_all(tracker.latest_message.get("text") or ""):
            return await confirm_purchase(dispatcher, tracker)   # 好，防晒霜要一支 / 全都要: yes to what they name
        skus = last_suggested_skus(tracker)
        product = await call(get_product, skus[0]) if skus else None
        if product is None:
            dispatcher.utter_message(response="utter_affirm_ack")
            return []
        await call(metrics.record_accepted, tracker.sender_id, product.sku)
        dispatcher.utter_message(response="utter_suggestion_accepted", suggestion=product.name, sku=product.sku)
        return []


async def respond_deny(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[dict[str, Any]]:
    skus = last_suggested_skus(tracker)
    if not skus:
        dispatcher.utter_message(response="utter_deny_ack")
        return []
    await call(metrics.record_declined, tracker.sender_id, skus)
    dispatcher.utter_message(response="utter_suggestion_declined")
    return []


class ActionRespondDeny(Action):
    def name(self) -> str:
        return "action_respond_deny"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[dict[str, Any]]:
        return await respond_deny(dispatcher, tracker)
