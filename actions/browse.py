"""Browsing: the products a loose mention fits (有连衣裙吗 / 想看看女士外套), in stock first."""
from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.choose import offer_choice
from actions.complaint import continue_complaint
from actions.context import call, resolve_subject
from actions.knowledge import consult
from actions.sold_out import answer_sold_out
from bot.catalog.answers import product_values
from bot.catalog.choices import choice_values
from bot.catalog.index import category_names
from bot.conversation.asks import is_question

# Below this, a question that names no product is not taken for browsing (你们的宝贝可以激光刻字吗).
SURE_BROWSING = 0.6


def unsure_question(tracker: Tracker) -> bool:
    """A question the NLU only guessed is browsing: the bank, or an honest "I'll find out", fits better."""
    confidence = (tracker.latest_message.get("intent") or {}).get("confidence") or 0.0
    return confidence < SURE_BROWSING and is_question(tracker.latest_message.get("text") or "")


async def show_products(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[dict[str, Any]]:
    """The products the shopper's words fit (有连衣裙吗 / 想看看女士外套), in stock first."""
    found, events = await resolve_subject(tracker, single_in_stock=False)
    if not found.mention.names_products and unsure_question(tracker):   # not 有连衣裙吗, a question we only guessed
        if continue_complaint(dispatcher, tracker):
            return events
        if consulted := await consult(dispatcher, tracker, intent_confident=False):
            if consulted[0].kind == "decline":
                dispatcher.utter_message(response="utter_kb_unknown")   # recorded for the manager
            return [*events, *consulted[1]]
    if found.kind == "choice":
        offer_choice(dispatcher, found, "utter_show_products")
        return events
    if found.product is None:
        if continue_complaint(dispatcher, tracker):
            return events
        categories = await call(category_names)
        dispatcher.utter_message(response="utter_ask_product_kind", categories=categories[:8])
        return [*events, SlotSet("pending_detail", "browse_products")]
    product = found.product
    if not product.in_stock and product.restock_date is not None:
        return events + await answer_sold_out(dispatcher, tracker, product)   # the date it is back, and options
    if not product.in_stock:              # 最便宜的T恤是哪款: name it and its price, then what is in stock
        dispatcher.utter_message(response="utter_price_sold_out", **product_values(product))
        return events + await answer_sold_out(dispatcher, tracker, product, said_sold_out=True)
    _, custom, _ = choice_values(found)
    dispatcher.utter_message(response="utter_show_product", **product_values(product), product_cards=custom)
    return events


class ActionShowProducts(Action):
    def name(self) -> str:
        return "action_show_products"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[dict[str, Any]]:
        return await show_products(dispatcher, tracker)
