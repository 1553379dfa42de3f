"""Repeat-purchase reminders (追销): the run-out prediction and the outbox (FakeSender, temporary SQLite)."""
from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from bot.catalog.products import ProductView
from bot.db.models import Handoff
from bot.db.uow import UnitOfWork
from bot.reminders import service as reminders
from bot.reminders.config import ReminderConfig
from bot.reminders.scheduler import Scheduler
from bot.repurchase.message import repurchase_reason
from bot.repurchase.predict import Purchase, predict
from tests.support.reminders import STORE, T0, FakeClock, FakeSender, make_order, rows
from tests.support.repurchase import bought, db  # noqa: F401 (db: fixture)

CONFIG = ReminderConfig(delay_seconds=600, followup_seconds=0, cap_hours=24, quiet_hours="22:00-08:00",
                        timezone="Asia/Shanghai", holdout_share=0.0, lease_seconds=30, busy_seconds=30,
                        repurchase_lead_days=3, repurchase_grace_days=3, repurchase_plan_seconds=0)
DAY = timedelta(days=1)



def step(worker: Scheduler):
    return asyncio.run(worker.step())


def scheduler(sender: FakeSender, clock: FakeClock, config: ReminderConfig = CONFIG) -> Scheduler:
    return Scheduler(config, sender, clock=clock, worker_id="w1", crash=lambda point: None, lease_clock=clock)


def repurchase_rows(customer: str):
    return [(r.state, r.skip_reason) for r in rows(customer_id=customer) if r.kind == "repurchase"]


# prediction ---------------------------------------------------------------------------------------------
def test_a_single_purchase_lasts_quantity_times_consumable_days():
    prediction = predict([Purchase("A", T0, 2)], 35)
    assert prediction is not None and prediction.basis == "catalog"
    assert prediction.run_out_at == T0 + 70 * DAY
    assert prediction.remind_at(3) == T0 + 67 * DAY
    assert predict([Purchase("A", T0, 1)], 0) is None and predict([], 35) is None


def test_a_regular_reorderer_is_predicted_by_their_own_pace():
    history = [Purchase("A", T0, 1), Purchase("B", T0 + 28 * DAY, 1), Purchase("C", T0 + 56 * DAY, 2)]
    prediction = predict(history, 35)
    assert prediction is not None and prediction.basis == "own_pace" and prediction.order_id == "C"
    assert prediction.days_per_unit == pytest.approx(28)
    assert prediction.run_out_at == T0 + (56 + 2 * 28) * DAY


def test_one_odd_gap_moves_the_pace_only_within_a_band_of_the_catalog():
    stock_up = predict([Purchase("A", T0, 1), Purchase("B", T0 + 2 * DAY, 1)], 30)
    assert stock_up is not None and stock_up.days_per_unit == 15  # half the catalog's 30 at most
    forgot = predict([Purchase("A", T0, 1), Purchase("B", T0 + 200 * DAY, 1)], 30)
    assert forgot is not None and forgot.days_per_unit == 60


# the outbox ---------------------------------------------------------------------------------------------
def test_a_reminder_is_planned_lead_days_before_the_run_out_and_sent_then(db):
    bought("dog-owner", "DOGFOOD", T0 - 30 * DAY)          # runs out at T0 + 5 days
    sender, clock = FakeSender(), FakeClock(T0)
    worker = scheduler(sender, clock)
    assert step(worker)["planned"] == 1
    [row] = [r for r in rows(customer_id="dog-owner") if r.kind == "repurchase"]
    assert row.state == "pending" and row.due_at == T0 + 2 * DAY
    assert sender.sends == []
    clock.set(T0 + 2 * DAY)
    assert step(worker)["sent"] == 1
    assert sender.sends == [("dog-owner", "EXTERNAL_repurchase_reminder", {"reminder_id": str(row.id)})]
    assert step(worker)["sent"] == 0 and step(worker)["planned"] == 0   # planned and sent once


def test_an_early_reorder_cancels_the_reminder_and_plans_the_next(db):
    first = bought("regular", "DOGFOOD", T0 - 30 * DAY)
    sender, clock = FakeSender(), FakeClock(T0)
    worker = scheduler(sender, clock)
    step(worker)
    second = bought("regular", "DOGFOOD", T0 + DAY)         # re-ordered before the reminder was due
    clock.set(T0 + DAY + timedelta(hours=1))
    step(worker)
    assert sender.sends == []
    assert [(r.state, r.skip_reason) for r in rows(first)] == [("skipped", "reordered")]
    [next_row] = rows(second)
    assert next_row.kind == "repurchase" and next_row.state == "pending"
    assert next_row.due_at == T0 + DAY + (31 - 3) * DAY     # own pace: 31 days for one bag


def test_an_unpaid_reorder_also_cancels_it_when_due(db):
    bought("quick", "DOGFOOD", T0 - 33 * DAY)               # due at T0 - 1 day
    sender, clock = FakeSender(), FakeClock(T0)
    worker = scheduler(sender, clock, replace(CONFIG, quiet_hours="off"))
    worker.plan(clock())
    make_order("quick", [("DOGFOOD", 1)], created_at=T0 - timedelta(minutes=1))   # 催付 takes it from here
    step(worker)
    assert sender.sends == []                               # its payment reminder is not due yet either
    assert repurchase_rows("quick") == [("skipped", "reordered")]


def test_a_purchase_that_ran_out_long_ago_plans_nothing(db):
    bought("gone", "DOGFOOD", T0 - 60 * DAY)                # ran out 25 days ago: they buy elsewhere now
    assert step(scheduler(FakeSender(), FakeClock(T0)))["planned"] == 0


def test_sold_out_items_are_not_reminded(db):
    bought("rice-eater", "RICE", T0 - 23 * DAY)
    sender, clock = FakeSender(), FakeClock(T0)
    step(scheduler(sender, clock))
    assert sender.sends == [] and repurchase_rows("rice-eater") == [("skipped", "out_of_stock")]


def test_a_payment_reminder_today_means_no_repurchase_reminder_today(db):
    bought("busy", "DOGFOOD", T0 - 32 * DAY)                # repurchase due at T0
    make_order("busy", [("PAPER", 1)], created_at=T0 - timedelta(minutes=20))
    sender, clock = FakeSender(), FakeClock(T0 - timedelta(minutes=10))
    worker = scheduler(sender, clock)
    step(worker)
    assert [intent for _, intent, _ in sender.sends] == ["EXTERNAL_payment_reminder"]
    clock.set(T0 + timedelta(hours=1))
    step(worker)
    assert len(sender.sends) == 1
    [deferred] = [r for r in rows(customer_id="busy") if r.kind == "repurchase"]
    assert deferred.state == "pending"
    assert deferred.due_at == T0 - timedelta(minutes=10) + DAY   # when the shared 24 h window ends
    clock.set(deferred.due_at)
    step(worker)
    assert [intent for _, intent, _ in sender.sends][-1] == "EXTERNAL_repurchase_reminder"


def test_a_repurchase_reminder_today_means_no_payment_reminder_today(db):
    bought("buyer", "DOGFOOD", T0 - 33 * DAY)
    sender, clock = FakeSender(), FakeClock(T0)
    worker = scheduler(sender, clock)
    step(worker)
    assert [intent for _, intent, _ in sender.sends] == ["EXTERNAL_repurchase_reminder"]
    order = make_order("buyer", [("PAPER", 1)], created_at=T0 + timedelta(hours=2))
    clock.set(T0 + timedelta(hours=2, minutes=11))
    step(worker)
    assert len(sender.sends) == 1
    assert [(r.kind, r.state, r.skip_reason) for r in rows(order)] == [("first", "skipped", "cap")]


def test_opting_out_stops_every_kind_of_reminder_for_good(db):
    bought("no-thanks", "DOGFOOD", T0 - 30 * DAY)
    make_order("no-thanks", [("PAPER", 1)], created_at=T0)
    sender, clock = FakeSender(), FakeClock(T0 + timedelta(minutes=1))
    worker = scheduler(sender, clock)
    step(worker)
    assert reminders.opt_out("no-thanks", now=clock()) == 2          # the payment and the repurchase row
    assert [r.skip_reason for r in rows(customer_id="no-thanks")] == ["opted_out", "opted_out"]
    bought("no-thanks", "PAPER", T0 + 2 * DAY)                       # a new purchase plans nothing
    later = make_order("no-thanks", [("DOGFOOD", 1)], created_at=T0 + 40 * DAY)
    clock.set(T0 + 40 * DAY + timedelta(minutes=11))
    step(worker)
    assert sender.sends == []
    assert [(r.kind, r.skip_reason) for r in rows(later)] == [("first", "opted_out")]
    assert repurchase_rows("no-thanks") == [("skipped", "opted_out")]


def test_no_reminder_while_a_complaint_is_recent(db):
    bought("upset", "DOGFOOD", T0 - 33 * DAY)
    sender, clock = FakeSender(), FakeClock(T0)
    sender.shopper_typed("upset", T0 - timedelta(hours=5), "发错货了", intent="complain")
    worker = scheduler(sender, clock)
    step(worker)
    assert sender.sends == []
    [row] = [r for r in rows(customer_id="upset") if r.kind == "repurchase"]
    assert row.state == "pending" and row.due_at == T0 - timedelta(hours=5) + timedelta(hours=72)


def test_quiet_hours_hold_repurchase_reminders_until_morning(db):
    night = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)      # 23:00 in Shanghai
    bought("night-owl", "DOGFOOD", night - 33 * DAY)
    sender, clock = FakeSender(), FakeClock(night)
    step(scheduler(sender, clock))
    [row] = [r for r in rows(customer_id="night-owl") if r.kind == "repurchase"]
    assert sender.sends == [] and row.due_at == datetime(2026, 11, 21, 0, 0, tzinfo=UTC)


def test_holdout_buyers_get_no_repurchase_reminder(db):
    bought("control", "DOGFOOD", T0 - 33 * DAY)
    sender, clock = FakeSender(), FakeClock(T0)
    step(scheduler(sender, clock, replace(CONFIG, holdout_share=1.0)))
    assert sender.sends == [] and repurchase_rows("control") == [("holdout", None)]


# the one reason ------------------------------------------------------------------------------------------
LADDER = ({"condition": "multi_buy", "min_qty": 2, "discount_per_item": 5}, {"condition": "pay_now_gift"})


def item(price: float, floor: float, stock: int) -> ProductView:
    return ProductView("SKU", "Item", "宠物", price, floor, stock, consumable_days=30)


def test_the_reason_is_low_stock_first_then_the_multi_buy_then_a_member_price():
    member = replace(STORE, promotions={**STORE.promotions, "member_price": {"off_percent": 5}})
    assert repurchase_reason(item(219, 189, 3), member, LADDER) == {"kind": "low_stock", "stock": "3"}
    multi = repurchase_reason(item(219, 189, 40), member, LADDER)
    assert multi is not None and (multi["kind"], multi["condition"], multi["deal_price"]) == ("multi_buy", "2", "214")
    no_ladder = (LADDER[1],)
    assert repurchase_reason(item(200, 150, 40), member, no_ladder) == {"kind": "member_price", "deal_price": "190"}
    assert repurchase_reason(item(200, 198, 40), member, no_ladder) == {"kind": "member_price", "deal_price": "198"}


def test_no_reason_is_invented_when_none_is_true():
    # no discount room above the floor, no member price in the store settings, plenty in stock
    assert repurchase_reason(item(45.9, 45.9, 180), STORE, LADDER) is None


def test_an_open_handoff_holds_the_repurchase_reminder(db):
    bought("with-agent", "DOGFOOD", T0 - 33 * DAY)
    with UnitOfWork() as uow:
        uow.handoffs.add(Handoff(conversation_id="with-agent", reason="request_human", summary={}, created_at=T0))
        uow.commit()
    sender, clock = FakeSender(), FakeClock(T0)
    step(scheduler(sender, clock))
    [row] = [r for r in rows(customer_id="with-agent") if r.kind == "repurchase"]
    assert sender.sends == [] and row.state == "pending" and row.due_at == T0 + timedelta(seconds=300)


def test_a_sent_reminder_is_unseen_until_the_shopper_opens_the_chat(db):
    bought("away", "DOGFOOD", T0 - 33 * DAY)
    sender, clock = FakeSender(), FakeClock(T0)
    step(scheduler(sender, clock))
    [row] = reminders.list_reminders("away")
    assert row.state == "sent" and row.seen_at is None
    assert reminders.unseen_reminders("away", [row.id]) == {row.id}
    assert reminders.unseen_reminders("someone-else", [row.id]) == set()     # only the shopper's own
    assert reminders.mark_reminders_seen("away", T0 + DAY) == 1
    assert reminders.mark_reminders_seen("away", T0 + 2 * DAY) == 0          # seen once, at the first open
    assert reminders.unseen_reminders("away", [row.id]) == set()
    assert reminders.list_reminders("away")[0].seen_at == T0 + DAY
