"""Shared adapters: the turn's unit of work, running blocking services off-loop, and what the conversation is
about (product, order)."""
from __future__ import annotations

from functools import lru_cache
from typing import Any, Callable, TypeVar

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import ActionExecutor

from bot.bootstrap import Services, bootstrap
from bot.catalog.index import resolve_mention
from bot.catalog.mentions import Resolution
from bot.catalog.products import ProductView
from bot.conversation.events import last_shown_skus
from bot.db.scope import in_worker, unit_of_work_scope

T = TypeVar("T")

turn = unit_of_work_scope     # `with turn(): ...` runs an action outside the executor (tests) as one turn


@lru_cache(maxsize=1)
def services() -> Services:
    """The action server's composition root (bot/bootstrap.py), built on first use."""
    return bootstrap()


def open_a_unit_of_work_per_turn() -> None:
    """The turn boundary: every action rasa_sdk's executor runs gets one unit of work, open while it runs."""
    run = ActionExecutor.run
    if getattr(run, "opens_unit_of_work", False):
        return

    async def run_in_unit_of_work(self: ActionExecutor, action_call: dict) -> dict | None:
        services()                       # the composition root has set the process's unit-of-work factory
        with unit_of_work_scope():
            return await run(self, action_call)

    setattr(run_in_unit_of_work, "opens_unit_of_work", True)   # noqa: B010 - a mark on the wrapper
    ActionExecutor.run = run_in_unit_of_work


async def call(fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Run the blocking use case `fn(uow, *args)` in a worker thread with the turn's unit of work."""
    return await in_worker(fn, *args, **kwargs)


def entity(tracker: Tracker, name: str) -> str | None:
    return next(tracker.get_latest_entity_values(name), None)


def page_product_sku(tracker: Tracker) -> str | None:
    """The product page the shopper is on, sent by the chat widget as message metadata."""
    metadata = tracker.latest_message.get("metadata") or {}
    sku = metadata.get("product_sku") or (metadata.get("customData") or {}).get("product_sku")
    return sku if isinstance(sku, str) else None


def mention_text(tracker: Tracker) -> str:
    """The shopper's words; for a button payload (/want_buy{"product": ...}) the entity values it carries."""
    text = tracker.latest_message.get("text") or ""
    if text.startswith("/"):
        return " ".join(str(e.get("value")) for e in tracker.latest_message.get("entities") or [])
    return text


async def resolve_subject(tracker: Tracker, single_in_stock: bool = True) -> tuple[Resolution, list[dict]]:
    """The product(s) the latest message is about, and the slot events that keep the subject."""
    subject = page_product_sku(tracker) or tracker.get_slot("product_sku")
    offered = last_shown_skus(tracker.events) or tracker.get_slot("offered_skus") or []
    found = await call(resolve_mention, mention_text(tracker), subject, offered, single_in_stock)
    events: list[dict] = []
    if found.product is not None and found.product.sku != tracker.get_slot("product_sku"):
        events.append(SlotSet("product_sku", found.product.sku))
    if found.kind == "choice":
        events.append(SlotSet("offered_skus", [p.sku for p in found.products]))
        in_stock = [p for p in found.products if p.in_stock]
        if len(in_stock) == 1 and in_stock[0].sku != tracker.get_slot("product_sku"):
            events.append(SlotSet("product_sku", in_stock[0].sku))   # the one they can buy is the subject
    return found, events


async def product_in_context(tracker: Tracker) -> tuple[ProductView | None, list[dict]]:
    """The one product under discussion (none when the words fit several) and its slot events."""
    found, events = await resolve_subject(tracker)
    return found.product, events


async def names_products(tracker: Tracker) -> bool:
    """Whether the message names a kind of product we sell, or picks one of the products just shown."""
    offered = last_shown_skus(tracker.events) or tracker.get_slot("offered_skus") or []
    found = await call(resolve_mention, mention_text(tracker), None, offered, False)
    return bool(found.products) and bool(found.mention.strong or (offered and found.kind == "one"))
