"""The live catalog index: products and the words that name them, rebuilt when either changes."""
from __future__ import annotations

import time
from pathlib import Path
from threading import Lock
from typing import TYPE_CHECKING, Sequence

from bot.catalog.mentions import Mention, Resolution, parse_mention, resolve
from bot.catalog.products import ProductView, list_products
from bot.catalog.vocabulary import Vocabulary, build_vocabulary, wearer_named
from bot.settings import get_settings
from bot.store.files import parsed_when_changed

if TYPE_CHECKING:
    from bot.db.uow import AbstractUnitOfWork


def _vocabulary_config(path: Path) -> dict:
    return parsed_when_changed(path, dict) if path.exists() else {}


class CatalogIndex:
    """Products re-read at most every `ttl` seconds; the vocabulary rebuilt when products or the file change."""

    def __init__(self, ttl: float = 30.0) -> None:
        self.ttl, self._lock = ttl, Lock()
        self._at = 0.0
        self._products: tuple[ProductView, ...] = ()
        self._config: dict | None = None
        self._vocabulary = Vocabulary(())

    def snapshot(self, uow: AbstractUnitOfWork) -> tuple[tuple[ProductView, ...], Vocabulary]:
        config = _vocabulary_config(get_settings().store_data_dir / "vocabulary.yml")
        with self._lock:
            stale = time.monotonic() - self._at > self.ttl or not self._products
            if stale:
                products = tuple(list_products(uow))
                self._at = time.monotonic()
            else:
                products = self._products
            if products != self._products or config is not self._config:
                self._products, self._config = products, config
                self._vocabulary = build_vocabulary(products, config)
            return self._products, self._vocabulary

    def clear(self) -> None:
        with self._lock:
            self._at, self._products = 0.0, ()


CATALOG = CatalogIndex()


def resolve_mention(uow: AbstractUnitOfWork, text: str, subject_sku: str | None = None, offered: Sequence[str] = (),
                    single_in_stock: bool = True) -> Resolution:
    """What product(s) the shopper's words are about, against the live catalog."""
    products, vocabulary = CATALOG.snapshot(uow)
    return resolve(text, products, vocabulary, subject_sku, offered, single_in_stock)


def mention_in(uow: AbstractUnitOfWork, text: str) -> Mention:
    """The catalog terms of a message (each kind it names, in order), against the live catalog."""
    _, vocabulary = CATALOG.snapshot(uow)
    return parse_mention(text, vocabulary)


def shopper_wearer(texts: Sequence[str]) -> str | None:
    """Who the shopper's messages (oldest first) say they buy for: `men`, `women` or None."""
    return wearer_named(texts, _vocabulary_config(get_settings().store_data_dir / "vocabulary.yml"))


def attribute_cues() -> dict[str, list[str]]:
    """The manager's cue words per product attribute (`attribute_questions` of vocabulary.yml)."""
    return _vocabulary_config(get_settings().store_data_dir / "vocabulary.yml").get("attribute_questions") or {}


def category_names(uow: AbstractUnitOfWork) -> list[str]:
    """The store's categories, largest first."""
    products, _ = CATALOG.snapshot(uow)
    counts: dict[str, int] = {}
    for product in products:
        counts[product.category] = counts.get(product.category, 0) + 1
    return sorted(counts, key=lambda c: -counts[c])

