"""Order use cases; each runs in its own unit of work."""
from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.exc import IntegrityError

from bot.clock import as_utc, utcnow
from bot.db.models import Order, OrderLine
from bot.db.uow import UnitOfWork
from bot.store.config import load_store

MAX_QTY = 99


class OrderError(ValueError):
    """A request the shop cannot fulfil as asked; the message says why (for API clients, in English)."""


@dataclass(frozen=True)
class OrderLineView:
    sku: str
    name: str
    qty: int
    unit_price: float


@dataclass(frozen=True)
class OrderView:
    order_id: str
    customer_id: str
    agent_id: str
    status: str
    total: float
    created_at: datetime
    paid_at: datetime | None
    lines: tuple[OrderLineView, ...]

    @property
    def items(self) -> list[dict[str, object]]:
        """Lines as records for the `items` placeholder."""
        return [{"name": line.name, "qty": line.qty} for line in self.lines]

    def as_json(self) -> dict[str, Any]:
        return {
            "order_id": self.order_id, "agent_id": self.agent_id,
            "status": self.status, "total": self.total, "created_at": self.created_at.isoformat(),
            "paid_at": self.paid_at.isoformat() if self.paid_at else None,
            "items": [{"sku": l.sku, "name": l.name, "qty": l.qty, "unit_price": l.unit_price} for l in self.lines],
        }


def view_order(order: Order) -> OrderView:
    return OrderView(
        order_id=order.id, customer_id=order.customer_id, agent_id=order.agent_id, status=order.status,
        total=order.total, created_at=as_utc(order.created_at), paid_at=as_utc(order.paid_at),
        lines=tuple(OrderLineView(l.sku, l.product.name, l.qty, l.unit_price) for l in order.lines),
    )


def _new_order_id() -> str:
    """16 random digits (the length the NLU's order_id regex reads): not guessable from another order's id."""
    return str(10**15 + secrets.randbelow(9 * 10**15))


def _wanted(items: list[dict]) -> dict[str, int]:
    """Quantities per SKU, repeated lines summed."""
    if not items:
        raise OrderError("items must not be empty")
    wanted: dict[str, int] = {}
    for item in items:
        sku, qty = item.get("sku"), item.get("qty", 1)
        if not isinstance(sku, str) or not sku:
            raise OrderError(f"unknown sku {sku!r}")
        if not isinstance(qty, int) or isinstance(qty, bool) or not 1 <= qty <= MAX_QTY:
            raise OrderError(f"qty for {sku} must be an integer from 1 to {MAX_QTY}")
        wanted[sku] = wanted.get(sku, 0) + qty
    for sku, qty in wanted.items():
        if qty > MAX_QTY:
            raise OrderError(f"qty for {sku} must be an integer from 1 to {MAX_QTY}")
    return wanted


def create_order(customer_id: str, items: list[dict], agent_id: str | None = None) -> OrderView:
    """Create an unpaid order and reserve its stock in the same transaction (one conditional UPDATE per SKU).

    Raises OrderError for unknown products, bad quantities or not enough stock; nothing is reserved then.
    """
    if not customer_id or not isinstance(customer_id, str):
        raise OrderError("customer_id is required")
    wanted = _wanted(items)
    agent = load_store().agent(agent_id)["id"]
    for _attempt in range(5):
        now = utcnow()
        with UnitOfWork() as uow:
            # Writes first, in one SKU order for every transaction: SQLite takes its write lock on the first
            # UPDATE (before any read), PostgreSQL locks rows in the same order everywhere (no deadlocks).
            for sku in sorted(wanted):
                if not uow.products.reserve(sku, wanted[sku]):
                    uow.rollback()
                    product = uow.products.get(sku)
                    raise OrderError(f"{sku} has {product.stock} in stock" if product else f"unknown sku {sku!r}")
            uow.customers.get_or_create(customer_id)
            order = Order(id=_new_order_id(), customer_id=customer_id, agent_id=agent, status="unpaid",
                          created_at=now)
            for sku in sorted(wanted):
                product = uow.products.get(sku)
                if product is None:
                    raise OrderError(f"unknown sku {sku!r}")
                price = product.price
                order.lines.append(OrderLine(sku=sku, qty=wanted[sku], unit_price=price))
            order.total = round(sum(line.qty * line.unit_price for line in order.lines), 2)
            uow.orders.add(order)
            try:
                uow.commit()
            except IntegrityError:
                continue
            return view_order(order)
    raise OrderError("could not allocate an order id")


def _close(order_id: str, status: str, stamp: str, release: bool) -> tuple[bool, OrderView]:
    """Move an unpaid order to `status` with one conditional UPDATE; released stock goes back in the same
    transaction. Returns (moved, order): an order no longer unpaid stays as it is (the first mover wins)."""
    with UnitOfWork() as uow:
        moved = uow.orders.move_from_unpaid(order_id, status, stamp, utcnow())
        if moved:
            if release:
                for line in uow.orders.lines_of(order_id):
                    uow.products.release(line.sku, line.qty)
            uow.commit()
        uow.session.expire_all()
        order = uow.orders.get(order_id)
        if order is None:
            raise OrderError(f"unknown order {order_id}")
        return moved, view_order(order)


def mark_paid(order_id: str) -> tuple[bool, OrderView]:
    """Only for bot.payments (a verified notification): unpaid -> paid."""
    return _close(order_id, "paid", "paid_at", release=False)


def cancel_order(order_id: str) -> OrderView:
    return _close(order_id, "cancelled", "cancelled_at", release=True)[1]


def expire_orders(older_than: datetime) -> int:
    """Orders still unpaid since before `older_than` are cancelled and give their stock back; returns how many."""
    with UnitOfWork() as uow:
        ids = uow.orders.unpaid_before(older_than)
    return sum(_close(order_id, "cancelled", "cancelled_at", release=True)[0] for order_id in ids)


def get_order(order_id: str | None) -> OrderView | None:
    if not order_id:
        return None
    with UnitOfWork() as uow:
        order = uow.orders.get(order_id)
        return view_order(order) if order else None


def latest_order(customer_id: str) -> OrderView | None:
    with UnitOfWork() as uow:
        order = uow.orders.latest_for_customer(customer_id)
        return view_order(order) if order else None
