"""In-memory repositories of the fake unit of work (tests/support/fake_uow.py): the same methods as the
SQLAlchemy ones the services call, over one `FakeState` of plain objects."""
from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, Iterable, Sequence

from bot.db.models import (
    ConversationMetric,
    Customer,
    Handoff,
    Order,
    OrderLine,
    Product,
    ProductRelation,
    UnansweredQuestion,
)
from bot.db.repositories import PAID_STATUSES
from bot.training.tables import PracticeRun, TrainingRun


def _utc(moment: datetime | None) -> datetime | None:
    return moment.replace(tzinfo=UTC) if moment is not None and moment.tzinfo is None else moment


class FakeState:
    """What the fake database holds (committed) — copied into each transaction."""

    def __init__(self) -> None:
        self.products: dict[str, Product] = {}
        self.relations: list[ProductRelation] = []
        self.customers: dict[str, Customer] = {}
        self.orders: dict[str, Order] = {}
        self.payments: dict[str, Any] = {}
        self.handoffs: list[Handoff] = []
        self.presence: dict[str, Any] = {}
        self.suggestions: list[tuple[str, str, str, str, datetime]] = []   # conversation, sku, kind, event, at
        self.co_purchases: dict[str, list[tuple[str, float, float]]] = {}
        self.practice: dict[str, PracticeRun] = {}
        self.training_runs: dict[int, TrainingRun] = {}
        self.conversation_metrics: dict[str, ConversationMetric] = {}
        self.unanswered: list[UnansweredQuestion] = []


class FakeProducts:
    def __init__(self, state: FakeState) -> None:
        self.state = state

    def get(self, sku: str) -> Product | None:
        return self.state.products.get(sku)

    def list(self, category: str | None = None) -> list[Product]:
        rows = sorted(self.state.products.values(), key=lambda p: (p.category, p.sku))
        return [p for p in rows if not category or p.category == category]

    def by_skus(self, skus: Iterable[str]) -> list[Product]:
        return [self.state.products[s] for s in skus if s in self.state.products]

    def categories(self) -> list[str]:
        return list(dict.fromkeys(p.category for p in self.state.products.values()))

    def count(self) -> int:
        return len(self.state.products)

    def add_all(self, products: Iterable[Product]) -> None:
        self.state.products.update({p.sku: p for p in products})

    def reserve(self, sku: str, qty: int) -> bool:
        found = self.state.products.get(sku)
        if found is None or found.stock < qty:
            return False
        found.stock -= qty
        return True

    def release(self, sku: str, qty: int) -> None:
        if sku in self.state.products:
            self.state.products[sku].stock += qty


class FakeRelations:
    def __init__(self, state: FakeState) -> None:
        self.state = state

    def from_product(self, sku: str, type_: str | None = None) -> list[ProductRelation]:
        return [r for r in self.state.relations if r.from_sku == sku and (not type_ or r.type == type_)]

    def add_all(self, relations: Iterable[ProductRelation]) -> None:
        self.state.relations += list(relations)


class FakeCustomers:
    def __init__(self, state: FakeState) -> None:
        self.state = state

    def get_or_create(self, customer_id: str) -> Customer:
        return self.state.customers.setdefault(customer_id, Customer(id=customer_id))


class FakeOrders:
    def __init__(self, state: FakeState) -> None:
        self.state = state

    def get(self, order_id: str) -> Order | None:
        return self.state.orders.get(order_id)

    reload = get

    def refresh(self, order: Order) -> None:
        pass

    def add(self, order: Order) -> None:
        for line in order.lines:
            line.product = self.state.products[line.sku]
        self.state.orders[order.id] = order

    def move_from_unpaid(self, order_id: str, status: str, stamp: str, now: datetime) -> bool:
        order = self.state.orders.get(order_id)
        if order is None or order.status != "unpaid":
            return False
        order.status = status
        setattr(order, stamp, now)
        return True

    def lines_of(self, order_id: str) -> list[OrderLine]:
        return list(self.state.orders[order_id].lines) if order_id in self.state.orders else []

    def unpaid_before(self, moment: datetime) -> list[str]:
        return [o.id for o in self.state.orders.values()
                if o.status == "unpaid" and _utc(o.created_at) < _utc(moment)]   # type: ignore[operator]

    def latest_for_customer(self, customer_id: str) -> Order | None:
        mine = [o for o in self.state.orders.values() if o.customer_id == customer_id]
        return max(mine, key=lambda o: _utc(o.created_at), default=None)

    def count(self) -> int:
        return len(self.state.orders)

    def paid(self) -> list[Order]:
        return [o for o in self.state.orders.values() if o.status in PAID_STATUSES]


class FakePayments:
    def __init__(self, uow: Any) -> None:
        self.uow = uow

    def get(self, trade_no: str) -> Any:
        return self.uow._state.payments.get(trade_no)

    def add_new(self, payment: Any) -> bool:
        if payment.trade_no in self.uow._committed.payments:
            self.uow.rollback()
            return False
        self.uow._state.payments[payment.trade_no] = payment
        return True


class FakeSales:
    def __init__(self, state: FakeState) -> None:
        self.state = state

    def _paid_since(self, since: datetime) -> list[Order]:
        return [o for o in FakeOrders(self.state).paid() if o.paid_at and _utc(o.paid_at) >= since]

    def best_sellers(self, since: datetime, limit: int) -> list[tuple[str, int]]:
        units: dict[str, int] = {}
        for order in self._paid_since(since):
            for line in order.lines:
                units[line.sku] = units.get(line.sku, 0) + line.qty
        return sorted(units.items(), key=lambda pair: (-pair[1], pair[0]))[:limit]

    def paid_amount_and_buyers(self, start: datetime, end: datetime) -> tuple[float | None, int]:
        orders = [o for o in self._paid_since(start) if _utc(o.paid_at) <= end]   # type: ignore[operator]
        return (sum(o.total for o in orders) if orders else None), len({o.customer_id for o in orders})


class FakeSuggestionReport:
    def __init__(self, state: FakeState) -> None:
        self.state = state

    def _paid(self, since: datetime | None) -> list[Order]:
        return [o for o in FakeOrders(self.state).paid() if since is None or _utc(o.created_at) >= since]

    def paid_totals(self, since: datetime | None) -> tuple[int, float, int, int]:
        paid = self._paid(since)
        return (len(paid), float(sum(o.total for o in paid)), len({o.customer_id for o in paid}),
                sum(line.qty for o in paid for line in o.lines))

    def paid_lines_of(self, customers: Sequence[str], since: datetime | None):
        for order in self._paid(since):
            if order.customer_id in customers:
                for line in order.lines:
                    yield order.id, order.customer_id, order.total, line.sku, line.qty


class FakeHandoffs:
    def __init__(self, state: FakeState) -> None:
        self.state = state

    def add(self, handoff: Handoff) -> None:
        handoff.id = handoff.id or len(self.state.handoffs) + 1
        handoff.status = handoff.status or "waiting"
        self.state.handoffs.append(handoff)

    def open_for(self, conversation_id: str | None = None) -> list[Handoff]:
        return [h for h in self.state.handoffs if h.released_at is None
                and (not conversation_id or h.conversation_id == conversation_id)]


class FakeQueue:
    """The handoff queue over the fake's handoff rows, and agent presence."""

    def __init__(self, state: FakeState) -> None:
        self.state = state

    def _open(self, conversation_id: str | None = None) -> list[Handoff]:
        return [h for h in self.state.handoffs if h.status in ("waiting", "claimed")
                and (conversation_id is None or h.conversation_id == conversation_id)]

    def open_rows(self) -> list[Handoff]:
        return self._open()

    def claim(self, conversation_id: str, username: str, now: datetime) -> int:
        rows = [h for h in self._open(conversation_id) if h.status == "waiting"]
        for h in rows:
            h.status, h.agent, h.claimed_at = "claimed", username, now
        return len(rows)

    def claimed_agent(self, conversation_id: str) -> str | None:
        return next((h.agent for h in self._open(conversation_id) if h.status == "claimed"), None)

    def release(self, conversation_id: str, now: datetime) -> int:
        rows = self._open(conversation_id)
        for h in rows:
            h.status, h.released_at = "released", now
        return len(rows)

    def mark_urgent(self, conversation_id: str) -> int:
        rows = self._open(conversation_id)
        for h in rows:
            h.urgent = True
        return len(rows)

    def claimed_by_any(self, usernames: Iterable[str]) -> list[Handoff]:
        names = set(usernames)
        return [h for h in self.state.handoffs if h.status == "claimed" and h.agent in names]

    def requeue(self, handoff_id: int) -> bool:
        row = next((h for h in self.state.handoffs if h.id == handoff_id and h.status == "claimed"), None)
        if row is None:
            return False
        row.status, row.agent, row.claimed_at = "waiting", None, None
        return True

    def claim_holders(self) -> set[str | None]:
        return {h.agent for h in self.state.handoffs if h.status == "claimed"}

    def waiting_not_overdue(self) -> list[Handoff]:
        return [h for h in self.state.handoffs if h.status == "waiting" and h.overdue_at is None and h.mode == "queue"]

    def mark_overdue(self, handoff_id: int, now: datetime) -> bool:
        row = next((h for h in self.state.handoffs if h.id == handoff_id and h.overdue_at is None), None)
        if row is not None:
            row.overdue_at = now
        return row is not None

    def presence(self, username: str) -> Any:
        return self.state.presence.get(username)

    def add_presence(self, row: Any) -> None:
        self.state.presence[row.username] = row

    def remove_presence(self, row: Any) -> None:
        self.state.presence.pop(row.username, None)

    def all_presence(self) -> list[Any]:
        return list(self.state.presence.values())


class FakeSuggestions:
    def __init__(self, state: FakeState) -> None:
        self.state = state

    def add(self, conversation_id: str, pairs: Iterable[tuple[str, str]], event: str) -> int:
        rows = [(conversation_id, sku, kind, event, datetime.now(UTC)) for sku, kind in pairs]
        self.state.suggestions += rows
        return len(rows)

    def of(self, conversation_id: str, events: Sequence[str]) -> list[tuple[str, str, str]]:
        return [(sku, kind, e) for c, sku, kind, e, _ in self.state.suggestions
                if c == conversation_id and e in events]

    def counts_by_kind(self, since: datetime | None) -> list[tuple[str, str, int]]:
        counts: dict[tuple[str, str], int] = {}
        for _c, _sku, kind, event, at in self.state.suggestions:
            if since is None or at >= since:
                counts[(kind, event)] = counts.get((kind, event), 0) + 1
        return [(kind, event, n) for (kind, event), n in counts.items()]

    def accepted_pairs(self) -> set[tuple[str, str]]:
        return {(c, sku) for c, sku, _k, e, _ in self.state.suggestions if e == "accepted"}


class FakeCoPurchases:
    def __init__(self, state: FakeState) -> None:
        self.state = state

    def from_sku(self, sku: str, limit: int = 10) -> list[tuple[str, float, float]]:
        rules = sorted(self.state.co_purchases.get(sku, []), key=lambda r: (-r[1], -r[2], r[0]))
        return rules[:limit]

