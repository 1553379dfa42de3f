"""Order use cases; each runs in its own unit of work."""
from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from sqlalchemy.exc import IntegrityError

from bot.db.models import Order, OrderLine
from bot.db.uow import UnitOfWork
from bot.store import load_store

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
            "order_id": self.order_id, "customer_id": self.customer_id, "agent_id": self.agent_id,
            "status": self.status, "total": self.total, "created_at": self.created_at.isoformat(),
            "paid_at": self.paid_at.isoformat() if self.paid_at else None,
            "items": [{"sku": l.sku, "name": l.name, "qty": l.qty, "unit_price": l.unit_price} for l in self.lines],
        }


def as_utc(moment: datetime | None) -> datetime | None:
    """SQLite returns naive datetimes; every stored time is UTC."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=timezone.utc)


def view_order(order: Order) -> OrderView:
    return OrderView(
        order_id=order.id, customer_id=order.customer_id, agent_id=order.agent_id, status=order.status,
        total=order.total, created_at=as_utc(order.created_at), paid_at=as_utc(order.paid_at),
        lines=tuple(OrderLineView(l.sku, l.product.name, l.qty, l.unit_price) for l in order.lines),
    )


def _new_order_id(now: datetime) -> str:
    return now.strftime("%y%m%d%H%M%S") + f"{secrets.randbelow(10_000):04d}"


def create_order(customer_id: str, items: list[dict], agent_id: str | None = None) -> OrderView:
    """Create an unpaid order; raises OrderError for unknown products, bad quantities or no stock."""
    if not customer_id or not isinstance(customer_id, str):
        raise OrderError("customer_id is required")
    if not items:
        raise OrderError("items must not be empty")
    agent = load_store().agent(agent_id)["id"]
    for attempt in range(5):
        now = datetime.now(timezone.utc)
        with UnitOfWork() as uow:
            uow.customers.get_or_create(customer_id)
            order = Order(id=_new_order_id(now), customer_id=customer_id, agent_id=agent, status="unpaid",
                          created_at=now)
            total = 0.0
            for item in items:
                sku, qty = item.get("sku"), item.get("qty", 1)
                product = uow.products.get(sku) if isinstance(sku, str) else None
                if product is None:
                    raise OrderError(f"unknown sku {sku!r}")
                if not isinstance(qty, int) or not 1 <= qty <= MAX_QTY:
                    raise OrderError(f"qty for {sku} must be an integer from 1 to {MAX_QTY}")
                if product.stock < qty:
                    raise OrderError(f"{sku} has {product.stock} in stock")
                order.lines.append(OrderLine(sku=sku, qty=qty, unit_price=product.price))
                total += qty * product.price
            order.total = round(total, 2)
            uow.orders.add(order)
            try:
                uow.commit()
            except IntegrityError:
                continue
            return view_order(order)
    raise OrderError("could not allocate an order id")


def pay_order(order_id: str) -> OrderView:
    with UnitOfWork() as uow:
        order = uow.orders.get(order_id)
        if order is None:
            raise OrderError(f"unknown order {order_id}")
        if order.status == "cancelled":
            raise OrderError("order is cancelled")
        if order.status == "unpaid":
            order.status, order.paid_at = "paid", datetime.now(timezone.utc)
            uow.commit()
        return view_order(order)


def cancel_order(order_id: str) -> OrderView:
    with UnitOfWork() as uow:
        order = uow.orders.get(order_id)
        if order is None:
            raise OrderError(f"unknown order {order_id}")
        if order.status == "unpaid":
            order.status, order.cancelled_at = "cancelled", datetime.now(timezone.utc)
            uow.commit()
        return view_order(order)


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
