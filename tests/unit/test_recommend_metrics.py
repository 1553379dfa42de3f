"""Measuring suggestions on a small hand-made data set: shown/accepted by type, orders with and without one."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta

import pytest

from bot.db.models import Customer, Order, OrderLine, Product
from bot.db.uow import UnitOfWork
from bot.db.uow import run_in_unit_of_work as in_uow
from bot.recommendations import metrics
from bot.settings import PROJECT_ROOT
from tests.support.fake_uow import FakeUnitOfWork, product

NOW = datetime.now(UTC) - timedelta(days=1)
PRICES = {"A": 100.0, "B": 30.0, "C": 50.0, "X": 20.0}


def _reset_caches() -> None:
    from bot.db import engine
    from bot.settings import get_settings

    engine.get_session_factory.cache_clear()
    engine.get_engine.cache_clear()
    get_settings.cache_clear()


@pytest.fixture
def db(tmp_path):
    """An empty migrated database with four products; the test database is restored afterwards."""
    from bot.db.migrate import upgrade

    previous = os.environ["DATABASE_URL"]
    url = f"sqlite:///{tmp_path / 'metrics.db'}"
    os.environ["DATABASE_URL"] = url
    _reset_caches()
    upgrade()
    with UnitOfWork() as uow:
        uow.session.add_all(Product(sku=sku, name=sku, category="c", price=price, floor_price=price, stock=9,
                                    attributes={}, scenes=[], aliases=[], description="", image="")
                            for sku, price in PRICES.items())
        uow.commit()
    yield url
    os.environ["DATABASE_URL"] = previous
    _reset_caches()


def order(order_id: str, customer: str, lines: dict[str, int], status: str = "paid") -> None:
    with UnitOfWork() as uow:
        if uow.session.get(Customer, customer) is None:
            uow.session.add(Customer(id=customer))
            uow.session.flush()
        row = Order(id=order_id, customer_id=customer, status=status, created_at=NOW,
                    paid_at=NOW if status != "unpaid" else None,
                    total=sum(PRICES[s] * q for s, q in lines.items()))
        row.lines = [OrderLine(sku=s, qty=q, unit_price=PRICES[s]) for s, q in lines.items()]
        uow.session.add(row)
        uow.commit()


def test_report_by_type_and_orders_with_and_without_an_accepted_suggestion(db):
    in_uow(metrics.record_shown, "c1", [("A", "complementary"), ("B", "latent")])
    in_uow(metrics.record_accepted, "c1", "A")
    in_uow(metrics.record_shown, "c2", [("C", "substitute")])
    in_uow(metrics.record_declined, "c2", ["C"])
    order("o1", "c1", {"A": 1, "X": 2})          # with: the accepted A is in it
    order("o2", "c1", {"X": 1})                  # without: same buyer, no accepted item
    order("o3", "c2", {"C": 1})                  # without: C was declined
    order("o4", "c4", {"B": 3})                  # without: never saw a suggestion
    order("o5", "c1", {"A": 1}, status="unpaid")  # not paid: not counted
    order("o6", "c1", {"A": 1}, status="cancelled")

    result = in_uow(metrics.report)
    by_kind = {k.kind: (k.shown, k.accepted, k.declined) for k in result.by_kind}
    assert by_kind == {"complementary": (1, 1, 0), "latent": (1, 0, 0), "substitute": (1, 0, 1)}
    w, wo = result.with_accepted, result.without_accepted
    assert (w.orders, w.buyers, w.items, w.amount) == (1, 1, 3, 140.0)
    assert (wo.orders, wo.buyers, wo.items, wo.amount) == (3, 3, 5, 160.0)
    assert (w.items_per_order, w.aov) == (3.0, 140.0)
    assert (wo.items_per_order, round(wo.aov, 2)) == (round(5 / 3, 3), 53.33)
    assert result.as_dict()["by_kind"]["complementary"]["acceptance_rate"] == 1.0


def test_the_conversation_remembers_what_was_shown_and_declined():
    uow = FakeUnitOfWork(products=[product(sku, price=price) for sku, price in PRICES.items()])   # no database
    metrics.record_shown(uow, "c9", [("A", "substitute"), ("B", "substitute")])
    metrics.record_declined(uow, "c9", "B")
    assert metrics.memory(uow, "c9") == (("A", "B"), ("B",))
    assert metrics.memory(uow, "other") == ((), ())
    assert metrics.record_accepted_if_suggested(uow, "c9", "A")
    assert not metrics.record_accepted_if_suggested(uow, "c9", "A")        # counted once
    assert not metrics.record_accepted_if_suggested(uow, "c9", "X")        # never suggested
    assert {k.kind: k.accepted for k in metrics.report(uow).by_kind} == {"substitute": 1}


def test_the_report_command_prints_a_table_and_json(db):
    in_uow(metrics.record_shown, "c1", [("A", "latent")])
    in_uow(metrics.record_accepted, "c1", "A")
    order("o1", "c1", {"A": 1})
    env = {**os.environ, "DATABASE_URL": db, "PYTHONPATH": str(PROJECT_ROOT)}
    command = [sys.executable, "-m", "bot.recommendations.report"]
    table = subprocess.run(command, env=env, capture_output=True, text=True, check=True).stdout
    assert "latent" in table and "with accepted suggestion" in table
    data = json.loads(subprocess.run(command + ["--json"], env=env, capture_output=True, text=True,
                                     check=True).stdout)
    assert data["by_kind"]["latent"]["accepted"] == 1
    assert data["orders_with_accepted_suggestion"]["aov"] == 100.0
