"""Browsing: the products a loose mention fits (有连衣裙吗 / 想看看女士外套), in stock first."""
from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.choose import offer_choice
from actions.complaint import continue_complaint
from actions.context import call, resolve_subject
from actions.sold_out import answer_sold_out
from bot.catalog.answers import product_values
from bot.catalog.choices import choice_values
from bot.catalog.index import category_names


async def show_products(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[dict[str, Any]]:
    """The products the shopper's words fit (有连衣裙吗 / 想看看女士外套), in stock first."""
    found, events = await resolve_subject(tracker, single_in_stock=False)
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
