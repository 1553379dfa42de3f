"""A buyer's purchases of consumables, read from the store's orders (paid, shipped or delivered)."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.clock import as_utc
from bot.db.models import Order, OrderLine, Product
from bot.repurchase.predict import Purchase

PURCHASED = ("paid", "shipped", "delivered")


@dataclass(frozen=True)
class Bought:
    """One line the shopper really bought here (what a greeting may name)."""

    sku: str
    name: str
    category: str
    qty: int
    at: datetime
    consumable_days: int | None


class PurchaseHistoryRepository:
    """Queries of what buyers bought here (the unit of work's `purchases`)."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def consumable_purchases(self, since: datetime, customer_id: str | None = None
                             ) -> dict[tuple[str, str], list[Purchase]]:
        """(customer id, sku) -> purchases of that consumable since `since`, oldest first."""
        stmt = (select(Order.customer_id, OrderLine.sku, Order.id, Order.created_at, OrderLine.qty)
                .join(OrderLine, OrderLine.order_id == Order.id).join(Product, Product.sku == OrderLine.sku)
                .where(Order.status.in_(PURCHASED), Order.created_at >= since, Product.consumable_days.isnot(None))
                .order_by(Order.created_at, Order.id))
        if customer_id is not None:
            stmt = stmt.where(Order.customer_id == customer_id)
        found: dict[tuple[str, str], list[Purchase]] = defaultdict(list)
        for customer, sku, order_id, created_at, qty in self.session.execute(stmt):
            found[(customer, sku)].append(Purchase(order_id, as_utc(created_at), int(qty)))
        return dict(found)


    def reordered_after(self, customer_id: str, sku: str, after: datetime, except_order: str) -> bool:
        """Did the buyer order `sku` again (any order not cancelled, paid or not) after `after`?"""
        stmt = (select(Order.id).join(OrderLine, OrderLine.order_id == Order.id)
                .where(Order.customer_id == customer_id, OrderLine.sku == sku, Order.status != "cancelled",
                       Order.created_at > after, Order.id != except_order).limit(1))
        return self.session.execute(stmt).first() is not None


    def bought_at(self, customers: Iterable[str]) -> list[tuple[str, str, datetime]]:
        """(customer, sku, ordered at) of every purchased line of these customers."""
        stmt = (select(Order.customer_id, OrderLine.sku, Order.created_at).join(OrderLine, OrderLine.order_id == Order.id)
                .where(Order.customer_id.in_(list(customers)), Order.status.in_(PURCHASED)))
        return [(customer, sku, as_utc(at)) for customer, sku, at in self.session.execute(stmt)]

    def bought_here(self, customer_id: str, since: datetime) -> list[Bought]:
        """Every line this shopper bought in this store since `since`, newest first."""
        stmt = (select(OrderLine.sku, Product.name, Product.category, OrderLine.qty, Order.created_at,
                       Product.consumable_days)
                .join(Order, Order.id == OrderLine.order_id).join(Product, Product.sku == OrderLine.sku)
                .where(Order.customer_id == customer_id, Order.status.in_(PURCHASED), Order.created_at >= since)
                .order_by(Order.created_at.desc(), OrderLine.id))
        return [Bought(sku, name, category, int(qty), as_utc(at), days)
                for sku, name, category, qty, at, days in self.session.execute(stmt)]
