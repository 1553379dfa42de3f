"""The durable reminder scheduler: plan, claim, check, send, mark. Each step runs its own short transactions.

Kinds: payment reminders (first, followup), repurchase reminders (bot/repurchase/planning.py) and change
notices. Reminders of both kinds share the per-shopper cap and the opt-out, and none goes out during quiet
hours, an open handoff, or within REMINDER_TROUBLE_HOURS of a complaint or refund request.

Exactly once: a row is claimed by one conditional UPDATE (one winner); a worker that dies leaves a lease that
expires, and whoever takes a row that was claimed before first asks Rasa whether the event carrying this
reminder id is already in the shopper's tracker (sent but not marked) before sending again. Leases are read on
the database's clock, so a worker whose clock runs ahead cannot take a live lease. A send that timed out after
Rasa took it is found the same way, and the action says nothing for a reminder id it already answered. A row
whose sends keep failing (Rasa down) is never dropped: it waits, backing off up to an hour, with its failures
and last error on the manager's reminder page.
"""
from __future__ import annotations

import logging
import os
import socket
import uuid
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Callable

from sqlalchemy.orm import sessionmaker

from bot.clock import as_utc, utcnow
from bot.db.models import Order
from bot.db.uow import UnitOfWork
from bot.reminders.config import ReminderConfig, in_holdout, quiet_until
from bot.reminders.repository import ReminderRepository
from bot.reminders.sender import INTENTS, REMINDER_ENTITY, Sender
from bot.reminders.tables import NOTICE_KINDS, PAYMENT_KINDS, REMINDER_KINDS, REPURCHASE
from bot.repurchase.planning import plan_repurchase, repurchase_verdict

log = logging.getLogger("store.reminders")
CRASH_POINTS = ("after_claim", "after_send")
MAX_BACKOFF_SECONDS = 3600
KIND_INTENTS = {"first": "payment", "followup": "payment", REPURCHASE: REPURCHASE}  # notices: "notice"


def no_crash(point: str) -> None:
    """The production crash hook: nothing. Fault-injection tests pass their own (tests/support/crashing.py)."""


@dataclass(frozen=True)
class Snapshot:
    id: int
    order_id: str
    customer_id: str
    kind: str
    notice_key: str
    attempts: int
    failures: int
    payload: dict


class Scheduler:
    def __init__(self, config: ReminderConfig, sender: Sender, clock: Callable[[], datetime] = utcnow,
                 worker_id: str | None = None, crash: Callable[[str], None] | None = None,
                 session_factory: sessionmaker | None = None,
                 lease_clock: Callable[[], datetime] | None = None) -> None:
        self.config, self.sender, self.clock = config, sender, clock
        self.lease_clock = lease_clock or self.database_clock
        self.worker = worker_id or f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"
        self.crash = crash or no_crash
        self.session_factory = session_factory
        self.stopping = False
        self.repurchase_planned_at: datetime | None = None

    def _uow(self) -> UnitOfWork:
        return UnitOfWork(self.session_factory)

    def database_clock(self) -> datetime:
        with self._uow() as uow:
            return uow.reminders.db_now()

    # 1. plan --------------------------------------------------------------------------------------------
    def plan(self, now: datetime) -> int:
        """Payment reminders, then (every repurchase_plan_seconds) repurchase reminders; returns rows planned."""
        planned = self.plan_payment(now)
        last = self.repurchase_planned_at
        if last is None or (now - last).total_seconds() >= self.config.repurchase_plan_seconds:
            self.repurchase_planned_at = now
            with self._uow() as uow:
                planned += plan_repurchase(uow, now, self.config)
        return planned

    def plan_payment(self, now: datetime) -> int:
        """A 'first' row for every recent unpaid order without one (holdout orders get state 'holdout')."""
        with self._uow() as uow:  # read, then write in a fresh transaction (SQLite cannot upgrade a stale read)
            unplanned = uow.reminders.unplanned_orders(
                now - timedelta(hours=self.config.plan_window_hours))
        if not unplanned:
            return 0
        rows = [
            {"order_id": order_id, "customer_id": customer_id, "kind": "first", "created_at": now,
             "due_at": as_utc(created_at) + timedelta(seconds=self.config.delay_seconds),
             "state": "holdout" if in_holdout(order_id, self.config.holdout_share) else "pending"}
            for order_id, customer_id, created_at in unplanned
        ]
        with self._uow() as uow:
            planned = uow.reminders.insert_ignore(rows)
            uow.commit()
        return planned

    # 2. claim -------------------------------------------------------------------------------------------
    def claim_next(self, now: datetime) -> int | None:
        """Claim one due row (the lease starts right before the work on it); None when nothing is free."""
        lease_now = self.lease_clock()
        with self._uow() as uow:
            candidates = uow.reminders.due(now, self.config.batch_size, lease_now)
        for reminder_id, customer_id in candidates:
            lease_now = self.lease_clock()
            with self._uow() as uow:
                won = uow.reminders.claim(
                    reminder_id, customer_id, self.worker, now,
                    lease_now + timedelta(seconds=self.config.lease_seconds), lease_now)
                uow.commit()
            if won:
                return reminder_id
        return None

    async def step(self) -> Counter:
        """Plan, then claim and process due rows one at a time (at most batch_size per step)."""
        outcomes: Counter = Counter()
        outcomes["planned"] = self.plan(self.clock())
        for _ in range(self.config.batch_size):
            if self.stopping:
                break
            reminder_id = self.claim_next(self.clock())
            if reminder_id is None:
                break
            self.crash("after_claim")
            outcomes[await self.process(reminder_id)] += 1
        return outcomes

    # 3-6. check, send, mark -----------------------------------------------------------------------------
    def _snapshot(self, reminder_id: int) -> Snapshot | None:
        with self._uow() as uow:
            row = uow.reminders.get(reminder_id)
            if row is None:
                return None
            return Snapshot(row.id, row.order_id, row.customer_id, row.kind, row.notice_key, row.attempts,
                            row.failures, dict(row.payload or {}))

    def _finish(self, reminder_id: int, action: str, **kwargs) -> bool:
        with self._uow() as uow:
            repo = uow.reminders
            done = getattr(repo, action)(reminder_id, self.worker, **kwargs)
            uow.commit()
        if not done:
            log.warning("reminder %s: lost the claim before %s", reminder_id, action)
        return done

    def _defer(self, reminder_id: int, until: datetime, error: str | None = None) -> str:
        self._finish(reminder_id, "defer", due_at=until, error=error)
        return "failed" if error else "deferred"

    def _failed(self, snap: Snapshot, now: datetime, exc: Exception) -> str:
        error = f"{type(exc).__name__}: {exc}"
        log.warning("reminder %s for %s (failure %d): %s", snap.id, snap.customer_id, snap.failures + 1, error)
        backoff = min(self.config.retry_seconds * 2 ** min(snap.failures, 16), MAX_BACKOFF_SECONDS)
        return self._defer(snap.id, now + timedelta(seconds=backoff), error)

    def _mark_sent(self, snap: Snapshot, now: datetime) -> bool:
        with self._uow() as uow:
            repo = uow.reminders
            done = repo.mark_sent(snap.id, self.worker, now)
            if done and snap.kind == "first" and self.config.followup_seconds > 0:
                repo.insert_ignore([{
                    "order_id": snap.order_id, "customer_id": snap.customer_id, "kind": "followup",
                    "created_at": now, "due_at": now + timedelta(seconds=self.config.followup_seconds)}])
            uow.commit()
        if not done:
            log.warning("reminder %s: sent, but another worker holds the row now (it will find the event)", snap.id)
        return done

    def check(self, snap: Snapshot, now: datetime) -> tuple[str, object]:
        """('skip', reason) | ('defer', until) | ('send', first_sent_at or None): the database-side rules."""
        cfg = self.config
        with self._uow() as uow:
            order: Order | None = uow.orders.get(snap.order_id)
            repo = uow.reminders
            if order is None:
                return "skip", "no_order"
            first_sent = None
            if snap.kind in PAYMENT_KINDS:
                if order.status != "unpaid":
                    return "skip", order.status
                if now - as_utc(order.created_at) > timedelta(hours=cfg.stale_hours):
                    return "skip", "stale"
                if any(line.product.stock <= 0 for line in order.lines):
                    return "skip", "out_of_stock"  # the change notice speaks instead
                if uow.optouts.has(snap.customer_id):
                    return "skip", "opted_out"
                except_order = snap.order_id if snap.kind == "followup" else None
                if repo.reminder_sent_since(snap.customer_id, now - timedelta(hours=cfg.cap_hours), except_order):
                    return "skip", "cap"
                if snap.kind == "followup":
                    first = repo.for_order(snap.order_id, "first")
                    first_sent = as_utc(first.sent_at) if first is not None else None
            elif snap.kind == "stock_out":
                if order.status == "cancelled":
                    return "skip", "cancelled"
                if order.status in ("shipped", "delivered") or order.shipped_at is not None:
                    return "skip", "shipped"
                product = uow.products.get(str(snap.payload.get("sku") or snap.notice_key))
                if product is not None and product.stock > 0:
                    return "skip", "restocked"
            elif snap.kind == "delay" and order.status in ("cancelled", "delivered"):
                return "skip", order.status
            elif snap.kind == REPURCHASE:
                verdict = repurchase_verdict(uow, snap.customer_id, snap.order_id, snap.payload, snap.notice_key,
                                             now, cfg)
                if verdict is not None:
                    return verdict
            if snap.kind in NOTICE_KINDS and self._notice_capped(repo, snap, now):
                return "skip", "cap"
            until = quiet_until(now, cfg.quiet_hours, cfg.timezone)
            if until is not None:
                return "defer", until
            if uow.handoffs.open_for(snap.customer_id):
                return "defer", now + timedelta(seconds=cfg.handoff_defer_seconds)
            return "send", first_sent

    def _notice_capped(self, repo: ReminderRepository, snap: Snapshot, now: datetime) -> bool:
        """Change notices, like reminders, are capped per order and per shopper in a rolling window."""
        since = now - timedelta(hours=self.config.cap_hours)
        return (repo.notices_sent_since(since, order_id=snap.order_id) >= self.config.notice_cap_per_order
                or repo.notices_sent_since(since, customer_id=snap.customer_id) >= self.config.notice_cap_per_shopper)

    async def process(self, reminder_id: int) -> str:
        """Work on a row this worker holds; returns sent | recovered | skipped | deferred | failed."""
        snap = self._snapshot(reminder_id)
        if snap is None:
            return "skipped"
        now = self.clock()
        try:
            # A row claimed before may have been sent by a worker that died before marking it.
            if snap.attempts > 1 and await self.sender.already_delivered(snap.customer_id, snap.id):
                self._mark_sent(snap, now)
                return "recovered"
        except Exception as exc:  # Rasa unreachable: try again later
            return self._failed(snap, now, exc)
        verdict, detail = self.check(snap, now)
        if verdict == "skip":
            self._finish(snap.id, "skip", reason=str(detail))
            return "skipped"
        if verdict == "defer":
            return self._defer(snap.id, detail)  # type: ignore[arg-type]
        try:
            typed_at = await self.sender.last_user_message_at(snap.customer_id)
        except Exception as exc:
            return self._failed(snap, now, exc)
        if typed_at is not None:
            if snap.kind == "followup" and isinstance(detail, datetime) and typed_at > detail:
                self._finish(snap.id, "skip", reason="replied")  # they talked after the first reminder
                return "skipped"
            quiet_from = typed_at + timedelta(seconds=self.config.busy_seconds)
            if quiet_from > now:
                return self._defer(snap.id, quiet_from)
        if snap.kind in REMINDER_KINDS:  # nothing to sell while a complaint or refund is going on
            try:
                trouble_at = await self.sender.last_trouble_at(snap.customer_id)
            except Exception as exc:
                return self._failed(snap, now, exc)
            calm_from = trouble_at + timedelta(hours=self.config.trouble_hours) if trouble_at else None
            if calm_from is not None and calm_from > now:
                return self._defer(snap.id, calm_from)
        intent = INTENTS[KIND_INTENTS.get(snap.kind, "notice")]
        try:
            await self.sender.send(snap.customer_id, intent, {REMINDER_ENTITY: str(snap.id)})
        except Exception as exc:
            return self._failed(snap, self.clock(), exc)
        self.crash("after_send")
        self._mark_sent(snap, self.clock())
        log.info("reminder %s (%s, order %s) sent to %s", snap.id, snap.kind, snap.order_id, snap.customer_id)
        return "sent"
