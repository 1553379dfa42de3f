"""Match a shopper's question against the bank by meaning: BM25 (rank_bm25) over words, synonyms and bigrams.

The intents' training examples sit in the same index, so one ranking tells whether a question is nearer to an
entry of the bank or to something an intent already answers (a bank entry never hijacks 多少钱).
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Mapping

import numpy as np
import yaml
from rank_bm25 import BM25Okapi

from bot.knowledge.bank import Bank, Entry
from bot.knowledge.text import add_words, features
from bot.settings import PROJECT_ROOT

# Confidence is the BM25 score over the score of a perfect match; "nearer" compares with the best intent example.
ANSWER = 0.3       # confidence at or above which the best entry may answer ...
NEARER = 1.2       # ... when it is this much nearer than every intent example ...
CLEAR_LEAD = 1.25  # ... and leads the next entry by this factor
OFFER = 0.2        # below ANSWER, entries at or above this confidence are offered as buttons ...
NOT_FARTHER = 0.8  # ... unless an intent example is clearly nearer
SCOPED_BOOST = 1.3  # an entry written for the product under discussion beats the general one
OVERRIDE = 1.3     # beating a confident intent needs an entry this much nearer than every intent example
_ANNOTATION = re.compile(r"\[([^\]]+)\](?:\([^)]*\)|\{[^}]*\})")


@dataclass(frozen=True)
class Match:
    entry: Entry
    score: float
    confidence: float


@dataclass(frozen=True)
class Decision:
    """`answer` (one entry), `offer` (the best two as buttons) or `decline` (nothing fits well enough)."""

    kind: str
    matches: tuple[Match, ...] = ()
    intent: str | None = None       # the intent whose examples matched best
    intent_score: float = 0.0

    @property
    def best(self) -> Match | None:
        return self.matches[0] if self.matches else None


@lru_cache(maxsize=1)
def intent_examples(nlu_dir: Path = PROJECT_ROOT / "data" / "nlu") -> tuple[tuple[str, str], ...]:
    """(intent, example text) of the NLU training data, entity markup removed."""
    found = []
    for path in sorted(nlu_dir.glob("*.yml")):
        for item in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("nlu") or []:
            if "intent" in item:
                for line in str(item.get("examples") or "").splitlines():
                    text = _ANNOTATION.sub(r"\1", line.strip().removeprefix("- ").strip())
                    if text:
                        found.append((item["intent"], text))
    return tuple(found)


_FEATURES: dict[tuple[str, int], list[str]] = {}


def _cached_features(text: str, synonyms: Mapping[str, str], key: int) -> list[str]:
    """Features of an indexed text, kept across reloads (the intents' examples do not change at run time)."""
    if (text, key) not in _FEATURES:
        _FEATURES[(text, key)] = features(text, synonyms)
    return _FEATURES[(text, key)]


def _without(text: str, names: Iterable[str]) -> str:
    for name in names:
        text = text.replace(name, " ")
    return text


def scope_words(products: Iterable) -> dict[str, tuple[str, ...]]:
    """SKU and category -> the names shoppers use for them, from catalog products (name, aliases, category)."""
    found: dict[str, set[str]] = {}
    for p in products:
        names = {p.name, *p.aliases}
        found.setdefault(p.sku, set()).update(names)
        found.setdefault(p.category, set()).update(names | {p.category})
    return {key: tuple(sorted(words)) for key, words in found.items()}


class Retriever:
    """One BM25 index over the bank's questions and the intents' examples."""

    def __init__(self, bank: Bank, intents: tuple[tuple[str, str], ...] = (),
                 scope_words: Mapping[str, Iterable[str]] | None = None) -> None:
        """`scope_words`: SKU or category -> product names; in a scoped entry they name the scope, not the topic."""
        self.synonyms = bank.synonyms
        key = hash(frozenset(bank.synonyms.items()))
        self.scope_words = scope_words or {}
        add_words(list(bank.synonyms) + list(set(bank.synonyms.values())))
        self.owners: list[Entry | str] = []
        corpus: list[list[str]] = []
        for entry in bank.entries:
            names = self._names(entry.products | entry.categories)
            for question in entry.questions:
                self.owners.append(entry)
                corpus.append(_cached_features(_without(question, names), self.synonyms, key))
        for intent, text in intents:
            self.owners.append(intent)
            corpus.append(_cached_features(text, self.synonyms, key))
        self.is_entry = np.array([isinstance(o, Entry) for o in self.owners], dtype=bool)
        self.index = BM25Okapi(corpus or [["#"]])
        self._unknown_idf = math.log((len(corpus) + 0.5) / 0.5)

    def _names(self, keys: Iterable[str | None]) -> list[str]:
        return sorted({w for key in keys if key for w in self.scope_words.get(key, ())}, key=len, reverse=True)

    def _self_score(self, terms: list[str]) -> float:
        """Score the question would get against itself: the scale of a perfect match."""
        k1, b, index = self.index.k1, self.index.b, self.index
        total = 0.0
        for term in set(terms):
            tf = terms.count(term)
            idf = index.idf.get(term, self._unknown_idf)
            total += idf * tf * (k1 + 1) / (tf + k1 * (1 - b + b * len(terms) / index.avgdl))
        return total

    def _weights(self, sku: str | None, category: str | None) -> np.ndarray:
        """0 for entries of other products, SCOPED_BOOST for entries of this one: the specific answer wins."""
        return np.array([1.0 if isinstance(o, str) or not o.scoped else SCOPED_BOOST if o.applies_to(sku, category)
                         else 0.0 for o in self.owners])

    def search(self, text: str, sku: str | None = None, category: str | None = None,
               limit: int = 3) -> tuple[list[Match], str | None, float]:
        """Best entries applying to the product under discussion, and the best intent with its score."""
        terms = features(_without(text, self._names([sku])), self.synonyms)   # the product is context here
        if not terms or not self.owners:
            return [], None, 0.0
        scores = self.index.get_scores(terms) * self._weights(sku, category)
        scale = self._self_score(terms) or 1.0
        best: dict[str, Match] = {}
        intent, intent_score = None, 0.0
        for position in np.argsort(-scores):
            score = float(scores[position])
            if score <= 0:
                break
            owner = self.owners[position]
            if not self.is_entry[position]:
                if intent is None:
                    intent, intent_score = owner, score
                continue
            if owner.id in best:
                continue
            best[owner.id] = Match(owner, score, min(1.0, score / scale))
            if len(best) >= limit and intent is not None:
                break
        return list(best.values())[:limit], intent, intent_score

    def decide(self, text: str, sku: str | None = None, category: str | None = None,
               intent_confident: bool = False) -> Decision:
        """Answer, offer or decline; with a confident intent only a clearly nearer entry answers."""
        matches, intent, intent_score = self.search(text, sku, category)
        top = matches[0] if matches else None
        found = tuple(matches)
        if top is None or top.confidence < OFFER:
            return Decision("decline", found, intent, intent_score)
        leads = len(matches) < 2 or top.score >= CLEAR_LEAD * matches[1].score
        nearer = top.score / intent_score if intent_score else float("inf")
        if top.confidence >= ANSWER and leads and nearer >= (OVERRIDE if intent_confident else NEARER):
            return Decision("answer", (top,), intent, intent_score)
        if intent_confident or nearer < NOT_FARTHER:
            return Decision("decline", found, intent, intent_score)
        return Decision("offer", found[:2], intent, intent_score)
