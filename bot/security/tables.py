"""Tables of staff accounts and of payment notifications (schema: migration 0007)."""
from __future__ import annotations

from sqlalchemy import Column, DateTime, Float, ForeignKey, String

from bot.clock import utcnow
from bot.db.models import Base

ROLES = ("manager", "agent", "trainee")


class StaffUser(Base):
    """A manager, agent or trainee who logs into the staff pages; the password is stored as a bcrypt hash."""

    __tablename__ = "staff_users"

    username = Column(String(64), primary_key=True)
    password_hash = Column(String(100), nullable=False)
    role = Column(String(16), nullable=False)
    created_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)


class Payment(Base):
    """One accepted payment notification; `trade_no` is the provider's id (a repeat is a no-op)."""

    __tablename__ = "payments"

    trade_no = Column(String(64), primary_key=True)
    order_id = Column(String(32), ForeignKey("orders.id"), nullable=False, index=True)
    amount = Column(Float, nullable=False)
    provider = Column(String(32), nullable=False, default="")
    created_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
