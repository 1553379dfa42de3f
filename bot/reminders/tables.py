"""Tables of the reminder outbox, opt-outs and script deliveries (schema: migrations 0004 and 0011)."""
from __future__ import annotations

from sqlalchemy import JSON, Column, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint

from bot.clock import utcnow
from bot.db.models import Base

# Kinds: automatic payment reminders, repeat-purchase reminders (追销) and proactive change notices.
PAYMENT_KINDS = ("first", "followup")
REPURCHASE = "repurchase"
REMINDER_KINDS = PAYMENT_KINDS + (REPURCHASE,)   # share the per-shopper cap and the opt-out
NOTICE_KINDS = ("stock_out", "delay")
KINDS = REMINDER_KINDS + NOTICE_KINDS
# States: pending -> claimed -> sent | skipped (or back to pending when deferred); holdout is final.
STATES = ("pending", "claimed", "sent", "skipped", "holdout")


class Reminder(Base):
    """One outbound message, planned once per (order, kind, notice key) and sent at most once."""

    __tablename__ = "reminders"
    __table_args__ = (
        UniqueConstraint("order_id", "kind", "notice_key", name="uq_reminders_order_kind_key"),
        Index("ix_reminders_state_due", "state", "due_at"),
        Index("ix_reminders_customer_state", "customer_id", "state"),
    )

    id = Column(Integer, primary_key=True, autoincrement=True)
    order_id = Column(String(32), ForeignKey("orders.id"), nullable=False, index=True)
    customer_id = Column(String(128), nullable=False)
    kind = Column(String(16), nullable=False)
    notice_key = Column(String(64), nullable=False, default="")   # '' for payment; sku (stock-out, repurchase)
    payload = Column(JSON, nullable=False, default=dict)           # e.g. {"sku": ...} or {"extra_days": 2}
    due_at = Column(DateTime(timezone=True), nullable=False)
    state = Column(String(16), nullable=False, default="pending")
    claimed_by = Column(String(100), nullable=True)
    claimed_until = Column(DateTime(timezone=True), nullable=True)
    attempts = Column(Integer, nullable=False, default=0)          # claims taken on this row
    failures = Column(Integer, nullable=False, default=0)          # failed sends
    last_error = Column(String(300), nullable=True)
    sent_at = Column(DateTime(timezone=True), nullable=True)
    skip_reason = Column(String(32), nullable=True)
    angle = Column(String(32), nullable=True)                      # the pay-reason kind the message used
    track_id = Column(String(64), nullable=True, index=True)
    seen_at = Column(DateTime(timezone=True), nullable=True)       # the shopper opened the chat after it arrived
    created_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)


class ReminderOptout(Base):
    """A shopper who said 不用提醒了: no reminder of any kind again (news about their own orders still goes out)."""

    __tablename__ = "reminder_optouts"

    customer_id = Column(String(128), primary_key=True)
    created_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)


class ScriptDelivery(Base):
    """Which script-library variant the NLG sent for a tracked message (e.g. track_id 'reminder:12')."""

    __tablename__ = "script_deliveries"

    id = Column(Integer, primary_key=True, autoincrement=True)
    track_id = Column(String(64), nullable=False, index=True)
    response = Column(String(100), nullable=False)
    variant = Column(String(64), nullable=False)
    text = Column(Text, nullable=False, default="")
    created_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
