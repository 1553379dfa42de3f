"""The question bank from the actions: answer from it, offer its best entries, record what stayed unanswered."""
from __future__ import annotations

import logging
import threading
from functools import lru_cache
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.context import call, resolve_subject, services
from bot.catalog.answers import product_values
from bot.catalog.products import list_products
from bot.conversation.events import shopper_events
from bot.db.uow import AbstractUnitOfWork, run_in_unit_of_work
from bot.knowledge import unanswered
from bot.knowledge.retrieval import Retriever
from bot.knowledge.service import LiveBank, Outcome, is_rephrasing, outcome
from bot.store.config import load_store
from bot.store.policies import service_values

log = logging.getLogger("store.knowledge")


@lru_cache(maxsize=1)
def live_bank() -> LiveBank:
    return LiveBank(services().library, list_products)   # the action server's one library


def _warm_up() -> None:
    """Build the index when the action server starts, so the first shopper never waits for jieba (a few s)."""
    try:
        run_in_unit_of_work(live_bank().retriever)
    except Exception:   # noqa: BLE001 - the first consult builds it again and reports the cause
        log.exception("question bank warm-up failed")


threading.Thread(target=_warm_up, name="knowledge-warm-up", daemon=True).start()


def _shopper_texts(tracker: Tracker) -> list[str]:
    return [e.get("text") or "" for e in shopper_events(tracker.events)]


def previous_question(tracker: Tracker) -> str | None:
    """The shopper's message before the latest one, unless it was a button payload."""
    texts = _shopper_texts(tracker)
    return texts[-2] if len(texts) >= 2 and texts[-2] and not texts[-2].startswith("/") else None


async def record(tracker: Tracker, text: str, reason: str, best_entry: str | None = None,
                 product_sku: str | None = None) -> None:
    context = {"product_sku": product_sku, "previous": _shopper_texts(tracker)[-4:-1]}
    await call(unanswered.record, tracker.sender_id, text, reason, best_entry, context)


def _decide(uow: AbstractUnitOfWork, text: str, sku: str | None, category: str | None,
            intent_confident: bool) -> tuple[Retriever, Outcome]:
    retriever = live_bank().retriever(uow)
    return retriever, outcome(retriever, text, sku, category, intent_confident)


async def consult(dispatcher: CollectingDispatcher, tracker: Tracker,
                  intent_confident: bool) -> tuple[Outcome, list[dict[str, Any]]] | None:
    """Answer or offer from the bank; None when the message is a button payload or empty.

    With `intent_confident` only an entry clearly nearer than every intent example answers, and nothing is
    offered or recorded; otherwise a decline is recorded as unanswered and left to the caller to phrase.
    """
    text = tracker.latest_message.get("text") or ""
    if not text.strip() or text.startswith("/"):
        return None
    found, events = await resolve_subject(tracker)
    product = found.product
    sku, category = (product.sku, product.category) if product else (None, None)
    retriever, result = await call(_decide, text, sku, category, intent_confident)
    previous = previous_question(tracker)
    if previous and is_rephrasing(text, previous, retriever.synonyms):
        await record(tracker, previous, "rephrased", product_sku=sku)
    if result.record:
        await record(tracker, text, result.record, result.entry_id, sku)
    if result.kind == "answer":
        values = {**service_values(load_store()), **(product_values(product) if product else {})}
        dispatcher.utter_message(response=result.response, **values)
    elif result.kind == "offer":
        dispatcher.utter_message(response=result.response, extra_buttons=list(result.buttons))
    return result, events


async def answer_first(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[dict[str, Any]] | None:
    """For actions of a confident intent: the bank's events when one of its entries fits clearly better."""
    consulted = await consult(dispatcher, tracker, intent_confident=True)
    return consulted[1] if consulted and consulted[0].kind == "answer" else None
