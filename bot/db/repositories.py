"""Repositories: the only code that builds queries. One instance per unit of work."""
from __future__ import annotations

from datetime import datetime
from typing import Iterable, Sequence

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

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
from bot.security.tables import Payment

PAID_STATUSES = ("paid", "shipped", "delivered")


class ProductRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, sku: str) -> Product | None:
        return self.session.get(Product, sku)

    def categories(self) -> list[str]:
        return list(self.session.scalars(select(Product.category).distinct()))

    def list(self, category: str | None = None) -> Sequence[Product]:
        stmt = select(Product).order_by(Product.category, Product.sku)
        if category:
            stmt = stmt.where(Product.category == category)
        return self.session.scalars(stmt).all()

    def by_skus(self, skus: Iterable[str]) -> Sequence[Product]:
        return self.session.scalars(select(Product).where(Product.sku.in_(list(skus)))).all()

    def count(self) -> int:
        return self.session.scalar(select(func.count()).select_from(Product)) or 0

    def add_all(self, products: Iterable[Product]) -> None:
        self.session.add_all(list(products))
        self.session.flush()                 # relations may refer to them next

    def reserve(self, sku: str, qty: int) -> bool:
        """Take `qty` from stock only if that much is there: one conditional UPDATE (no read-modify-write)."""
        stmt = (update(Product).where(Product.sku == sku, Product.stock >= qty)
                .values(stock=Product.stock - qty).execution_options(synchronize_session=False))
        return self.session.execute(stmt).rowcount == 1

    def release(self, sku: str, qty: int) -> None:
        stmt = (update(Product).where(Product.sku == sku).values(stock=Product.stock + qty)
                .execution_options(synchronize_session=False))
        self.session.execute(stmt)


class RelationRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def from_product(self, sku: str, type_: str | None = None) -> Sequence[ProductRelation]:
        stmt = select(ProductRelation).where(ProductRelation.from_sku == sku)
        if type_:
            stmt = stmt.where(ProductRelation.type == type_)
        return self.session.scalars(stmt.order_by(ProductRelation.id)).all()

    def add_all(self, relations: Iterable[ProductRelation]) -> None:
        self.session.add_all(list(relations))


class CustomerRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, customer_id: str) -> Customer | None:
        return self.session.get(Customer, customer_id)

    def add_all(self, customers: Iterable[Customer]) -> None:
        self.session.add_all(list(customers))
        self.session.flush()

    def get_or_create(self, customer_id: str) -> Customer:
        customer = self.session.get(Customer, customer_id)
        if customer is None:
            customer = Customer(id=customer_id)
            self.session.add(customer)
            self.session.flush()
        return customer


class OrderRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, order_id: str) -> Order | None:
        return self.session.get(Order, order_id)

    def reload(self, order_id: str) -> Order | None:
        """The order as the database has it now (after conditional UPDATEs that bypassed the session)."""
        self.session.expire_all()
        return self.session.get(Order, order_id)

    def add(self, order: Order) -> None:
        self.session.add(order)

    def add_all(self, orders: Iterable[Order]) -> None:
        self.session.add_all(list(orders))

    def move_from_unpaid(self, order_id: str, status: str, stamp: str, now: datetime) -> bool:
        """unpaid -> `status` (setting the `stamp` column) in one conditional UPDATE; True for the one winner."""
        stmt = (update(Order).where(Order.id == order_id, Order.status == "unpaid")
                .values(status=status, **{stamp: now}).execution_options(synchronize_session=False))
        return self.session.execute(stmt).rowcount == 1

    def refresh(self, order: Order) -> None:
        self.session.refresh(order)

    def lines_of(self, order_id: str) -> Sequence[OrderLine]:
        return self.session.scalars(select(OrderLine).where(OrderLine.order_id == order_id)).all()

    def unpaid_before(self, moment: datetime) -> list[str]:
        stmt = select(Order.id).where(Order.status == "unpaid", Order.created_at < moment).limit(500)
        return list(self.session.scalars(stmt))

    def latest_for_customer(self, customer_id: str) -> Order | None:
        stmt = (
            select(Order)
            .where(Order.customer_id == customer_id)
            .order_by(Order.created_at.desc())
            .limit(1)
        )
        return self.session.scalars(stmt).first()

    def count(self) -> int:
        return self.session.scalar(select(func.count()).select_from(Order)) or 0

    def max_id(self) -> str | None:
        return self.session.scalar(select(func.max(Order.id)))


class SalesRepository:
    """Paid-order figures: best sellers and the amount and buyers behind the store's AOV."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def best_sellers(self, since: datetime, limit: int) -> list[tuple[str, int]]:
        """SKUs by units sold in paid orders paid since `since`."""
        units = func.sum(OrderLine.qty)
        stmt = (
            select(OrderLine.sku, units)
            .join(Order, Order.id == OrderLine.order_id)
            .where(Order.status.in_(PAID_STATUSES), Order.paid_at >= since)
            .group_by(OrderLine.sku)
            .order_by(units.desc(), OrderLine.sku)
            .limit(limit)
        )
        return [(sku, int(n)) for sku, n in self.session.execute(stmt)]

    def paid_amount_and_buyers(self, start: datetime, end: datetime) -> tuple[float | None, int]:
        """Sum of totals and distinct customers of orders paid in [start, end]."""
        stmt = select(func.sum(Order.total), func.count(func.distinct(Order.customer_id))).where(
            Order.status.in_(PAID_STATUSES), Order.paid_at >= start, Order.paid_at <= end)
        amount, buyers = self.session.execute(stmt).one()
        return amount, buyers or 0


class PaymentRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, trade_no: str) -> Payment | None:
        return self.session.get(Payment, trade_no)

    def add_new(self, payment: Payment) -> bool:
        """Add the payment; False (and the transaction rolled back) when its trade_no is already stored."""
        self.session.add(payment)
        try:
            self.session.flush()
        except IntegrityError:
            self.session.rollback()
            return False
        return True


class HandoffRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, handoff: Handoff) -> None:
        self.session.add(handoff)

    def open_for(self, conversation_id: str | None = None) -> Sequence[Handoff]:
        stmt = select(Handoff).where(Handoff.released_at.is_(None))
        if conversation_id:
            stmt = stmt.where(Handoff.conversation_id == conversation_id)
        return self.session.scalars(stmt.order_by(Handoff.created_at)).all()


class MetricRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def get_or_create(self, conversation_id: str) -> ConversationMetric:
        metric = self.session.get(ConversationMetric, conversation_id)
        if metric is None:
            metric = ConversationMetric(conversation_id=conversation_id, nudges_sent=0, holding_messages=0)
            self.session.add(metric)
        return metric

    def first_response_values(self) -> list[float]:
        stmt = select(ConversationMetric.first_response_seconds).where(
            ConversationMetric.first_response_seconds.is_not(None)
        )
        return sorted(self.session.scalars(stmt))


class UnansweredRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, row: UnansweredQuestion) -> None:
        self.session.add(row)

    def recent(self, answered: bool | None = None, limit: int = 5000) -> Sequence[UnansweredQuestion]:
        stmt = select(UnansweredQuestion).order_by(UnansweredQuestion.created_at.desc()).limit(limit)
        if answered is not None:
            column = UnansweredQuestion.answered_by
            stmt = stmt.where(column.is_not(None) if answered else column.is_(None))
        return self.session.scalars(stmt).all()

    def by_ids(self, ids: Iterable[int]) -> Sequence[UnansweredQuestion]:
        stmt = select(UnansweredQuestion).where(UnansweredQuestion.id.in_(list(ids)))
        return self.session.scalars(stmt.order_by(UnansweredQuestion.created_at)).all()

    def mark_answered(self, ids: Iterable[int], entry_id: str) -> int:
        stmt = update(UnansweredQuestion).where(UnansweredQuestion.id.in_(list(ids))).values(answered_by=entry_id)
        return self.session.execute(stmt).rowcount or 0
