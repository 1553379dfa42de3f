"""Test doubles and hand-made data for the reminder tests (no shopper words: product names are ASCII)."""
from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import tempfile
import threading
import time as _time
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Iterator

from bot.db.models import Customer, Order, OrderLine, Product
from bot.db.uow import UnitOfWork
from bot.reminders.sender import REMINDER_ENTITY, TROUBLE_INTENTS, delivered_in, last_intent_at, last_typed_at
from bot.store.config import StoreConfig

# 2026-11-20 10:00 in Shanghai: inside shop hours, before the 16:00 cut-off.
T0 = datetime(2026, 11, 20, 2, 0, tzinfo=UTC)

PRODUCTS = [  # sku, name, price, stock
    ("TEE-ROUND", "Round tee", 59.0, 3),
    ("TEE-V", "V-neck tee", 69.0, 40),
    ("CASE-20", "Trolley case", 299.0, 12),
    ("SOCKS", "Socks", 19.0, 0),
    ("TEE-LOW", "Low tee", 49.0, 2),
]

STORE = StoreConfig(
    id="test", name="Test store", style="lively", timezone="Asia/Shanghai",
    shipping={"same_day_cutoff": "16:00", "delivery_days": "2-4", "carrier": "ZTO"},
    returns={"no_reason_days": 7, "exchange_days": 15},
    promotions={"coupons": [{"code": "NEW10", "amount": 10, "min_spend": 99, "expires_days": 3}],
                "pay_now_gift": {"name": "Pouch", "min_spend": 99}},
    customisation=False,
    agents=({"id": "xiaomei", "name": "Mei"}, {"id": "aqiang", "name": "Qiang"}),
)


class FakeClock:
    def __init__(self, now: datetime = T0) -> None:
        self.now = now
        self._lock = threading.Lock()

    def __call__(self) -> datetime:
        with self._lock:
            return self.now

    def set(self, now: datetime) -> None:
        with self._lock:
            self.now = now

    def advance(self, **delta: float) -> datetime:
        with self._lock:
            self.now += timedelta(**delta)
            return self.now


class SimulatedCrash(BaseException):
    """Raised by the test crash hook; BaseException so that no `except Exception` swallows it."""


def crash_at(point: str):
    def hook(reached: str) -> None:
        if reached == point:
            raise SimulatedCrash(point)
    return hook


class FakeSender:
    """Rasa in memory: trigger_intent appends the external user event the way Rasa records it."""

    def __init__(self, delay: float = 0.0) -> None:
        self.events: dict[str, list[dict[str, Any]]] = defaultdict(list)
        self.sends: list[tuple[str, str, dict[str, Any]]] = []
        self.failures_left = 0
        self.delay = delay
        self._lock = threading.Lock()

    async def send(self, customer_id: str, intent: str, entities: dict[str, Any]) -> None:
        if self.delay:
            await asyncio.sleep(self.delay)
        with self._lock:
            if self.failures_left:
                self.failures_left -= 1
                raise ConnectionError("rasa is down")
            self.sends.append((customer_id, intent, dict(entities)))
            self.events[customer_id].append({
                "event": "user", "timestamp": _time.time(), "text": f"EXTERNAL: {intent}",
                "metadata": {"is_external": True},
                "parse_data": {"intent": {"name": intent, "confidence": 1.0},
                               "entities": [{"entity": k, "value": v} for k, v in entities.items()]},
            })

    def shopper_typed(self, customer_id: str, at: datetime, text: str = "hello", intent: str = "greet") -> None:
        with self._lock:
            self.events[customer_id].append({"event": "user", "timestamp": at.timestamp(), "text": text,
                                             "parse_data": {"intent": {"name": intent}, "entities": []}})

    async def already_delivered(self, customer_id: str, reminder_id: int) -> bool:
        with self._lock:
            return delivered_in(list(self.events[customer_id]), reminder_id)

    async def last_user_message_at(self, customer_id: str) -> datetime | None:
        with self._lock:
            return last_typed_at(list(self.events[customer_id]))

    async def last_trouble_at(self, customer_id: str) -> datetime | None:
        with self._lock:
            return last_intent_at(list(self.events[customer_id]), TROUBLE_INTENTS)

    def sent_ids(self) -> list[int]:
        return [int(entities[REMINDER_ENTITY]) for _, _, entities in self.sends]


def reset_database_caches() -> None:
    from bot.db import engine
    from bot.settings import get_settings

    engine.get_session_factory.cache_clear()
    if engine.get_engine.cache_info().currsize:
        engine.get_engine().dispose()  # the current URL's pool (PostgreSQL databases are dropped after tests)
    engine.get_engine.cache_clear()
    get_settings.cache_clear()


def use_database(url: str, migrate: bool = False) -> None:
    """Point this process at `url` (the settings and engines are cached per process)."""
    os.environ["DATABASE_URL"] = url
    reset_database_caches()
    if migrate:
        from bot.db import migrate as migrations

        migrations.upgrade()


_template: dict[str, Path] = {}


POSTGRES_ADMIN_ENV = "TEST_POSTGRES_ADMIN_URL"  # a server where the tests may create and drop databases
POSTGRES_ADMIN_DEFAULT = "postgresql://postgres@127.0.0.1:5432/postgres"


def postgres_admin_url() -> str | None:
    """The PostgreSQL admin URL when a server answers there, else None (the caller skips with the reason)."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.exc import SQLAlchemyError

    url = os.environ.get(POSTGRES_ADMIN_ENV, POSTGRES_ADMIN_DEFAULT)
    engine = create_engine(url, future=True, connect_args={"connect_timeout": 3})
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        return url
    except SQLAlchemyError:
        return None
    finally:
        engine.dispose()


@contextlib.contextmanager
def _postgres_database(admin_url: str) -> Iterator[str]:
    """A new, migrated PostgreSQL database with PRODUCTS, dropped afterwards."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = f"reminders_test_{os.getpid()}_{next(_db_seq)}"
    admin = create_engine(admin_url, future=True, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    try:
        use_database(url, migrate=True)
        seed_products()
        yield url
    finally:
        reset_database_caches()  # disposes nothing by itself: close this process's pool before dropping
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


_db_seq = iter(range(1, 1_000_000))


@contextlib.contextmanager
def fresh_database(directory: Path, postgres_admin: str | None = None) -> Iterator[str]:
    """A migrated database with PRODUCTS: SQLite copied from a per-process template, or with
    `postgres_admin` a new PostgreSQL database on that server. Restores DATABASE_URL afterwards."""
    previous = os.environ.get("DATABASE_URL")
    try:
        if postgres_admin:
            with _postgres_database(postgres_admin) as url:
                yield url
            return
        if "path" not in _template:
            template = Path(tempfile.mkdtemp(prefix="reminders-template-")) / "template.db"
            use_database(f"sqlite:///{template}", migrate=True)
            seed_products()
            reset_database_caches()
            _template["path"] = template
        target = directory / "reminders.db"
        shutil.copyfile(_template["path"], target)
        url = f"sqlite:///{target}"
        use_database(url)
        yield url
    finally:
        if previous is None:
            os.environ.pop("DATABASE_URL", None)
        else:
            os.environ["DATABASE_URL"] = previous
        reset_database_caches()


def seed_products() -> None:
    with UnitOfWork() as uow:
        for sku, name, price, stock in PRODUCTS:
            uow.session.add(Product(sku=sku, name=name, category="test", price=price, floor_price=price,
                                    stock=stock, attributes={}, scenes=[], aliases=[], description="", image=""))
        uow.commit()


_order_seq = iter(range(1, 1_000_000))


def make_order(customer_id: str, lines: list[tuple[str, int]], created_at: datetime = T0,
               status: str = "unpaid", agent_id: str = "xiaomei", paid_at: datetime | None = None,
               order_id: str | None = None) -> str:
    order_id = order_id or f"T{next(_order_seq):07d}"
    with UnitOfWork() as uow:
        if uow.session.get(Customer, customer_id) is None:
            uow.session.add(Customer(id=customer_id, created_at=created_at))
            uow.session.flush()
        order = Order(id=order_id, customer_id=customer_id, agent_id=agent_id, status=status,
                      created_at=created_at, paid_at=paid_at, total=0.0)
        total = 0.0
        for sku, qty in lines:
            price = uow.products.get(sku).price
            order.lines.append(OrderLine(sku=sku, qty=qty, unit_price=price))
            total += price * qty
        order.total = round(total, 2)
        uow.session.add(order)
        uow.commit()
    return order_id


def set_order(order_id: str, **values: Any) -> None:
    with UnitOfWork() as uow:
        order = uow.orders.get(order_id)
        for key, value in values.items():
            setattr(order, key, value)
        uow.commit()


def set_stock(sku: str, stock: int) -> None:
    with UnitOfWork() as uow:
        uow.products.get(sku).stock = stock
        uow.commit()


@dataclass(frozen=True)
class Row:
    id: int
    kind: str
    state: str
    skip_reason: str | None
    due_at: datetime
    angle: str | None


def rows(order_id: str | None = None, customer_id: str | None = None) -> list[Row]:
    from bot.reminders.service import list_reminders

    return sorted((Row(r.id, r.kind, r.state, r.skip_reason, r.due_at, r.angle)
                   for r in list_reminders(customer_id, order_id)), key=lambda r: r.id)
