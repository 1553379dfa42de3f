"""Repurchase reminders in the durable outbox: planned from the run-out prediction, cancelled on re-order.

One row per (purchase, sku): `order_id` is the latest purchase of the consumable, `notice_key` its sku,
`due_at` the lead time before the predicted run-out. A newer purchase plans a new row and skips the old one
('reordered'); the scheduler checks again right before sending (bot/reminders/scheduler.py).
"""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from bot.clock import as_utc
from bot.db.uow import AbstractUnitOfWork
from bot.reminders.config import ReminderConfig, in_holdout
from bot.reminders.tables import REPURCHASE
from bot.repurchase.predict import Prediction, predict


def holdout_key(order_id: str, sku: str) -> str:
    return f"repurchase/{order_id}/{sku}"


def predictions(uow: AbstractUnitOfWork, now: datetime, config: ReminderConfig, customer_id: str | None = None
                ) -> dict[tuple[str, str], Prediction]:
    """(customer, sku) -> the run-out of their latest purchase of each consumable."""
    since = now - timedelta(days=config.repurchase_history_days)
    days = {p.sku: p.consumable_days for p in uow.products.list() if p.consumable_days}
    found = {}
    for (customer, sku), purchases in uow.purchases.consumable_purchases(since, customer_id).items():
        prediction = predict(purchases, days.get(sku, 0))
        if prediction is not None:
            found[(customer, sku)] = prediction
    return found


def outbox_row(customer: str, sku: str, p: Prediction, now: datetime, config: ReminderConfig) -> dict[str, Any]:
    """The outbox row of one prediction: due the lead time before the run-out (a holdout row when drawn)."""
    held = in_holdout(holdout_key(p.order_id, sku), config.holdout_share)
    return {"order_id": p.order_id, "customer_id": customer, "kind": REPURCHASE, "notice_key": sku,
            "payload": {"sku": sku, "qty": p.qty, "basis": p.basis, "days_per_unit": round(p.days_per_unit, 2),
                        "run_out_at": p.run_out_at.isoformat()},
            "due_at": p.remind_at(config.repurchase_lead_days), "created_at": now,
            "state": "holdout" if held else "pending"}


def plan_repurchase(uow: AbstractUnitOfWork, now: datetime, config: ReminderConfig) -> int:
    """Plan a reminder for every latest consumable purchase not yet run out long ago; returns how many."""
    found = predictions(uow, now, config)
    pending = uow.reminders.pending_repurchase()
    opted = uow.optouts.all_ids()
    uow.rollback()                 # read, then write in a fresh transaction (SQLite cannot upgrade a stale read)
    stale_before = now - timedelta(days=config.repurchase_grace_days)
    rows = [outbox_row(customer, sku, p, now, config) for (customer, sku), p in found.items()
            if p.run_out_at >= stale_before and customer not in opted]
    superseded = [row_id for row_id, customer, sku, order_id in pending
                  if (customer, sku) in found and found[(customer, sku)].order_id != order_id]
    uow.reminders.skip_ids(superseded, "reordered")
    planned = uow.reminders.insert_ignore(rows)
    uow.commit()
    return planned


def repurchase_verdict(uow: AbstractUnitOfWork, customer_id: str, order_id: str, payload: dict[str, Any],
                       notice_key: str, now: datetime, config: ReminderConfig) -> tuple[str, Any] | None:
    """('skip', reason) or ('defer', until) for a due repurchase row; None when the shared checks decide."""
    repo = uow.reminders
    order = uow.orders.get(order_id)
    sku = str(payload.get("sku") or notice_key)
    product = uow.products.get(sku)
    if order is None or product is None or not product.consumable_days:
        return "skip", "no_product"
    if uow.optouts.has(customer_id):
        return "skip", "opted_out"
    if uow.purchases.reordered_after(customer_id, sku, as_utc(order.created_at), order_id):
        return "skip", "reordered"
    run_out = datetime.fromisoformat(str(payload.get("run_out_at"))) if payload.get("run_out_at") else None
    if run_out is not None and now > run_out + timedelta(days=config.repurchase_grace_days):
        return "skip", "stale"
    if product.stock <= 0:
        return "skip", "out_of_stock"
    last = repo.last_proactive_sent(customer_id, now - timedelta(hours=config.cap_hours))
    if last is not None:  # the shared cap: the need stays, so wait until the window is over
        return "defer", as_utc(last) + timedelta(hours=config.cap_hours)
    return None
