"""Unit of work: one session per request or job, committed explicitly."""
from __future__ import annotations

from sqlalchemy.orm import Session, sessionmaker

from bot.db.engine import get_session_factory
from bot.db.repositories import (
    CustomerRepository,
    HandoffRepository,
    MetricRepository,
    OrderRepository,
    ProductRepository,
    RelationRepository,
    UnansweredRepository,
)


class UnitOfWork:
    """`with UnitOfWork() as uow: ...; uow.commit()` — rolls back whatever was not committed."""

    def __init__(self, session_factory: sessionmaker | None = None) -> None:
        self._factory = session_factory or get_session_factory()
        self.session: Session

    def __enter__(self) -> UnitOfWork:
        self.session = self._factory()
        self.products = ProductRepository(self.session)
        self.relations = RelationRepository(self.session)
        self.customers = CustomerRepository(self.session)
        self.orders = OrderRepository(self.session)
        self.handoffs = HandoffRepository(self.session)
        self.metrics = MetricRepository(self.session)
        self.unanswered = UnansweredRepository(self.session)
        return self

    def __exit__(self, *exc) -> None:
        self.session.rollback()
        self.session.close()

    def commit(self) -> None:
        self.session.commit()

    def rollback(self) -> None:
        self.session.rollback()
