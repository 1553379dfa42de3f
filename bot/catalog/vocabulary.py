"""The words that name products: built from the catalog and `data/store/vocabulary.yml`."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Iterable, Sequence

from bot.catalog.products import ProductView

_UNIT = re.compile(r"\d+(?:\.\d+)?\s*(?:寸|kg|公斤|cm|ml|升|卷|包)", re.I)
ATTRIBUTE_KEYS = ("colors", "collar", "pattern", "feature", "length", "fit")


@dataclass(frozen=True)
class Vocabulary:
    """Catalog terms, longest first: (term, SKUs it fits, strong)."""

    terms: tuple[tuple[str, frozenset[str], bool], ...]


@lru_cache(maxsize=1)
def _tokenizer() -> Any:
    import jieba  # deferred: loading its dictionary costs a second, and only product matching needs it

    jieba.setLogLevel(60)
    return jieba.Tokenizer()


def _norm(text: str) -> str:
    return unicodedata.normalize("NFKC", text).lower().strip()


def _subwords(text: str, ignore: set[str]) -> set[str]:
    words = {_norm(w) for w in _tokenizer().lcut(text, HMM=False)}
    words |= {_norm(m) for m in _UNIT.findall(text)}
    return {w for w in words if len(w) >= 2 and not w.isdigit() and w not in ignore}


def _attribute_values(product: ProductView) -> set[str]:
    values: set[str] = set()
    for key in ATTRIBUTE_KEYS:
        value = product.attributes.get(key)
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, str) and item:
                values.add(_norm(item))
    return values


def build_vocabulary(catalog: Sequence[ProductView], config: dict[str, Any]) -> Vocabulary:
    """Strong terms: names, aliases and category words; weak terms: words inside names and attribute values."""
    ignore = {_norm(w) for w in config.get("ignore") or []}
    categories: dict[str, Iterable[str]] = config.get("categories") or {}
    labels = {p.sku: [_norm(n) for n in (p.name, *p.aliases)] for p in catalog}
    strong: dict[str, set[str]] = {}
    for product in catalog:
        for label in labels[product.sku]:
            strong.setdefault(label, set())
    for category, words in categories.items():
        for word in {_norm(category), *(_norm(w) for w in words)}:
            strong.setdefault(word, set()).update(p.sku for p in catalog if p.category == category)
    for term, skus in strong.items():
        skus.update(sku for sku, names in labels.items() if any(term in name for name in names))
    weak: dict[str, set[str]] = {}
    for product in catalog:
        words = set().union(*(_subwords(n, ignore) for n in (product.name, *product.aliases)))
        words |= _attribute_values(product) | {_norm(product.category)}
        for word in words - strong.keys():
            weak.setdefault(word, set())
    for term, skus in weak.items():
        skus.update(p.sku for p in catalog
                    if any(term in name for name in labels[p.sku]) or term in _attribute_values(p)
                    or term == _norm(p.category) or any(term in v for v in _attribute_values(p)))
    entries = [(t, frozenset(s), True) for t, s in strong.items() if s]
    entries += [(t, frozenset(s), False) for t, s in weak.items() if s]
    entries.sort(key=lambda entry: (-len(entry[0]), not entry[2], entry[0]))
    return Vocabulary(tuple(entries))


def wearer_named(texts: Sequence[str], config: dict[str, Any]) -> str | None:
    """Who the shopper buys for (a key of the config's `wearers`), by the latest text that names one."""
    wearers: dict[str, Iterable[str]] = config.get("wearers") or {}
    for text in reversed(texts):
        said = _norm(text or "")
        found = [(max(said.rfind(_norm(w)) for w in words), wearer) for wearer, words in wearers.items()]
        position, wearer = max(found, default=(-1, None))
        if position >= 0:
            return wearer
    return None
