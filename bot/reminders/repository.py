"""Queries of the reminder outbox. Every state change is one conditional UPDATE (no read-modify-write)."""
from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, Iterable, Sequence

from sqlalchemy import and_, exists, func, insert, or_, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.db.models import Order, OrderLine
from bot.reminders.tables import (
    KINDS,
    NOTICE_KINDS,
    PAYMENT_KINDS,
    REMINDER_KINDS,
    REPURCHASE,
    Reminder,
    ReminderOptout,
    ScriptDelivery,
)

R = Reminder.__table__
UNIQUE_KEY = ["order_id", "kind", "notice_key"]


class ReminderRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    @property
    def dialect(self) -> str:
        return self.session.get_bind().dialect.name

    # planning -------------------------------------------------------------------------------------------
    def insert_ignore(self, rows: Iterable[dict[str, Any]]) -> int:
        """Insert rows whose (order_id, kind, notice_key) is new; returns how many were inserted."""
        rows = [{"notice_key": "", "payload": {}, "state": "pending", **row} for row in rows]
        if not rows:
            return 0
        if self.dialect in ("sqlite", "postgresql"):
            dialect_insert = sqlite_insert if self.dialect == "sqlite" else postgresql_insert
            inserted = 0
            for row in rows:  # one statement per row: rowcount is exact on both dialects
                stmt = dialect_insert(R).values(**row).on_conflict_do_nothing(index_elements=UNIQUE_KEY)
                inserted += self.session.execute(stmt).rowcount or 0
            return inserted
        inserted = 0
        for row in rows:
            try:
                with self.session.begin_nested():
                    self.session.execute(insert(R).values(**row))
                inserted += 1
            except IntegrityError:
                pass
        return inserted

    def unplanned_orders(self, since: datetime) -> Sequence[tuple[str, str, datetime]]:
        """Unpaid orders created since `since` that have no 'first' reminder row yet."""
        planned = exists().where(R.c.order_id == Order.id, R.c.kind == "first")
        stmt = (select(Order.id, Order.customer_id, Order.created_at)
                .where(Order.status == "unpaid", Order.created_at >= since, ~planned)
                .order_by(Order.created_at))
        return self.session.execute(stmt).all()

    def open_orders_with_sku(self, sku: str, since: datetime) -> Sequence[tuple[str, str]]:
        """(order id, customer id) of unpaid or paid-not-shipped orders since `since` that contain `sku`."""
        stmt = (select(Order.id, Order.customer_id).distinct()
                .join(OrderLine, OrderLine.order_id == Order.id)
                .where(OrderLine.sku == sku, Order.status.in_(("unpaid", "paid")), Order.shipped_at.is_(None),
                       Order.created_at >= since))
        return self.session.execute(stmt).all()

    # claiming -------------------------------------------------------------------------------------------
    def db_now(self) -> datetime:
        """The database's clock (UTC): leases are compared against it, never against a worker's own clock."""
        if self.dialect == "postgresql":
            return self.session.execute(select(func.now())).scalar_one()
        stamp = self.session.execute(select(func.strftime("%Y-%m-%d %H:%M:%f", "now"))).scalar_one()
        return datetime.fromisoformat(stamp).replace(tzinfo=UTC)

    def due(self, now: datetime, limit: int, lease_now: datetime | None = None) -> Sequence[tuple[int, str]]:
        """(id, customer id) of rows due now, or claimed by a worker whose lease ran out (at `lease_now`)."""
        lease_now = lease_now or now
        stmt = (select(R.c.id, R.c.customer_id)
                .where(or_(and_(R.c.state == "pending", R.c.due_at <= now),
                           and_(R.c.state == "claimed", R.c.claimed_until < lease_now)))
                .order_by(R.c.due_at, R.c.id).limit(limit))
        return self.session.execute(stmt).all()

    def claim(self, reminder_id: int, customer_id: str, worker: str, now: datetime, until: datetime,
              lease_now: datetime | None = None) -> bool:
        """Take the row for this worker; True only for the one worker whose UPDATE matched.

        Also serialises each shopper's outbound messages: no claim while another row of the same shopper
        is claimed under a live lease (so caps cannot be raced by two workers). Leases are read at `lease_now`.
        """
        lease_now = lease_now or now
        if self.dialect == "postgresql":
            # Serialise claims per shopper until commit, so the NOT EXISTS below (a fresh snapshot per
            # statement under READ COMMITTED) sees a claim committed by a concurrent transaction.
            # SQLite needs nothing: it serialises all writers.
            self.session.execute(select(func.pg_advisory_xact_lock(func.hashtextextended(customer_id, 0))))
        other = R.alias("other")
        busy = exists().where(other.c.customer_id == customer_id, other.c.id != reminder_id,
                              other.c.state == "claimed", other.c.claimed_until >= lease_now)
        stmt = (update(R)
                .where(R.c.id == reminder_id,
                       or_(and_(R.c.state == "pending", R.c.due_at <= now),
                           and_(R.c.state == "claimed", R.c.claimed_until < lease_now)),
                       ~busy)
                .values(state="claimed", claimed_by=worker, claimed_until=until, attempts=R.c.attempts + 1))
        return self.session.execute(stmt).rowcount == 1

    def _mine(self, reminder_id: int, worker: str):
        return update(R).where(R.c.id == reminder_id, R.c.state == "claimed", R.c.claimed_by == worker)

    def mark_sent(self, reminder_id: int, worker: str, now: datetime) -> bool:
        stmt = self._mine(reminder_id, worker).values(
            state="sent", sent_at=now, claimed_until=None, track_id=f"reminder:{reminder_id}")
        return self.session.execute(stmt).rowcount == 1

    def skip(self, reminder_id: int, worker: str, reason: str) -> bool:
        stmt = self._mine(reminder_id, worker).values(state="skipped", skip_reason=reason, claimed_until=None)
        return self.session.execute(stmt).rowcount == 1

    def defer(self, reminder_id: int, worker: str, due_at: datetime, error: str | None = None) -> bool:
        """Back to pending at `due_at`; with `error`, also counts a failed send."""
        values: dict[str, Any] = {"state": "pending", "due_at": due_at, "claimed_by": None, "claimed_until": None}
        if error is not None:
            values.update(failures=R.c.failures + 1, last_error=error[:300])
        return self.session.execute(self._mine(reminder_id, worker).values(**values)).rowcount == 1

    # reading --------------------------------------------------------------------------------------------
    def get(self, reminder_id: int) -> Reminder | None:
        return self.session.get(Reminder, reminder_id)

    def for_order(self, order_id: str, kind: str) -> Reminder | None:
        stmt = select(Reminder).where(Reminder.order_id == order_id, Reminder.kind == kind,
                                      Reminder.notice_key == "")
        return self.session.scalars(stmt).first()

    def reminder_sent_since(self, customer_id: str, since: datetime, except_order: str | None = None) -> bool:
        """Was a payment or repurchase reminder sent to this shopper since `since` (other than for one order)?

        The per-shopper cap is shared by every kind of reminder: a 催付 today means no 追销 today, and back.
        """
        stmt = select(R.c.id).where(R.c.customer_id == customer_id, R.c.kind.in_(REMINDER_KINDS),
                                    R.c.state == "sent", R.c.sent_at >= since)
        if except_order:
            stmt = stmt.where(R.c.order_id != except_order)
        return self.session.execute(stmt.limit(1)).first() is not None

    def last_proactive_sent(self, customer_id: str, since: datetime) -> datetime | None:
        """When the latest proactive message of any kind (reminder or notice) reached the shopper after `since`."""
        stmt = select(func.max(R.c.sent_at)).where(R.c.customer_id == customer_id, R.c.kind.in_(KINDS),
                                                   R.c.state == "sent", R.c.sent_at > since)
        return self.session.execute(stmt).scalar_one_or_none()

    def pending_repurchase(self) -> Sequence[tuple[int, str, str, str]]:
        """(id, customer id, sku, order id) of every repurchase reminder still waiting to be sent."""
        stmt = select(R.c.id, R.c.customer_id, R.c.notice_key, R.c.order_id).where(
            R.c.kind == REPURCHASE, R.c.state == "pending")
        return self.session.execute(stmt).all()

    def skip_ids(self, ids: Sequence[int], reason: str) -> int:
        """Skip pending rows (not ones a worker holds: the worker checks them again before sending)."""
        if not ids:
            return 0
        stmt = (update(R).where(R.c.id.in_(list(ids)), R.c.state == "pending")
                .values(state="skipped", skip_reason=reason))
        return self.session.execute(stmt).rowcount or 0

    def notices_sent_since(self, since: datetime, customer_id: str | None = None, order_id: str | None = None
                           ) -> int:
        """Change notices sent since `since` to one shopper or for one order (the caps on notices)."""
        stmt = select(func.count()).select_from(R).where(R.c.kind.in_(NOTICE_KINDS), R.c.state == "sent",
                                                         R.c.sent_at >= since)
        if customer_id:
            stmt = stmt.where(R.c.customer_id == customer_id)
        if order_id:
            stmt = stmt.where(R.c.order_id == order_id)
        return self.session.execute(stmt).scalar_one()

    def latest_sent_payment(self, customer_id: str, since: datetime) -> Reminder | None:
        """The latest payment reminder sent to the shopper since `since` whose order is still unpaid."""
        stmt = (select(Reminder).join(Order, Order.id == Reminder.order_id)
                .where(Reminder.customer_id == customer_id, Reminder.kind.in_(PAYMENT_KINDS),
                       Reminder.state == "sent", Reminder.sent_at >= since, Order.status == "unpaid")
                .order_by(Reminder.sent_at.desc(), Reminder.id.desc()))
        return self.session.scalars(stmt).first()

    def list(self, customer_id: str | None = None, order_id: str | None = None, limit: int = 200
             ) -> Sequence[Reminder]:
        stmt = select(Reminder).order_by(Reminder.id.desc()).limit(limit)
        if customer_id:
            stmt = stmt.where(Reminder.customer_id == customer_id)
        if order_id:
            stmt = stmt.where(Reminder.order_id == order_id)
        return self.session.scalars(stmt).all()

    def skip_pending_reminders(self, customer_id: str, reason: str) -> int:
        """Skip the shopper's pending payment and repurchase reminders (an opt-out)."""
        stmt = (update(R).where(R.c.customer_id == customer_id, R.c.kind.in_(REMINDER_KINDS),
                                R.c.state == "pending")
                .values(state="skipped", skip_reason=reason))
        return self.session.execute(stmt).rowcount or 0

    def mark_seen(self, customer_id: str, now: datetime) -> int:
        """The shopper opened the chat: every proactive message sent to them so far counts as seen."""
        stmt = (update(R).where(R.c.customer_id == customer_id, R.c.state == "sent", R.c.seen_at.is_(None))
                .values(seen_at=now))
        return self.session.execute(stmt).rowcount or 0

    def unseen_ids(self, customer_id: str, ids: Iterable[int]) -> set[int]:
        """Which of these sent messages of the shopper were not seen yet."""
        wanted = list(set(ids))
        if not wanted:
            return set()
        stmt = select(R.c.id).where(R.c.id.in_(wanted), R.c.customer_id == customer_id, R.c.state == "sent",
                                    R.c.seen_at.is_(None))
        return {row[0] for row in self.session.execute(stmt)}

    def set_angle(self, reminder_id: int, angle: str) -> None:
        self.session.execute(update(R).where(R.c.id == reminder_id)
                             .values(angle=angle, track_id=f"reminder:{reminder_id}"))

    # measuring ------------------------------------------------------------------------------------------
    def with_orders(self, kinds: Sequence[str], states: Sequence[str]) -> Sequence[tuple[Reminder, Order]]:
        stmt = (select(Reminder, Order).join(Order, Order.id == Reminder.order_id)
                .where(Reminder.kind.in_(kinds), Reminder.state.in_(states)).order_by(Reminder.id))
        return self.session.execute(stmt).all()

    def state_counts(self) -> Sequence[tuple[str, str, str | None, int]]:
        stmt = (select(R.c.kind, R.c.state, R.c.skip_reason, func.count())
                .group_by(R.c.kind, R.c.state, R.c.skip_reason).order_by(R.c.kind, R.c.state))
        return self.session.execute(stmt).all()


class OptoutRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, customer_id: str, now: datetime) -> None:
        if self.session.get(ReminderOptout, customer_id) is None:
            self.session.add(ReminderOptout(customer_id=customer_id, created_at=now))

    def has(self, customer_id: str) -> bool:
        return self.session.get(ReminderOptout, customer_id) is not None

    def all_ids(self) -> set[str]:
        return set(self.session.scalars(select(ReminderOptout.customer_id)))


class DeliveryRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, track_id: str, response: str, variant: str, text: str, now: datetime) -> None:
        self.session.add(ScriptDelivery(track_id=track_id, response=response, variant=variant, text=text,
                                        created_at=now))

    def first_by_track(self, track_ids: Iterable[str]) -> dict[str, ScriptDelivery]:
        """The first delivery recorded for each track id (the message the shopper saw first)."""
        ids = list(set(track_ids))
        if not ids:
            return {}
        stmt = select(ScriptDelivery).where(ScriptDelivery.track_id.in_(ids)).order_by(ScriptDelivery.id)
        found: dict[str, ScriptDelivery] = {}
        for delivery in self.session.scalars(stmt):
            found.setdefault(delivery.track_id, delivery)
        return found
