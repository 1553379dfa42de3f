"""Repurchase planning on the demo store's generated history, the reminder's words and the returning greeting."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest

from bot.catalog.seed import seed_demo_store
from bot.clock import as_utc
from bot.db.uow import UnitOfWork
from bot.db.uow import run_in_unit_of_work as in_uow
from bot.reminders import service as reminders
from bot.reminders.config import ReminderConfig
from bot.reminders.tables import Reminder
from bot.repurchase.greeting import REFILL, WELCOME_BACK, returning_greeting
from bot.repurchase.message import repurchase_message
from bot.repurchase.planning import plan_repurchase
from bot.settings import get_settings
from tests.support.reminders import make_order, reset_database_caches, use_database
from tests.support.repurchase import bought

END = datetime(2026, 11, 22, tzinfo=UTC)       # the demo history ends here (00:00 UTC)
NOW = END + timedelta(hours=2)                 # 10:00 in Shanghai
CONFIG = ReminderConfig(holdout_share=0.1, repurchase_lead_days=3, repurchase_grace_days=3)


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('demo') / 'demo.db'}"
    use_database(url, migrate=True)
    in_uow(seed_demo_store, get_settings().store_data_dir, seed=20261122, end=END)
    yield url
    reset_database_caches()


@dataclass(frozen=True)
class Planned:
    customer_id: str
    notice_key: str
    order_id: str
    state: str
    due_at: datetime
    payload: dict


def _orders_by_buyer_and_sku():
    found = defaultdict(list)
    with UnitOfWork() as uow:
        from bot.db.models import Order
        for order in uow.session.query(Order).filter(Order.status.in_(("paid", "shipped", "delivered"))):
            for line in order.lines:
                if line.product.consumable_days:
                    found[(order.customer_id, line.sku)].append((as_utc(order.created_at), order.id, line.qty,
                                                                 line.product.consumable_days))
    return found


def test_demo_buyers_who_are_due_get_repurchase_rows(demo_db):
    planned = in_uow(plan_repurchase, NOW, CONFIG)
    assert planned > 20
    assert in_uow(plan_repurchase, NOW, CONFIG) == 0                                # planned once
    with UnitOfWork() as uow:
        planned_rows = [Planned(r.customer_id, r.notice_key, r.order_id, r.state, as_utc(r.due_at), dict(r.payload))
                        for r in uow.session.query(Reminder).filter(Reminder.kind == "repurchase")]
    history = _orders_by_buyer_and_sku()
    due_now = [r for r in planned_rows if r.state == "pending" and r.due_at <= NOW]
    assert len(due_now) >= 5, "some demo buyers are due for a reminder right now"
    assert {r.state for r in planned_rows} == {"pending", "holdout"}
    for row in planned_rows:
        assert row.customer_id.startswith("demo-buyer-")
        purchases = sorted(history[(row.customer_id, row.notice_key)])
        latest_at, latest_id, qty, days = purchases[-1]
        assert row.order_id == latest_id                                    # the latest purchase only
        run_out = datetime.fromisoformat(row.payload["run_out_at"])
        assert row.due_at == run_out - timedelta(days=3)
        assert run_out >= NOW - timedelta(days=3)                            # not run out long ago
        if len(purchases) == 1:
            assert run_out == latest_at + timedelta(days=qty * days)


def test_the_reminder_names_the_item_with_a_reorder_card_and_one_reason(demo_db):
    bought_at = NOW - timedelta(days=33)
    bought("dog-walker", "DOG-FOOD-10KG", bought_at, qty=1, agent_id="aqiang")
    in_uow(plan_repurchase, NOW, CONFIG)
    [row] = [r for r in in_uow(reminders.list_reminders, "dog-walker") if r.kind == "repurchase"]
    message = in_uow(repurchase_message, row.id, "dog-walker")
    assert message is not None and message.product_sku
    assert message.values["agent"] == "阿强" and message.values["product"] == "成犬狗粮10kg"
    # 219 yuan, stock 40: the bargaining ladder's multi-buy (2 pieces, 5 yuan off each) is the one true reason
    assert message.values["repurchase_reason"] == {"kind": "multi_buy", "condition": "2", "deal_price": "214",
                                                  "saving": "10", "product": "成犬狗粮10kg", "price": "219"}
    [card] = message.custom["cards"]
    assert card["sku"] == "DOG-FOOD-10KG" and card["payload"] == '/want_buy{"product":"成犬狗粮10kg"}'
    assert in_uow(repurchase_message, row.id, "someone-else") is None


def test_returning_buyer_greeting_only_with_history_here(demo_db):
    assert in_uow(returning_greeting, "never-bought", NOW, CONFIG) is None
    make_order("window-shopper", [("RICE-5KG", 1)], created_at=NOW - timedelta(days=20))   # unpaid: not bought
    assert in_uow(returning_greeting, "window-shopper", NOW, CONFIG) is None
    bought("puppy-home", "DOG-FOOD-10KG", NOW - timedelta(days=31))
    greeting = in_uow(returning_greeting, "puppy-home", NOW, CONFIG)
    assert greeting is not None and greeting.kind == REFILL
    assert greeting.values["product"] == "成犬狗粮10kg" and greeting.values["returning_check"] == {"kind": "pet"}
    assert [c["sku"] for c in greeting.custom["cards"]] == ["DOG-FOOD-10KG"]
    bought("coat-lover", "COAT-TRENCH-001", NOW - timedelta(days=10))
    welcome = in_uow(returning_greeting, "coat-lover", NOW, CONFIG)
    assert welcome is not None and welcome.kind == WELCOME_BACK and welcome.custom is None
    assert welcome.values["product"] == "女士风衣外套" and welcome.sku == "COAT-TRENCH-001"


def test_no_returning_greeting_for_a_shopper_who_opted_out(demo_db):
    bought("quiet-please", "DOG-FOOD-10KG", NOW - timedelta(days=31))
    assert in_uow(returning_greeting, "quiet-please", NOW, CONFIG) is not None
    in_uow(reminders.opt_out, "quiet-please", NOW)
    assert in_uow(returning_greeting, "quiet-please", NOW, CONFIG) is None
