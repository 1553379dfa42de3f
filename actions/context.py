"""Shared adapters: what the conversation is about (product, order) and running blocking services off-loop."""
from __future__ import annotations

import asyncio
from typing import Any, Callable, TypeVar

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet

from bot.catalog.products import ProductView, find_product, get_product

T = TypeVar("T")


async def call(fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Run a blocking service function (database work) in a worker thread."""
    return await asyncio.to_thread(fn, *args, **kwargs)


def entity(tracker: Tracker, name: str) -> str | None:
    return next(tracker.get_latest_entity_values(name), None)


def page_product_sku(tracker: Tracker) -> str | None:
    """The product page the shopper is on, sent by the chat widget as message metadata."""
    metadata = tracker.latest_message.get("metadata") or {}
    return metadata.get("product_sku") or (metadata.get("customData") or {}).get("product_sku")


def _resolve(tracker: Tracker) -> ProductView | None:
    mention = entity(tracker, "product")
    product = find_product(mention) if mention else None
    if product is None:
        product = find_product(tracker.latest_message.get("text") or "") if not mention else None
    if product is None:
        product = get_product(page_product_sku(tracker)) or get_product(tracker.get_slot("product_sku"))
    return product


async def product_in_context(tracker: Tracker) -> tuple[ProductView | None, list[dict]]:
    """The product under discussion and the slot events that remember it."""
    product = await call(_resolve, tracker)
    if product is None:
        return None, []
    events = [] if tracker.get_slot("product_sku") == product.sku else [SlotSet("product_sku", product.sku)]
    return product, events
