"""Price, details, stock and size of the product under discussion; choices when the words fit several."""
from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.choose import offer_choice
from actions.complaint import continue_complaint
from actions.context import call, entity, resolve_subject
from actions.details import answer_details
from actions.knowledge import answer_first
from actions.sold_out import answer_sold_out
from bot.catalog.answers import (
    asks_availability,
    info_topic,
    mentions_size,
    options_with_size,
    product_values,
    shoe_size_in,
    size_answer,
    sizes_offered,
    stock_answer,
    worries_about_size,
)
from bot.catalog.choices import pick_payload
from bot.catalog.products import products_of
from bot.conversation.events import last_shown_skus, recent_shown_skus

STOCK_RESPONSES = {
    "available": "utter_stock_available",
    "low": "utter_stock_low",
    "color_missing": "utter_color_alternative",
    "size_missing": "utter_size_alternative",
}
SIZE_RESPONSES = {
    "chart": "utter_size_chart",
    "available": "utter_size_available",
    "missing": "utter_size_alternative",
    "advice": "utter_size_advice",
    "one_size": "utter_size_one_size",
    "dimensions": "utter_size_dimensions",
}


def size_value(size: str | None) -> dict[str, str] | str:
    """A size as the script library words it: a bare number (37) through the `size_number` fragment (37码)."""
    return {"kind": "number", "value": size} if size and size.isdigit() else size or ""


async def _size_over_options(dispatcher: CollectingDispatcher, tracker: Tracker) -> bool:
    """37码有吗 right after a list: which of the items offered come in that size (none: say so, kindly)."""
    size = entity(tracker, "size") or shoe_size_in(tracker.latest_message.get("text") or "")
    offered = last_shown_skus(tracker.events) or tracker.get_slot("offered_skus") or []
    if not size or size.endswith("码") or len(offered) < 2:   # 大码 names no one size
        return False
    options = await call(products_of, offered)
    having = options_with_size(options, size)
    records = [{"kind": "in_stock" if p.in_stock else "sold_out", "name": p.name, "price": f"{p.price:g}"}
               for p in having]
    if records:
        dispatcher.utter_message(response="utter_size_in_options", size=size_value(size), options=records)
    else:
        dispatcher.utter_message(response="utter_size_not_in_options", size=size_value(size),
                                 sizes=sizes_offered(options))
    return True


async def _subject_or_choose(dispatcher: CollectingDispatcher, tracker: Tracker, sizes: bool = False):
    """The one product the shopper means; otherwise offer a choice (or ask) and remember the question. With
    `sizes` (a stock or size question), a size asked right after a list is answered over that list."""
    found, events = await resolve_subject(tracker)
    if found.product is not None:
        return found.product, events
    if found.kind == "none" and continue_complaint(dispatcher, tracker):
        return None, events
    if found.kind == "none" and sizes and await _size_over_options(dispatcher, tracker):
        return None, events
    pending = SlotSet("pending_detail", tracker.get_intent_of_latest_message())
    if found.kind == "choice":
        offer_choice(dispatcher, found)
    elif len(shown := recent_shown_skus(tracker.events)) > 1:    # 会缩水吗 right after a list: which of those
        buttons = [{"title": p.name, "payload": pick_payload(p.name)} for p in await call(products_of, shown)]
        dispatcher.utter_message(response="utter_ask_which_of_shown", extra_buttons=buttons)
    else:
        dispatcher.utter_message(response="utter_ask_which_product")
    return None, [*events, pending]


async def answer_price(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[dict[str, Any]]:
    if (answered := await answer_first(dispatcher, tracker)) is not None:
        return answered                                   # 有价格保护吗: a bank topic, not a price
    product, events = await _subject_or_choose(dispatcher, tracker)
    if product is None:
        return events
    if product.in_stock:
        dispatcher.utter_message(response="utter_price", **product_values(product))
        return events
    dispatcher.utter_message(response="utter_price_sold_out", **product_values(product))
    return events + await answer_sold_out(dispatcher, tracker, product, said_sold_out=True)


async def answer_product_info(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[dict[str, Any]]:
    if (answered := await answer_first(dispatcher, tracker)) is not None:
        return answered                                   # 保温杯保修多久: the bank's warranty entry
    product, events = await _subject_or_choose(dispatcher, tracker)
    if product:
        answer_details(dispatcher, tracker, product)
    return events


async def _stock_of(dispatcher: CollectingDispatcher, tracker: Tracker, product) -> list[dict[str, Any]]:
    text = tracker.latest_message.get("text") or ""
    if info_topic(text, product) == "colors" and not entity(tracker, "color") and product.in_stock:
        dispatcher.utter_message(response="utter_product_colors", **product_values(product))  # 有什么颜色
        return []
    answer = stock_answer(product, entity(tracker, "color"), entity(tracker, "size"))
    if answer.kind == "out":
        return await answer_sold_out(dispatcher, tracker, product)
    values = {**product_values(product), "color": answer.color or "", "size": size_value(answer.size)}
    response = STOCK_RESPONSES[answer.kind]
    if answer.kind == "available" and (answer.color or answer.size):
        response = "utter_stock_variant_available"          # 黑色有吗: the answer names the colour asked
    dispatcher.utter_message(response=response, **values)
    return []


async def answer_stock(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[dict[str, Any]]:
    if (answered := await answer_first(dispatcher, tracker)) is not None:
        return answered                                   # 有实体店吗 is not about stock
    product, events = await _subject_or_choose(dispatcher, tracker, sizes=True)
    return events + (await _stock_of(dispatcher, tracker, product) if product else [])


async def answer_size(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[dict[str, Any]]:
    product, events = await _subject_or_choose(dispatcher, tracker, sizes=True)
    text = tracker.latest_message.get("text") or ""
    if product and not mentions_size(text):
        answer_details(dispatcher, tracker, product)
        return events
    if product and asks_availability(text, product):
        return events + await _stock_of(dispatcher, tracker, product)   # 24寸的有吗: a variant, not a size
    if product:
        answer = size_answer(product, entity(tracker, "size"), text)
        values = {**product_values(product), "size": answer.size or "", "size_advice": answer.advice or ""}
        worried = answer.kind == "chart" and worries_about_size(text)
        dispatcher.utter_message(response="utter_size_reassure" if worried else SIZE_RESPONSES[answer.kind],
                                 **values)
    return events


class ActionAnswerPrice(Action):
    def name(self) -> str:
        return "action_answer_price"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[dict[str, Any]]:
        return await answer_price(dispatcher, tracker)


class ActionAnswerProductInfo(Action):
    def name(self) -> str:
        return "action_answer_product_info"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[dict[str, Any]]:
        return await answer_product_info(dispatcher, tracker)


class ActionAnswerStock(Action):
    def name(self) -> str:
        return "action_answer_stock"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[dict[str, Any]]:
        return await answer_stock(dispatcher, tracker)


class ActionAnswerSize(Action):
    def name(self) -> str:
        return "action_answer_size"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[dict[str, Any]]:
        return await answer_size(dispatcher, tracker)
