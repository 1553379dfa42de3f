"""Resolve how shoppers name products: full name, alias, category, attribute, superlative, reference, ordinal.

Pure functions over a list of `ProductView`s and the store vocabulary (no database, no Rasa). Terms come in two
strengths: *strong* terms name a kind of product (names, aliases, categories and their aliases), *weak* terms
only narrow (a word inside a name such as 条纹 or 24寸, an attribute value such as 黑色 or V领). A mention that
fits one product, or exactly one in stock, resolves to it; a mention that fits several gives a short choice,
in stock first.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Iterable, Literal, Sequence

from bot.catalog.products import ProductView
from bot.catalog.vocabulary import Vocabulary

Kind = Literal["one", "choice", "none"]
MAX_OPTIONS = 4
SUPERLATIVES = frozenset({"cheapest", "largest", "smallest"})

_ORDINAL = re.compile(r"第\s*([一二三四五六1-6])\s*(?:个|款|件|种|双|条|套|只|顶|个吧)?")
_LAST = re.compile(r"最后(?:一|那)?(?:个|款|件|种)")
_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6}
_REFERENCE = re.compile(r"(这|那|刚才|刚刚|之前|上面)(?:个|款|件|种|双|条|套|只|顶|一款|一件|一个)|它|这$|那$")
_ORDERS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("cheapest", re.compile(r"最便宜|最实惠|最低价|价格最低")),
    ("cheaper", re.compile(r"便宜(?:点|一点|些|一些)?的|实惠(?:点|一点)?的|平价|价格低|低价|预算(?:不多|有限)")),
    ("largest", re.compile(r"最大")),
    ("larger", re.compile(r"大(?:点|一点|些|一些)的|大一号|更大")),
    ("smallest", re.compile(r"最小")),
    ("smaller", re.compile(r"小(?:点|一点|些|一些)的|小一号|更小")),
    ("pricier", re.compile(r"贵(?:点|一点|些)的|好一点的|高档|高端|档次高")),
)
_BUDGET = re.compile(r"(?<![\d.])(\d{1,5})(?!\d)\s*(?:元|块钱|块|rmb)?\s*(?:以内|以下|之内|内)"
                     r"|不超过\s*(\d{1,5})(?!\d)|(?:预算|最多)\s*(\d{1,5})(?!\d)(?!\s*(?:元|块)?\s*左右)")
_IN_STOCK_ONLY = re.compile(r"有现货的|有货的|现货的|能马上发的|现在能买的")
_NUMBER = re.compile(r"(\d+(?:\.\d+)?)\s*(寸|kg|KG|公斤|cm|ml|L|升|卷|包|双|件套)")


@dataclass(frozen=True)
class Mention:
    """What a message says about products, before it is matched against the conversation."""

    strong: tuple[frozenset[str], ...] = ()   # product sets of strong terms, in order of appearance
    weak: tuple[frozenset[str], ...] = ()     # product sets of weak terms
    order: str | None = None                  # cheapest, cheaper, largest, larger, ...
    ordinal: int | None = None                # 第二个 → 2; -1 for 最后一个
    reference: bool = False                   # 这个 / 那件 / 刚才那款 / 它
    in_stock_only: bool = False               # 有现货的最便宜的
    terms: tuple[str, ...] = ()
    named: str = ""                           # the shopper's own words for the first kind named (拉杆箱)
    budget: float | None = None               # 60以内 / 不超过100 / 预算200: the most one item may cost

    @property
    def names_products(self) -> bool:
        return bool(self.strong or self.weak or self.order or self.ordinal) or self.budget is not None


@dataclass(frozen=True)
class Resolution:
    kind: Kind
    products: tuple[ProductView, ...] = ()
    total: int = 0                            # how many products fit the mention before trimming to options
    mention: Mention = field(default_factory=Mention)

    @property
    def product(self) -> ProductView | None:
        return self.products[0] if self.kind == "one" else None


def normalise(text: str) -> str:
    """Full-width characters to half-width, lower case for Latin letters."""
    return unicodedata.normalize("NFKC", text or "").lower()


def parse_mention(text: str, vocabulary: Vocabulary) -> Mention:
    """Find the catalog terms in a message: longest first, never overlapping."""
    original, text = text or "", normalise(text)
    taken = [False] * len(text)
    found: list[tuple[int, str, frozenset[str], bool]] = []
    for term, skus, strong in vocabulary.terms:
        start = text.find(term)
        while start != -1:
            end = start + len(term)
            if not any(taken[start:end]):
                taken[start:end] = [True] * (end - start)
                found.append((start, term, skus, strong))
            start = text.find(term, end)
    found.sort()
    ordinal = None
    if match := _ORDINAL.search(text):
        value = match.group(1)
        ordinal = _DIGITS.get(value) or int(value)
    elif _LAST.search(text):
        ordinal = -1
    order = next((name for name, pattern in _ORDERS if pattern.search(text)), None)
    budget_match = _BUDGET.search(text)
    budget = float(next(g for g in budget_match.groups() if g)) if budget_match else None
    return Mention(
        strong=tuple(skus for _, _, skus, strong in found if strong),
        weak=tuple(skus for _, _, skus, strong in found if not strong),
        order=order, ordinal=ordinal, reference=bool(_REFERENCE.search(text)),
        in_stock_only=bool(_IN_STOCK_ONLY.search(text)),
        terms=tuple(term for _, term, _, _ in found),
        named=_named(original, text, found),
        budget=budget,
    )


def _named(original: str, text: str, found: list[tuple[int, str, frozenset[str], bool]]) -> str:
    """The shopper's words for the first kind named, with the details right in front (女士外套, 24寸的拉杆箱)."""
    first = next((i for i, (_, _, _, strong) in enumerate(found) if strong), None)
    if first is None or len(original) != len(text):
        return ""
    start, term = found[first][0], found[first][1]
    begin = start
    for previous in reversed(found[:first]):
        gap = text[previous[0] + len(previous[1]):begin]
        if gap not in ("", "的"):
            break
        begin = previous[0]
    return original[begin:start + len(term)]


def _size_of(product: ProductView) -> float:
    """A comparable size: the number in the name or size attribute (24寸, 10kg), else the price."""
    for source in (product.name, str(product.attributes.get("size") or "")):
        if match := _NUMBER.search(normalise(source)):
            return float(match.group(1))
    return product.price


def _ranked(products: Iterable[ProductView], order: str | None, subject: ProductView | None) -> list[ProductView]:
    pool = list(products)
    if order in {"cheaper", "smaller", "larger", "pricier"} and subject is not None:
        key = _size_of if order in {"smaller", "larger"} else (lambda p: p.price)
        beyond = [p for p in pool if p.sku != subject.sku and (
            key(p) < key(subject) if order in {"cheaper", "smaller"} else key(p) > key(subject))]
        pool = beyond or pool
    if order in {"cheapest", "cheaper"}:
        pool.sort(key=lambda p: p.price)
    elif order == "pricier":
        pool.sort(key=lambda p: -p.price)
    elif order in {"largest", "larger"}:
        pool.sort(key=lambda p: -_size_of(p))
    elif order in {"smallest", "smaller"}:
        pool.sort(key=_size_of)
    if order in SUPERLATIVES:
        return pool                                     # the true answer, in stock or not
    return sorted(pool, key=lambda p: not p.in_stock)  # stable: in stock first, order kept


def _spread(products: list[ProductView]) -> list[ProductView]:
    """Categories in turn (衣服: a T恤, a coat, trousers, a dress, then the next of each), in stock first."""
    def in_turn(group: list[ProductView]) -> list[ProductView]:
        queues: dict[str, list[ProductView]] = {}
        for product in group:
            queues.setdefault(product.category, []).append(product)
        width = max((len(q) for q in queues.values()), default=0)
        return [q[i] for i in range(width) for q in queues.values() if i < len(q)]

    return in_turn([p for p in products if p.in_stock]) + in_turn([p for p in products if not p.in_stock])


def _narrow(pool: list[ProductView], sets: Sequence[frozenset[str]]) -> list[ProductView]:
    """Apply each term in turn while it leaves something (a word that fits nothing is ignored)."""
    for skus in sets:
        narrowed = [p for p in pool if p.sku in skus]
        if narrowed:
            pool = narrowed
    return pool


def _strong_pool(mention: Mention, catalog: Sequence[ProductView]) -> list[ProductView]:
    common = frozenset.intersection(*mention.strong)
    chosen = common or mention.strong[0]        # 风衣配什么裤子: the first named product is the subject
    return [p for p in catalog if p.sku in chosen]


def _decide(pool: list[ProductView], mention: Mention, subject: ProductView | None,
            single_in_stock: bool) -> Resolution:
    if mention.budget is not None:                # 60以内的T恤: those within it, else the cheapest first
        pool = [p for p in pool if p.price <= mention.budget] or sorted(pool, key=lambda p: p.price)
    if mention.in_stock_only:
        pool = [p for p in pool if p.in_stock] or pool
    ranked = _ranked(pool, mention.order, subject)
    if not ranked:
        return Resolution("none", mention=mention)
    if mention.order in SUPERLATIVES:
        return Resolution("one", (ranked[0],), len(ranked), mention)
    in_stock = [p for p in ranked if p.in_stock]
    if len(ranked) == 1 or (single_in_stock and len(in_stock) == 1 and not mention.order):
        return Resolution("one", tuple((in_stock or ranked)[:1]), len(ranked), mention)
    options = ranked if mention.order else _spread(ranked)
    return Resolution("choice", tuple(options[:MAX_OPTIONS]), len(ranked), mention)


def resolve(text: str, catalog: Sequence[ProductView], vocabulary: Vocabulary, subject_sku: str | None = None,
            offered: Sequence[str] = (), single_in_stock: bool = True) -> Resolution:
    """The product(s) a message is about, given the conversation's subject and the options last offered.

    `single_in_stock`: a mention that fits several products of which one is in stock resolves to it (for
    asking the price or buying); browsing passes False to see every fitting product.
    """
    by_sku = {p.sku: p for p in catalog}
    subject = by_sku.get(subject_sku or "")
    options = [by_sku[s] for s in offered if s in by_sku]
    mention = parse_mention(text, vocabulary)
    if mention.ordinal and options:
        index = mention.ordinal - 1 if mention.ordinal > 0 else len(options) - 1
        if 0 <= index < len(options):
            return Resolution("one", (options[index],), len(options), mention)
    if mention.strong and not (mention.reference and subject and _all_fit(subject, mention.strong)):
        pool = _narrow(_strong_pool(mention, catalog), mention.weak)
        if subject is not None and subject in pool and single_in_stock and not mention.order:
            return Resolution("one", (subject,), len(pool), mention)  # still the subject: 拉杆箱多少钱
        return _decide(pool, mention, subject, single_in_stock)
    constrained = bool(mention.order) or mention.budget is not None      # 便宜点的 / 100以内的
    if mention.weak or constrained:
        if subject is not None and not constrained and (
                _all_fit(subject, mention.weak) or (mention.reference and not _names_another(mention, catalog, subject))):
            return Resolution("one", (subject,), 1, mention)   # 这个黑色的有吗 asks about the subject
        wider = [p for p in catalog if p.category == subject.category] if subject else list(catalog)
        base = options or wider
        fitting = [skus for skus in mention.weak if any(p.sku in skus for p in base)]
        if mention.weak and not fitting and options:   # V领那个 after a list without one: another item
            base = wider
            fitting = [skus for skus in mention.weak if any(p.sku in skus for p in base)]
        if fitting or (constrained and not mention.weak):
            return _decide(_narrow(base, fitting), mention, subject, single_in_stock)
        if subject is not None:
            return Resolution("one", (subject,), 1, mention)
        return Resolution("none", mention=mention)
    if subject is not None:
        return Resolution("one", (subject,), 1, mention)
    if len(options) == 1:
        return Resolution("one", (options[0],), 1, mention)
    return Resolution("none", mention=mention)


def _names_another(mention: Mention, catalog: Sequence[ProductView], subject: ProductView) -> bool:
    """24寸那个 after the 20寸 case: the word that tells a sibling (same name but this word) from the subject."""
    own = subject.name.lower()
    return any(term in p.name.lower() and p.name.lower().replace(term, "") in own and _all_fit(p, mention.weak)
               for p in catalog if p is not subject for term in mention.terms)


def _all_fit(product: ProductView, sets: Sequence[frozenset[str]]) -> bool:
    return all(product.sku in skus for skus in sets)
