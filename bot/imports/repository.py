"""The imports' repository (`uow.imports`): bulk reads and writes of products, customers and orders in chunks,
and taking the demo store's rows out."""
from __future__ import annotations

from datetime import datetime
from typing import Any, Iterable, Iterator

from sqlalchemy import bindparam, delete, insert, or_, select, update
from sqlalchemy.orm import Session

from bot.db.models import Customer, Order, OrderLine, Product, ProductRelation
from bot.recommendations.tables import CoPurchase
from bot.reminders.tables import Reminder
from bot.security.tables import Payment

CHUNK = 2000
_BULK = {"synchronize_session": False}


def chunks(items: list, size: int = CHUNK) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


class ImportRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def _existing(self, column, keys: Iterable[str]) -> set[str]:
        found: set[str] = set()
        for part in chunks(list(keys)):
            found |= set(self.session.scalars(select(column).where(column.in_(part))))
        return found

    def existing_skus(self, skus: Iterable[str]) -> set[str]:
        return self._existing(Product.sku, skus)

    def existing_orders(self, order_ids: Iterable[str]) -> set[str]:
        return self._existing(Order.id, order_ids)

    def prices(self) -> dict[str, float]:
        return dict(self.session.execute(select(Product.sku, Product.price)).all())

    def attributes(self, skus: Iterable[str]) -> dict[str, dict]:
        found: dict[str, dict] = {}
        for part in chunks(sorted(skus)):
            found.update(self.session.execute(select(Product.sku, Product.attributes)
                                              .where(Product.sku.in_(part))).all())
        return found

    def insert_products(self, rows: list[dict[str, Any]]) -> None:
        for part in chunks(rows):
            self.session.execute(insert(Product.__table__), part)

    def update_products(self, columns: tuple[str, ...], rows: list[dict[str, Any]]) -> None:
        """One executemany UPDATE of `columns` (keyed by sku) over `rows`."""
        table = Product.__table__
        stmt = update(table).where(table.c.sku == bindparam("key_sku")).values(
            {c: bindparam(c) for c in columns if c != "sku"})
        for part in chunks(rows):
            self.session.execute(stmt, [{**r, "key_sku": r["sku"]} for r in part])

    def add_customers(self, customer_ids: set[str], now: datetime) -> None:
        """The customers not yet known."""
        known = self._existing(Customer.id, customer_ids)
        for part in chunks(sorted(customer_ids - known)):
            self.session.execute(insert(Customer.__table__), [{"id": c, "created_at": now} for c in part])

    def drop_lines(self, order_ids: set[str]) -> None:
        """The lines of orders updated in place (the order rows stay: reminders point at them)."""
        for part in chunks(sorted(order_ids)):
            self.session.execute(delete(OrderLine).where(OrderLine.order_id.in_(part)))

    def write_orders(self, fresh: list[dict[str, Any]], existing: list[dict[str, Any]],
                     lines: list[dict[str, Any]]) -> None:
        if fresh:
            self.session.execute(insert(Order.__table__), fresh)
        self.session.bulk_update_mappings(Order, existing)
        self.session.execute(insert(OrderLine.__table__), lines)

    def remove_demo_orders(self, buyers: str) -> int:
        """Delete the orders (with their reminders, payments, lines) and customers whose id is LIKE `buyers`."""
        orders = select(Order.id).where(Order.customer_id.like(buyers))
        removed = len(self.session.scalars(orders).all())
        for model in (Reminder, Payment, OrderLine):
            self.session.execute(delete(model).where(model.order_id.in_(orders)).execution_options(**_BULK))
        self.session.execute(delete(Order).where(Order.customer_id.like(buyers)).execution_options(**_BULK))
        self.session.execute(delete(Customer).where(Customer.id.like(buyers)).execution_options(**_BULK))
        return removed

    def skus_on_orders(self, skus: list[str]) -> set[str]:
        return set(self.session.scalars(select(OrderLine.sku).where(OrderLine.sku.in_(skus)).distinct()))

    def remove_products(self, gone: list[str], mined: list[str]) -> int:
        """Delete the products `gone` with their relations, and the co-purchase rules of `mined`; how many went."""
        self.session.execute(delete(ProductRelation).where(or_(ProductRelation.from_sku.in_(gone),
                                                               ProductRelation.to_sku.in_(gone)))
                             .execution_options(**_BULK))
        self.session.execute(delete(CoPurchase).where(or_(CoPurchase.sku_a.in_(mined), CoPurchase.sku_b.in_(mined)))
                             .execution_options(**_BULK))
        return self.session.execute(delete(Product).where(Product.sku.in_(gone))
                                    .execution_options(**_BULK)).rowcount or 0
