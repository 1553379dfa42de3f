"""Consumables and purchases for the repurchase tests (on top of tests/support/reminders.py)."""
from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from bot.db.models import Product
from bot.db.uow import UnitOfWork
from tests.support.reminders import fresh_database, make_order

CONSUMABLES = [  # sku, name, category, price, floor, stock, consumable_days
    ("DOGFOOD", "Dog food", "宠物", 219.0, 189.0, 40, 35),
    ("PAPER", "Paper rolls", "日用", 39.9, 34.0, 3, 30),
    ("RICE", "Rice", "食品", 45.9, 45.9, 0, 25),
]


def seed_consumables() -> None:
    with UnitOfWork() as uow:
        for sku, name, category, price, floor, stock, days in CONSUMABLES:
            uow.session.add(Product(sku=sku, name=name, category=category, price=price, floor_price=floor,
                                    stock=stock, consumable_days=days, attributes={}, scenes=[], aliases=[],
                                    description="", image=f"/static/{sku}.svg"))
        uow.commit()


def bought(customer_id: str, sku: str, at: datetime, qty: int = 1, status: str = "delivered",
           agent_id: str = "aqiang") -> str:
    """A paid purchase (paid a few minutes after it was placed)."""
    return make_order(customer_id, [(sku, qty)], created_at=at, status=status, agent_id=agent_id,
                      paid_at=at + timedelta(minutes=3) if status != "unpaid" else None)


@pytest.fixture
def db(tmp_path):
    """A fresh database holding the consumables."""
    with fresh_database(tmp_path) as url:
        seed_consumables()
        yield url
