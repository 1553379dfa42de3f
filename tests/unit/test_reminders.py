"""The reminder scheduler against a temporary database and an in-memory Rasa (FakeSender).

Every test that takes `db` runs on SQLite and, marked `scaled`, on a new PostgreSQL database (skipped with the
reason when no server answers at TEST_POSTGRES_ADMIN_URL, default postgres@127.0.0.1:5432).
"""
from __future__ import annotations

import asyncio
import threading
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from bot.reminders import service as reminders
from bot.reminders.config import ReminderConfig, in_holdout, quiet_until
from bot.reminders.scheduler import Scheduler
from tests.support.reminders import (
    POSTGRES_ADMIN_ENV,
    T0,
    FakeClock,
    FakeSender,
    SimulatedCrash,
    crash_at,
    fresh_database,
    make_order,
    postgres_admin_url,
    rows,
    set_order,
    set_stock,
)

CONFIG = ReminderConfig(delay_seconds=600, followup_seconds=1800, cap_hours=24, quiet_hours="22:00-08:00",
                        timezone="Asia/Shanghai", holdout_share=0.0, lease_seconds=30, busy_seconds=30,
                        retry_seconds=60)


BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.scaled)]


def database_server(backend: str) -> str | None:
    """None for SQLite; the PostgreSQL admin URL, or a skip that says why."""
    if backend != "postgresql":
        return None
    admin = postgres_admin_url()
    if admin is None:
        pytest.skip(f"no PostgreSQL server answers at ${POSTGRES_ADMIN_ENV} (default postgres@127.0.0.1:5432)")
    return admin


@pytest.fixture(params=BACKENDS)
def db(request, tmp_path):
    with fresh_database(tmp_path, database_server(request.param)) as url:
        yield url


def scheduler(sender: FakeSender, clock: FakeClock, config: ReminderConfig = CONFIG, name: str = "w1",
              crash=None) -> Scheduler:
    return Scheduler(config, sender, clock=clock, worker_id=name, crash=crash or (lambda point: None),
                     lease_clock=clock)


def step(s: Scheduler):
    return asyncio.run(s.step())


def test_first_reminder_is_planned_at_once_and_sent_after_the_delay(db):
    order = make_order("shopper-1", [("TEE-V", 1)])
    sender, clock = FakeSender(), FakeClock(T0 + timedelta(minutes=1))
    worker = scheduler(sender, clock)
    assert step(worker)["planned"] == 1
    assert sender.sends == [] and rows(order)[0].state == "pending"
    clock.set(T0 + timedelta(minutes=10))
    assert step(worker)["sent"] == 1
    first = rows(order)[0]
    assert sender.sends == [("shopper-1", "EXTERNAL_payment_reminder", {"reminder_id": str(first.id)})]
    assert first.state == "sent"
    followup = rows(order)[1]
    assert (followup.kind, followup.state) == ("followup", "pending")
    assert followup.due_at == T0 + timedelta(minutes=40)
    assert step(worker)["sent"] == 0  # nothing twice


def test_paying_before_the_delay_means_no_reminder(db):
    order = make_order("shopper-2", [("TEE-V", 1)])
    sender, clock = FakeSender(), FakeClock(T0 + timedelta(minutes=1))
    worker = scheduler(sender, clock)
    step(worker)
    set_order(order, status="paid", paid_at=T0 + timedelta(minutes=5))
    clock.set(T0 + timedelta(minutes=11))
    step(worker)
    assert sender.sends == []
    assert [(r.kind, r.state, r.skip_reason) for r in rows(order)] == [("first", "skipped", "paid")]


def test_cancelled_order_and_followup_after_payment_are_skipped(db):
    cancelled = make_order("shopper-3", [("TEE-V", 1)], status="cancelled")
    order = make_order("shopper-4", [("TEE-V", 1)])
    sender, clock = FakeSender(), FakeClock(T0 + timedelta(minutes=10))
    worker = scheduler(sender, clock)
    step(worker)
    assert rows(cancelled) == []  # only unpaid orders are planned
    set_order(order, status="paid", paid_at=clock.advance(minutes=5))
    clock.advance(minutes=30)
    step(worker)
    assert [(r.kind, r.state, r.skip_reason) for r in rows(order)] == [
        ("first", "sent", None), ("followup", "skipped", "paid")]
    assert len(sender.sends) == 1


def test_quiet_hours_defer_until_morning_and_never_drop(db):
    evening = datetime(2026, 11, 20, 13, 55, tzinfo=UTC)  # 21:55 in Shanghai
    order = make_order("shopper-5", [("TEE-V", 1)], created_at=evening)
    sender, clock = FakeSender(), FakeClock(evening + timedelta(minutes=10))  # 22:05
    worker = scheduler(sender, clock)
    assert step(worker)["deferred"] == 1
    morning = datetime(2026, 11, 21, 0, 0, tzinfo=UTC)  # 08:00 in Shanghai
    assert rows(order)[0].due_at == morning and rows(order)[0].state == "pending"
    clock.set(morning - timedelta(seconds=1))
    step(worker)
    assert sender.sends == []
    clock.set(morning)
    assert step(worker)["sent"] == 1


def test_quiet_hours_arithmetic():
    shanghai = "Asia/Shanghai"
    day = datetime(2026, 11, 20, tzinfo=UTC) - timedelta(hours=8)  # midnight in Shanghai
    at = lambda h, m=0: day + timedelta(hours=h, minutes=m)  # noqa: E731
    assert quiet_until(at(21, 59), "22:00-08:00", shanghai) is None
    assert quiet_until(at(23, 30), "22:00-08:00", shanghai) == at(32)  # 08:00 next day
    assert quiet_until(at(3), "22:00-08:00", shanghai) == at(8)
    assert quiet_until(at(8), "22:00-08:00", shanghai) is None
    assert quiet_until(at(13), "12:00-14:00", shanghai) == at(14)
    assert quiet_until(at(3), "", shanghai) is None and quiet_until(at(3), "off", shanghai) is None


def test_cap_one_automatic_reminder_per_buyer_per_day_but_followup_of_same_order(db):
    first_order = make_order("shopper-6", [("TEE-V", 1)])
    second_order = make_order("shopper-6", [("CASE-20", 1)], created_at=T0 + timedelta(minutes=5))
    sender, clock = FakeSender(), FakeClock(T0 + timedelta(minutes=10))
    worker = scheduler(sender, clock)
    step(worker)
    clock.set(T0 + timedelta(minutes=15))
    step(worker)
    assert [(r.kind, r.state, r.skip_reason) for r in rows(second_order)] == [("first", "skipped", "cap")]
    clock.set(T0 + timedelta(minutes=40))
    step(worker)
    assert [(r.kind, r.state) for r in rows(first_order)] == [("first", "sent"), ("followup", "sent")]
    assert len(sender.sends) == 2
    third = make_order("shopper-6", [("TEE-V", 1)], created_at=T0 + timedelta(hours=25))
    clock.set(T0 + timedelta(hours=25, minutes=10))
    step(worker)
    assert rows(third)[0].state == "sent"  # a new day


def test_opt_out_skips_pending_and_future_reminders(db):
    order = make_order("shopper-7", [("TEE-V", 1)])
    sender, clock = FakeSender(), FakeClock(T0 + timedelta(minutes=1))
    worker = scheduler(sender, clock)
    step(worker)
    assert reminders.opt_out("shopper-7", now=clock()) == 1
    assert reminders.opt_out("shopper-7", now=clock()) == 0  # idempotent
    assert reminders.is_opted_out("shopper-7")
    later = make_order("shopper-7", [("TEE-V", 1)], created_at=T0 + timedelta(hours=30))
    clock.set(T0 + timedelta(hours=31))
    step(worker)
    assert sender.sends == []
    assert [r.skip_reason for r in rows(order) + rows(later)] == ["opted_out", "opted_out"]


def test_holdout_orders_are_never_reminded(db):
    order = make_order("shopper-8", [("TEE-V", 1)])
    sender, clock = FakeSender(), FakeClock(T0 + timedelta(minutes=11))
    worker = scheduler(sender, clock, replace(CONFIG, holdout_share=1.0))
    step(worker)
    clock.advance(hours=2)
    step(worker)
    assert sender.sends == []
    assert [(r.kind, r.state) for r in rows(order)] == [("first", "holdout")]


def test_holdout_draw_is_deterministic_and_near_the_share():
    ids = [f"O{i:06d}" for i in range(4000)]
    share = sum(in_holdout(i, 0.1) for i in ids) / len(ids)
    assert 0.08 < share < 0.12
    assert [in_holdout(i, 0.1) for i in ids[:50]] == [in_holdout(i, 0.1) for i in ids[:50]]
    assert not any(in_holdout(i, 0.0) for i in ids[:100])


def test_mid_conversation_defers_until_the_shopper_is_quiet(db):
    order = make_order("shopper-9", [("TEE-V", 1)])
    sender, clock = FakeSender(), FakeClock(T0 + timedelta(minutes=10))
    sender.shopper_typed("shopper-9", clock() - timedelta(seconds=10))
    worker = scheduler(sender, clock)
    assert step(worker)["deferred"] == 1
    assert rows(order)[0].due_at == clock() + timedelta(seconds=20)
    clock.advance(seconds=20)
    assert step(worker)["sent"] == 1


def test_followup_is_skipped_when_the_shopper_answered_the_first(db):
    order = make_order("shopper-10", [("TEE-V", 1)])
    sender, clock = FakeSender(), FakeClock(T0 + timedelta(minutes=10))
    worker = scheduler(sender, clock)
    step(worker)
    sender.shopper_typed("shopper-10", T0 + timedelta(minutes=12))
    clock.set(T0 + timedelta(minutes=40))
    step(worker)
    assert [(r.kind, r.state, r.skip_reason) for r in rows(order)][1] == ("followup", "skipped", "replied")


def test_failed_send_backs_off_then_succeeds_and_never_gives_up_while_rasa_is_down(db):
    order = make_order("shopper-11", [("TEE-V", 1)])
    sender, clock = FakeSender(), FakeClock(T0 + timedelta(minutes=10))
    sender.failures_left = 1
    worker = scheduler(sender, clock)
    assert step(worker)["failed"] == 1
    assert rows(order)[0].due_at == clock() + timedelta(seconds=60)
    clock.advance(seconds=60)
    assert step(worker)["sent"] == 1
    waiting = make_order("shopper-12", [("TEE-V", 1)], created_at=clock())
    sender.failures_left = 999  # Rasa is down for six hours
    for _ in range(6):
        clock.advance(hours=1)
        step(worker)
    view = reminders.list_reminders(order_id=waiting)[0]
    assert view.state == "pending" and view.failures >= 5  # still waiting; the failures show on the manager view
    assert "rasa is down" in view.last_error
    sender.failures_left = 0
    clock.advance(hours=1)
    step(worker)
    assert rows(waiting)[0].state == "sent"


def test_two_workers_in_threads_send_each_reminder_exactly_once(db):
    orders = [make_order(f"race-{i}", [("TEE-V", 1)]) for i in range(30)]
    orders += [make_order("race-shared", [("TEE-V", 1)]) for _ in range(3)]  # same shopper: cap -> one
    sender, clock = FakeSender(delay=0.002), FakeClock(T0 + timedelta(minutes=10))
    config = replace(CONFIG, followup_seconds=0, batch_size=5)
    workers = [scheduler(sender, clock, config, name=f"w{i}") for i in range(2)]
    barrier, errors = threading.Barrier(2), []

    def run(worker: Scheduler) -> None:
        try:
            barrier.wait()
            for _ in range(12):
                step(worker)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(w,)) for w in workers]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == []
    sent = sender.sent_ids()
    assert len(sent) == len(set(sent)) == 31
    states = [r.state for order in orders for r in rows(order)]
    assert states.count("sent") == 31 and states.count("skipped") == 2
    assert sum(1 for c, _, _ in sender.sends if c == "race-shared") == 1


def test_two_workers_cannot_race_past_the_cap_for_one_shopper(db):
    """While one worker holds a row of a shopper, no other row of that shopper can be claimed."""
    orders = [make_order("capped", [("TEE-V", 1)]) for _ in range(2)]
    sender, clock = FakeSender(delay=0.2), FakeClock(T0 + timedelta(minutes=10))
    workers = [scheduler(sender, clock, replace(CONFIG, followup_seconds=0), name=f"w{i}") for i in range(2)]
    workers[0].plan(clock())
    barrier = threading.Barrier(2)

    def run(worker: Scheduler) -> None:
        barrier.wait()
        step(worker)

    threads = [threading.Thread(target=run, args=(w,)) for w in workers]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    clock.advance(minutes=1)
    for worker in workers:
        step(worker)
    assert len(sender.sends) == 1
    assert sorted(r.state for order in orders for r in rows(order)) == ["sent", "skipped"]


def test_crash_after_claim_another_worker_sends_once_after_the_lease(db):
    order = make_order("shopper-13", [("TEE-V", 1)])
    sender, clock = FakeSender(), FakeClock(T0 + timedelta(minutes=10))
    with pytest.raises(SimulatedCrash):
        step(scheduler(sender, clock, name="dies", crash=crash_at("after_claim")))
    assert rows(order)[0].state == "claimed"
    survivor = scheduler(sender, clock, name="survivor")
    step(survivor)
    assert sender.sends == []  # the lease is still live
    clock.advance(seconds=31)
    assert step(survivor)["sent"] == 1
    assert len(sender.sends) == 1 and rows(order)[0].state == "sent"


def test_crash_after_send_before_mark_is_not_sent_again(db):
    order = make_order("shopper-14", [("TEE-V", 1)])
    sender, clock = FakeSender(), FakeClock(T0 + timedelta(minutes=10))
    with pytest.raises(SimulatedCrash):
        step(scheduler(sender, clock, name="dies", crash=crash_at("after_send")))
    assert len(sender.sends) == 1 and rows(order)[0].state == "claimed"
    set_order(order, status="paid", paid_at=clock())  # paid meanwhile: still recorded as sent, not skipped
    clock.advance(seconds=31)
    assert step(scheduler(sender, clock, name="survivor"))["recovered"] == 1
    assert len(sender.sends) == 1
    assert [(r.kind, r.state) for r in rows(order)] == [("first", "sent"), ("followup", "pending")]


def test_stock_out_notices_reach_unpaid_and_unshipped_orders_only(db):
    unpaid = make_order("notice-1", [("TEE-ROUND", 1)])
    make_order("notice-2", [("TEE-ROUND", 2), ("TEE-V", 1)], status="paid", paid_at=T0)
    shipped = make_order("notice-3", [("TEE-ROUND", 1)], status="shipped", paid_at=T0)
    other = make_order("notice-4", [("TEE-V", 1)])
    set_stock("TEE-ROUND", 0)
    now = T0 + timedelta(minutes=2)
    assert reminders.notify_stock_out("TEE-ROUND", now=now, config=CONFIG) == 2
    assert reminders.notify_stock_out("TEE-ROUND", now=now, config=CONFIG) == 0  # once per order and sku
    sender, clock = FakeSender(), FakeClock(now)
    step(scheduler(sender, clock))
    assert sorted((c, i) for c, i, _ in sender.sends) == [
        ("notice-1", "EXTERNAL_change_notice"), ("notice-2", "EXTERNAL_change_notice")]
    assert rows(shipped) == [] and [r.kind for r in rows(other)] == ["first"]
    clock.set(T0 + timedelta(minutes=11))
    step(scheduler(sender, clock))  # the payment reminder of an order that cannot ship as is
    assert [(r.kind, r.state, r.skip_reason) for r in rows(unpaid)] == [
        ("stock_out", "sent", None), ("first", "skipped", "out_of_stock")]


def test_delay_notice_is_planned_once_per_key_and_opt_out_does_not_silence_it(db):
    order = make_order("notice-5", [("TEE-V", 1)], status="paid", paid_at=T0)
    reminders.opt_out("notice-5", now=T0)
    first_id = reminders.notify_delay(order, 2, now=T0)
    assert reminders.notify_delay(order, 2, now=T0 + timedelta(minutes=1)) == first_id
    with pytest.raises(reminders.NoticeError):
        reminders.notify_delay(order, 0)
    with pytest.raises(reminders.NoticeError):
        reminders.notify_delay("missing", 2)
    sender = FakeSender()
    step(scheduler(sender, FakeClock(T0 + timedelta(minutes=2))))
    assert sender.sent_ids() == [first_id]


def test_active_reminder_is_the_recent_sent_one_of_an_unpaid_order(db):
    order = make_order("shopper-15", [("TEE-V", 1)])
    clock = FakeClock(T0 + timedelta(minutes=10))
    assert reminders.active_reminder("shopper-15", now=clock()) is None
    step(scheduler(FakeSender(), clock))
    active = reminders.active_reminder("shopper-15", now=clock())
    assert (active.order_id, active.kind, active.sent_at) == (order, "first", clock())
    assert reminders.active_reminder("shopper-15", now=clock() + timedelta(hours=25)) is None
    set_order(order, status="paid", paid_at=clock())
    assert reminders.active_reminder("shopper-15", now=clock()) is None


def test_claims_of_one_shopper_are_serialised_across_open_transactions(db):
    """Two transactions claim two different rows of one shopper at once: the second must see the first's claim
    (PostgreSQL: per-shopper advisory lock; SQLite: one writer), or the daily cap could be raced."""
    from bot.db.uow import UnitOfWork
    from bot.reminders.repository import ReminderRepository

    for _ in range(2):
        make_order("serial", [("TEE-V", 1)])
    now = T0 + timedelta(minutes=10)
    scheduler(FakeSender(), FakeClock(now)).plan(now)
    first_row, second_row = (r.id for r in rows(customer_id="serial"))
    until = now + timedelta(seconds=30)
    outcome: list[bool] = []
    with UnitOfWork() as first:
        assert ReminderRepository(first.session).claim(first_row, "serial", "w1", now, until)

        def second_claim() -> None:
            with UnitOfWork() as second:
                outcome.append(ReminderRepository(second.session).claim(second_row, "serial", "w2", now, until))
                second.commit()

        thread = threading.Thread(target=second_claim)
        thread.start()
        thread.join(2)  # without serialisation the second claim returns at once, and wins
        assert outcome in ([], [False])
        first.commit()
    thread.join(30)
    assert outcome == [False]
    assert [r.state for r in rows(customer_id="serial")] == ["claimed", "pending"]
