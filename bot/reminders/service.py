"""Durable payment reminders (催付), repurchase reminders (追销, planned by bot/repurchase) and proactive change
notices: the service functions the bot calls.

The scheduler (`python -m bot.reminders`) sends what these functions plan; see bot/reminders/scheduler.py.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy.exc import IntegrityError

from bot.clock import as_utc
from bot.db.uow import UnitOfWork
from bot.reminders.config import ReminderConfig
from bot.reminders.repository import OptoutRepository, ReminderRepository
from bot.reminders.tables import Reminder

ACTIVE_HOURS = 24
MAX_EXTRA_DAYS = 60
MAX_DELAY_NOTICES = 3  # distinct delay notices one order can have (repeating a key plans nothing new)


class NoticeError(ValueError):
    """A notice that cannot be planned as asked (unknown order, bad numbers); the message says why."""


@dataclass(frozen=True)
class ActiveReminder:
    reminder_id: int
    order_id: str
    kind: str
    sent_at: datetime
    angle: str | None


@dataclass(frozen=True)
class ReminderView:
    id: int
    order_id: str
    customer_id: str
    kind: str
    notice_key: str
    state: str
    due_at: datetime
    sent_at: datetime | None
    skip_reason: str | None
    angle: str | None
    attempts: int
    failures: int
    last_error: str | None
    seen_at: datetime | None = None       # the shopper opened the chat after it arrived

    def as_json(self) -> dict[str, Any]:
        return {**self.__dict__, "due_at": self.due_at.isoformat(),
                "sent_at": self.sent_at.isoformat() if self.sent_at else None,
                "seen_at": self.seen_at.isoformat() if self.seen_at else None}


def _now(now: datetime | None) -> datetime:
    return now or datetime.now(UTC)


def reminder_view(row: Reminder) -> ReminderView:
    return ReminderView(row.id, row.order_id, row.customer_id, row.kind, row.notice_key, row.state,
                        as_utc(row.due_at), as_utc(row.sent_at), row.skip_reason, row.angle, row.attempts,
                        row.failures, row.last_error, as_utc(row.seen_at))


def active_reminder(customer_id: str, now: datetime | None = None) -> ActiveReminder | None:
    """The payment reminder sent to this shopper in the last 24 h whose order is still unpaid, if any."""
    with UnitOfWork() as uow:
        row = ReminderRepository(uow.session).latest_sent_payment(
            customer_id, _now(now) - timedelta(hours=ACTIVE_HOURS))
        if row is None:
            return None
        return ActiveReminder(row.id, row.order_id, row.kind, as_utc(row.sent_at), row.angle)


def opt_out(customer_id: str, now: datetime | None = None) -> int:
    """The shopper declined: no reminder of any kind again. Returns how many pending ones were skipped."""
    for _ in range(3):
        with UnitOfWork() as uow:
            OptoutRepository(uow.session).add(customer_id, _now(now))
            skipped = ReminderRepository(uow.session).skip_pending_reminders(customer_id, "opted_out")
            try:
                uow.commit()
            except IntegrityError:  # opted out concurrently; the row exists now
                continue
            return skipped
    return 0


def unseen_reminders(customer_id: str, reminder_ids: list[int]) -> set[int]:
    """Which of these messages pushed into the shopper's chat they have not seen yet (the widget's unread)."""
    with UnitOfWork() as uow:
        return ReminderRepository(uow.session).unseen_ids(customer_id, reminder_ids)


def mark_reminders_seen(customer_id: str, now: datetime | None = None) -> int:
    """The shopper opened the chat: everything pushed so far counts as seen. Returns how many were new."""
    with UnitOfWork() as uow:
        seen = ReminderRepository(uow.session).mark_seen(customer_id, _now(now))
        uow.commit()
        return seen


def is_opted_out(customer_id: str) -> bool:
    with UnitOfWork() as uow:
        return OptoutRepository(uow.session).has(customer_id)


def notify_stock_out(sku: str, now: datetime | None = None, config: ReminderConfig | None = None) -> int:
    """Plan a stock-out notice for every recent unpaid or paid-not-shipped order with `sku`; returns how many."""
    now = _now(now)
    window = (config or ReminderConfig.from_env()).notice_window_days
    with UnitOfWork() as uow:
        repo = ReminderRepository(uow.session)
        orders = repo.open_orders_with_sku(sku, now - timedelta(days=window))
        planned = repo.insert_ignore(
            {"order_id": order_id, "customer_id": customer_id, "kind": "stock_out", "notice_key": sku,
             "payload": {"sku": sku}, "due_at": now, "created_at": now}
            for order_id, customer_id in orders)
        uow.commit()
        return planned


def notify_delay(order_id: str, extra_days: int, key: str | None = None, now: datetime | None = None) -> int | None:
    """Plan a shipping-delay notice; the same `key` (default: days and UTC date) plans it once.

    Returns the notice id, or None when the order no longer needs one (cancelled or delivered).
    """
    if not isinstance(extra_days, int) or isinstance(extra_days, bool) or not 1 <= extra_days <= MAX_EXTRA_DAYS:
        raise NoticeError(f"extra_days must be an integer from 1 to {MAX_EXTRA_DAYS}")
    now = _now(now)
    notice_key = (key or f"+{extra_days}d/{now.date().isoformat()}")[:64]
    with UnitOfWork() as uow:
        order = uow.orders.get(order_id)
        if order is None:
            raise NoticeError(f"unknown order {order_id}")
        if order.status in ("cancelled", "delivered"):
            return None
        repo = ReminderRepository(uow.session)
        keys = {r.notice_key for r in repo.list(order_id=order_id) if r.kind == "delay"}
        if notice_key not in keys and len(keys) >= MAX_DELAY_NOTICES:
            raise NoticeError(f"at most {MAX_DELAY_NOTICES} delay notices per order")
        repo.insert_ignore([{"order_id": order_id, "customer_id": order.customer_id, "kind": "delay",
                             "notice_key": notice_key, "payload": {"extra_days": extra_days},
                             "due_at": now, "created_at": now}])
        uow.commit()
        row = next(r for r in repo.list(order_id=order_id) if r.kind == "delay" and r.notice_key == notice_key)
        return row.id


def list_reminders(customer_id: str | None = None, order_id: str | None = None) -> list[ReminderView]:
    with UnitOfWork() as uow:
        return [reminder_view(r) for r in ReminderRepository(uow.session).list(customer_id, order_id)]
