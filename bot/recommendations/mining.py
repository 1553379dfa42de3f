"""Co-purchase mining ("customers who bought A also bought B"): support, confidence and lift of item pairs.

The core works on any iterable of baskets (lists of SKUs), so it runs on order history from the database or on
generated baskets. Each SKU counts once per basket; empty baskets are skipped. Pair counts are streamed as
int64 keys (a << 32 | b) and reduced with numpy in chunks, so memory stays bounded by the distinct pairs.

For a pair seen together in n_ab of N baskets: support = n_ab / N, confidence(A->B) = n_ab / n_a,
lift(A->B) = n_ab * N / (n_a * n_b). Rules are directional and kept when n_ab >= min_support (a count),
confidence >= min_confidence and lift >= min_lift.
"""
from __future__ import annotations

from array import array
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import combinations, groupby
from typing import TYPE_CHECKING, Iterable, Iterator

import numpy as np

if TYPE_CHECKING:
    from bot.db.uow import AbstractUnitOfWork


@dataclass(frozen=True)
class MiningConfig:
    min_support: int = 5            # orders holding both items
    min_confidence: float = 0.05
    min_lift: float = 1.2
    max_basket: int = 100           # larger baskets count for item frequencies but not for pairs
    exclude_statuses: tuple[str, ...] = ("cancelled",)


@dataclass(frozen=True)
class PairRule:
    sku_a: str
    sku_b: str
    pair_count: int
    support: float
    confidence: float
    lift: float


class PairCounter:
    """Streaming item and pair counts over baskets."""

    def __init__(self, chunk: int = 1 << 21, max_basket: int = 100) -> None:
        self.ids: dict[str, int] = {}
        self.skus: list[str] = []
        self.item_counts: list[int] = []
        self.baskets = 0
        self.max_basket = max_basket
        self._chunk = chunk
        self._buffer = array("q")
        self._keys = np.empty(0, dtype=np.int64)
        self._counts = np.empty(0, dtype=np.int64)

    def _id(self, sku: str) -> int:
        found = self.ids.get(sku)
        if found is None:
            found = self.ids[sku] = len(self.skus)
            self.skus.append(sku)
            self.item_counts.append(0)
        return found

    def add(self, basket: Iterable[str]) -> None:
        ids = sorted({self._id(sku) for sku in basket})
        if not ids:
            return
        self.baskets += 1
        counts = self.item_counts
        for i in ids:
            counts[i] += 1
        if len(ids) == 2:
            self._buffer.append(ids[0] << 32 | ids[1])
        elif 2 < len(ids) <= self.max_basket:
            self._buffer.extend(a << 32 | b for a, b in combinations(ids, 2))
        if len(self._buffer) >= self._chunk:
            self._flush()

    def add_all(self, baskets: Iterable[Iterable[str]]) -> PairCounter:
        for basket in baskets:
            self.add(basket)
        return self

    def _flush(self) -> None:
        if not len(self._buffer):
            return
        keys, counts = np.unique(np.frombuffer(self._buffer, dtype=np.int64), return_counts=True)
        self._buffer = array("q")
        if self._keys.size:
            keys = np.concatenate([self._keys, keys])
            counts = np.concatenate([self._counts, counts])
            keys, inverse = np.unique(keys, return_inverse=True)
            counts = np.bincount(inverse, weights=counts).astype(np.int64)
        self._keys, self._counts = keys, counts

    def pair_counts(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(first ids, second ids, counts) of every pair seen, first id < second id."""
        self._flush()
        return self._keys >> 32, self._keys & 0xFFFFFFFF, self._counts


@dataclass
class MiningResult:
    orders: int
    items: int
    pairs: int                      # distinct pairs seen together at least once
    skus: list[str]
    sku_a: np.ndarray               # rule arrays (ids into skus), strongest confidence first per sku_a
    sku_b: np.ndarray
    pair_count: np.ndarray
    support: np.ndarray
    confidence: np.ndarray
    lift: np.ndarray

    def __len__(self) -> int:
        return int(self.sku_a.size)

    def rules(self) -> Iterator[PairRule]:
        for i in range(len(self)):
            yield PairRule(self.skus[self.sku_a[i]], self.skus[self.sku_b[i]], int(self.pair_count[i]),
                           float(self.support[i]), float(self.confidence[i]), float(self.lift[i]))

    def rule(self, sku_a: str, sku_b: str) -> PairRule | None:
        return next((r for r in self.rules() if r.sku_a == sku_a and r.sku_b == sku_b), None)


def rules_from_counts(counter: PairCounter, config: MiningConfig) -> MiningResult:
    """Directional rules of the counted pairs that pass the thresholds."""
    first, second, together = counter.pair_counts()
    n = counter.baskets
    items = np.asarray(counter.item_counts, dtype=np.float64)
    keep = together >= config.min_support
    a = np.concatenate([first[keep], second[keep]])
    b = np.concatenate([second[keep], first[keep]])
    ab = np.concatenate([together[keep], together[keep]]).astype(np.float64)
    confidence = ab / items[a] if a.size else np.empty(0)
    lift = ab * n / (items[a] * items[b]) if a.size else np.empty(0)
    keep = (confidence >= config.min_confidence) & (lift >= config.min_lift)
    a, b, ab, confidence, lift = a[keep], b[keep], ab[keep], confidence[keep], lift[keep]
    order = np.lexsort((b, -lift, -confidence, a))
    return MiningResult(
        orders=n, items=len(counter.skus), pairs=int(together.size), skus=counter.skus,
        sku_a=a[order], sku_b=b[order], pair_count=ab[order].astype(np.int64),
        support=ab[order] / max(n, 1), confidence=confidence[order], lift=lift[order],
    )


def mine_baskets(baskets: Iterable[Iterable[str]], config: MiningConfig | None = None) -> MiningResult:
    """Mine pair rules from baskets of SKUs."""
    config = config or MiningConfig()
    return rules_from_counts(PairCounter(max_basket=config.max_basket).add_all(baskets), config)


def order_baskets(uow: AbstractUnitOfWork, config: MiningConfig | None = None,
                  batch: int = 50_000) -> Iterator[list[str]]:
    """Baskets of the stored orders (statuses not excluded), streamed in order id order."""
    config = config or MiningConfig()
    rows = uow.co_purchases.order_baskets(config.exclude_statuses, batch)
    for _order_id, lines in groupby(rows, key=lambda row: row[0]):
        yield [sku for _, sku in lines]


def store_rules(uow: AbstractUnitOfWork, result: MiningResult, computed_at: datetime | None = None,
                batch: int = 10_000) -> int:
    """Replace the stored co-purchases with these rules (the caller commits)."""
    computed_at = computed_at or datetime.now(UTC)
    uow.co_purchases.replace_all(({**rule.__dict__, "computed_at": computed_at} for rule in result.rules()), batch)
    return len(result)


def recompute(uow: AbstractUnitOfWork, config: MiningConfig | None = None) -> MiningResult:
    """Mine the stored order history and replace the stored co-purchases."""
    config = config or MiningConfig()
    result = mine_baskets(order_baskets(uow, config), config)
    store_rules(uow, result)
    uow.commit()
    return result
