"""The truth about a sold-out item: the restock date when known, and the closest in-stock alternatives."""
from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.context import call
from actions.suggestions import build_context, send
from bot.catalog.answers import product_values, restock_values
from bot.catalog.products import ProductView
from bot.recommendations.candidates import substitutes
from bot.recommendations.types import Recommendation


async def answer_sold_out(dispatcher: CollectingDispatcher, tracker: Tracker, product: ProductView,
                          said_sold_out: bool = False) -> list[dict[str, Any]]:
    """The truth about a sold-out item: the restock date when known, and the closest in-stock alternatives."""
    restock = restock_values(product)
    found = await call(substitutes, await build_context(tracker, product))
    values = {**restock, **({"sold_out_said": True} if said_sold_out else {})}
    if await send(dispatcher, tracker, Recommendation("substitute", tuple(found), values=values), product):
        return []
    if not said_sold_out:
        dispatcher.utter_message(response="utter_stock_out", **product_values(product), **restock)
    return []
