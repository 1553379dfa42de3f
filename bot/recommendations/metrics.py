"""Measuring suggestions: shown / accepted / declined events per conversation, and the report.

The report gives, by kind, how many suggestions were shown and accepted, and compares paid orders with and
without an accepted suggestion (an order has one when its customer, i.e. the conversation, accepted a
suggestion whose SKU is in the order): items per order, AOV (amount / buyers) and value per order.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, Iterable

from bot.recommendations.store_data import utc

if TYPE_CHECKING:
    from bot.db.uow import AbstractUnitOfWork

UNKNOWN_KIND = "unknown"


def _sku_and_kind(item: Any) -> tuple[str, str]:
    if isinstance(item, (tuple, list)):
        return str(item[0]), str(item[1])
    return item.product.sku, item.kind                       # a Suggestion


def _add(uow: AbstractUnitOfWork, conversation_id: str, pairs: Iterable[tuple[str, str]], event: str) -> int:
    pairs = list(pairs)
    if pairs:
        uow.suggestions.add(conversation_id, pairs, event)
        uow.commit()
    return len(pairs)


def events(uow: AbstractUnitOfWork, conversation_id: str, event: str) -> list[tuple[str, str]]:
    """(sku, kind) of one event type (shown, accepted, declined) in the conversation, oldest first."""
    return [(sku, kind) for sku, kind, _ in uow.suggestions.of(conversation_id, (event,))]


def _shown_kind(uow: AbstractUnitOfWork, conversation_id: str, sku: str) -> str | None:
    return next((kind for s, kind in reversed(events(uow, conversation_id, "shown")) if s == sku), None)


def record_shown(uow: AbstractUnitOfWork, conversation_id: str, items: Iterable[Any]) -> int:
    """Suggestions shown: Suggestion objects or (sku, kind) pairs."""
    return _add(uow, conversation_id, (_sku_and_kind(i) for i in items), "shown")


def record_accepted(uow: AbstractUnitOfWork, conversation_id: str, sku: str, kind: str | None = None) -> None:
    """The shopper took a suggestion; the kind defaults to the one it was last shown as."""
    _add(uow, conversation_id, [(sku, kind or _shown_kind(uow, conversation_id, sku) or UNKNOWN_KIND)],
         "accepted")


def record_accepted_if_suggested(uow: AbstractUnitOfWork, conversation_id: str, sku: str) -> bool:
    """Record an acceptance when the SKU was suggested in this conversation and not yet accepted."""
    kind = _shown_kind(uow, conversation_id, sku)
    if kind is None or any(s == sku for s, _ in events(uow, conversation_id, "accepted")):
        return False
    record_accepted(uow, conversation_id, sku, kind)
    return True


def record_declined(uow: AbstractUnitOfWork, conversation_id: str, skus: str | Iterable[str],
                    kind: str | None = None) -> int:
    """The shopper declined these suggestions: they are not suggested again in this conversation."""
    skus = [skus] if isinstance(skus, str) else list(skus)
    return _add(uow, conversation_id,
                [(s, kind or _shown_kind(uow, conversation_id, s) or UNKNOWN_KIND) for s in skus], "declined")


def declined_skus(uow: AbstractUnitOfWork, conversation_id: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(sku for sku, _ in events(uow, conversation_id, "declined")))


def memory(uow: AbstractUnitOfWork, conversation_id: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(shown, declined) SKUs of the conversation, in the order they first happened."""
    rows = uow.suggestions.of(conversation_id, ("shown", "declined"))
    pick = lambda event: tuple(dict.fromkeys(sku for sku, _, e in rows if e == event))   # noqa: E731
    return pick("shown"), pick("declined")


@dataclass(frozen=True)
class KindStats:
    kind: str
    shown: int
    accepted: int
    declined: int

    @property
    def acceptance_rate(self) -> float:
        return round(self.accepted / self.shown, 4) if self.shown else 0.0


@dataclass(frozen=True)
class OrderStats:
    orders: int
    buyers: int
    items: int
    amount: float

    @property
    def items_per_order(self) -> float:
        return round(self.items / self.orders, 3) if self.orders else 0.0

    @property
    def aov(self) -> float:
        """客单价: paid amount / paying buyers."""
        return round(self.amount / self.buyers, 2) if self.buyers else 0.0

    @property
    def order_value(self) -> float:
        return round(self.amount / self.orders, 2) if self.orders else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "amount": round(self.amount, 2), "items_per_order": self.items_per_order,
                "aov": self.aov, "order_value": self.order_value}


@dataclass(frozen=True)
class SuggestionReport:
    by_kind: tuple[KindStats, ...]
    with_accepted: OrderStats
    without_accepted: OrderStats

    def as_dict(self) -> dict[str, Any]:
        return {
            "by_kind": {k.kind: {**asdict(k), "acceptance_rate": k.acceptance_rate} for k in self.by_kind},
            "orders_with_accepted_suggestion": self.with_accepted.as_dict(),
            "orders_without_accepted_suggestion": self.without_accepted.as_dict(),
        }

    def table(self) -> str:
        lines = [f"{'kind':<14}{'shown':>8}{'accepted':>10}{'declined':>10}{'rate':>8}"]
        for k in self.by_kind:
            lines.append(f"{k.kind:<14}{k.shown:>8}{k.accepted:>10}{k.declined:>10}{k.acceptance_rate:>8.1%}")
        lines += ["", f"{'paid orders':<24}{'orders':>8}{'buyers':>8}{'items/order':>13}{'AOV':>10}{'per order':>11}"]
        for label, s in (("with accepted suggestion", self.with_accepted),
                         ("without", self.without_accepted)):
            lines.append(f"{label:<24}{s.orders:>8}{s.buyers:>8}{s.items_per_order:>13.2f}"
                         f"{s.aov:>10.2f}{s.order_value:>11.2f}")
        return "\n".join(lines)


def _kind_stats(uow: AbstractUnitOfWork, since: datetime | None) -> tuple[KindStats, ...]:
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for kind, event, n in uow.suggestions.counts_by_kind(since):
        counts[kind][event] += n
    return tuple(KindStats(kind, c["shown"], c["accepted"], c["declined"]) for kind, c in sorted(counts.items()))


def report(uow: AbstractUnitOfWork, since: datetime | None = None) -> SuggestionReport:
    """Suggestion acceptance by kind and the order effect of accepted suggestions (optionally since a time)."""
    since = utc(since) if since is not None else None
    by_kind = _kind_stats(uow, since)
    accepted = uow.suggestions.accepted_pairs()
    orders, amount, buyers, items = uow.suggestion_report.paid_totals(since)
    # Orders of customers who accepted something, split by whether the accepted SKU is in the order.
    lines: dict[str, list] = {}
    customers = sorted({c for c, _ in accepted})
    for order_id, customer, total, sku, qty in uow.suggestion_report.paid_lines_of(customers, since):
        lines.setdefault(order_id, [customer, total, 0, False])
        lines[order_id][2] += qty
        lines[order_id][3] |= (customer, sku) in accepted
    hit = [v for v in lines.values() if v[3]]
    with_stats = OrderStats(len(hit), len({v[0] for v in hit}), sum(v[2] for v in hit), sum(v[1] for v in hit))
    accepted_buyers = {v[0] for v in lines.values()}
    buyers_with_other_orders = {v[0] for v in lines.values() if not v[3]}
    without = OrderStats(
        orders=orders - with_stats.orders,
        buyers=buyers - len(accepted_buyers) + len(buyers_with_other_orders),
        items=items - with_stats.items,
        amount=amount - with_stats.amount,
    )
    return SuggestionReport(by_kind, with_stats, without)
