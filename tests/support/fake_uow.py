"""An in-memory unit of work for service tests that need no database.

    uow = FakeUnitOfWork(products=[product("TEE-1", price=59)])
    create_order(uow, "c1", [{"sku": "TEE-1"}])
    assert uow.commits == 1

Writes are staged and become visible to later reads (`committed`) only on `commit()`, like a database
transaction, so a service that forgets to commit is caught; with `forbid_own_units_of_work` a service that opens
a unit of work of its own fails the test.
"""
from __future__ import annotations

import copy
from typing import Any, Iterable

from bot.db.models import Product, ProductRelation
from bot.db.uow import AbstractUnitOfWork
from tests.support.fake_repositories import (
    FakeCoPurchases,
    FakeCustomers,
    FakeHandoffs,
    FakeOrders,
    FakePayments,
    FakeProducts,
    FakeQueue,
    FakeRelations,
    FakeSales,
    FakeState,
    FakeSuggestionReport,
    FakeSuggestions,
)
from tests.support.fake_training import FakePracticeRuns, FakeTraining
from tests.support.fake_transcripts import FakeTranscripts


def product(sku: str, *, name: str | None = None, category: str = "tee", price: float = 59.0,
            floor_price: float | None = None, stock: int = 10, **fields: Any) -> Product:
    return Product(sku=sku, name=name or sku, category=category, price=price,
                   floor_price=price * 0.8 if floor_price is None else floor_price, stock=stock,
                   attributes=fields.pop("attributes", {}), scenes=fields.pop("scenes", []),
                   aliases=fields.pop("aliases", []), image="", description="", **fields)


class FakeUnitOfWork(AbstractUnitOfWork):
    """Repositories over dictionaries; `commits` and `rollbacks` count the calls."""

    def __init__(self, products: Iterable[Product] = (), relations: Iterable[ProductRelation] = ()) -> None:
        self._committed = FakeState()
        self._committed.products = {p.sku: p for p in products}
        self._committed.relations = list(relations)
        self.commits = 0
        self.rollbacks = 0
        self._begin()

    def _begin(self) -> None:
        self._state = copy.deepcopy(self._committed)
        state = self._state
        self.products = FakeProducts(state)            # type: ignore[assignment]
        self.relations = FakeRelations(state)          # type: ignore[assignment]
        self.customers = FakeCustomers(state)          # type: ignore[assignment]
        self.orders = FakeOrders(state)                # type: ignore[assignment]
        self.payments = FakePayments(self)             # type: ignore[assignment]
        self.sales = FakeSales(state)                  # type: ignore[assignment]
        self.handoffs = FakeHandoffs(state)            # type: ignore[assignment]
        self.queue = FakeQueue(state)                  # type: ignore[assignment]
        self.suggestions = FakeSuggestions(state)      # type: ignore[assignment]
        self.co_purchases = FakeCoPurchases(state)     # type: ignore[assignment]
        self.suggestion_report = FakeSuggestionReport(state)   # type: ignore[assignment]
        self.practice = FakePracticeRuns(state)        # type: ignore[assignment]
        self.training = FakeTraining(state)            # type: ignore[assignment]
        self.transcripts = FakeTranscripts(state)      # type: ignore[assignment]

    @property
    def committed(self) -> FakeState:
        """What a later unit of work would read."""
        return self._committed

    def commit(self) -> None:
        self.commits += 1
        self._committed = self._state
        self._begin()

    def rollback(self) -> None:
        self.rollbacks += 1
        self._begin()


class UnitOfWorkOpened(AssertionError):
    """A service opened a unit of work of its own instead of using the one it was given."""


def forbid_own_units_of_work(monkeypatch) -> None:
    """Make constructing the SQLAlchemy unit of work fail for the rest of the test."""
    from bot.db import uow as uow_module

    def refuse(self, *args: Any, **kwargs: Any) -> None:
        raise UnitOfWorkOpened("the service opened its own unit of work")

    monkeypatch.setattr(uow_module.UnitOfWork, "__init__", refuse)
