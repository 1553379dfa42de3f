"""Consult the bank for one shopper message: a typed outcome the action maps to a response, plus what to record."""
from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Callable, Iterable

from bot.conversation.asks import is_question
from bot.knowledge.bank import Bank
from bot.knowledge.retrieval import Retriever, intent_examples, scope_words
from bot.knowledge.text import features, overlap
from bot.scripts.live import LiveLibrary

OFFER_RESPONSE = "utter_kb_offer"
REPHRASED = 0.4   # feature overlap with the shopper's previous question that makes a message its rephrasing


@dataclass(frozen=True)
class Outcome:
    """`answer` names the entry's response; `offer` carries buttons; `decline` leaves the turn to the caller."""

    kind: str
    response: str | None = None
    buttons: tuple[dict[str, str], ...] = ()
    entry_id: str | None = None
    record: str | None = None           # reason to record the message as unanswered, if any


def is_rephrasing(text: str, previous: str | None, synonyms: dict[str, str] | None = None) -> bool:
    """The shopper asks the previous question again in other words: the answer to it did not help."""
    if not previous or previous == text or not is_question(previous):
        return False
    return overlap(features(text, synonyms), features(previous, synonyms)) >= REPHRASED


def outcome(retriever: Retriever, text: str, sku: str | None = None, category: str | None = None,
            intent_confident: bool = False) -> Outcome:
    decision = retriever.decide(text, sku, category, intent_confident)
    best = decision.best
    if decision.kind == "answer" and best is not None:
        return Outcome("answer", best.entry.response, entry_id=best.entry.id)
    if decision.kind == "offer" and best is not None:
        buttons = tuple({"title": m.entry.questions[0][:20], "payload": m.entry.questions[0]}
                        for m in decision.matches)
        return Outcome("offer", OFFER_RESPONSE, buttons, best.entry.id, "low_confidence")
    return Outcome("decline", entry_id=best.entry.id if best else None,
                   record=None if intent_confident else "fallback")


class LiveBank:
    """The bank as served to actions: follows the hot-reloaded library, one retriever per loaded bank."""

    def __init__(self, library: LiveLibrary, products: Callable[[], Iterable] = tuple) -> None:
        self.library, self.products = library, products
        self._lock = threading.Lock()
        self._built: tuple[Bank | None, Retriever | None] = (None, None)

    def retriever(self) -> Retriever:
        bank = self.library.get().knowledge or Bank()
        with self._lock:
            if self._built[0] is not bank:
                self._built = (bank, Retriever(bank, intent_examples(), scope_words(self.products())))
            built = self._built[1]
            assert built is not None
            return built
