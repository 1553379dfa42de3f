"""Tables of mined co-purchases and suggestion events (schema: migration 0002)."""
from __future__ import annotations

from sqlalchemy import Column, DateTime, Float, Index, Integer, String

from bot.clock import utcnow
from bot.db.models import Base

EVENTS = ("shown", "accepted", "declined")


class CoPurchase(Base):
    """A directional rule A -> B mined from order history ("bought A, also bought B")."""

    __tablename__ = "co_purchases"

    sku_a = Column(String(64), primary_key=True)
    sku_b = Column(String(64), primary_key=True)
    pair_count = Column(Integer, nullable=False, default=0)    # orders holding both A and B
    support = Column(Float, nullable=False)                    # pair_count / orders
    confidence = Column(Float, nullable=False)                 # P(B | A)
    lift = Column(Float, nullable=False)                       # P(B | A) / P(B)
    computed_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)


class SuggestionEvent(Base):
    """A suggestion shown to, accepted by or declined by the shopper of one conversation."""

    __tablename__ = "suggestion_events"
    __table_args__ = (
        Index("ix_suggestion_events_conversation_event", "conversation_id", "event"),
        Index("ix_suggestion_events_event_kind", "event", "kind"),
    )

    id = Column(Integer, primary_key=True, autoincrement=True)
    conversation_id = Column(String(128), nullable=False)
    sku = Column(String(64), nullable=False)
    kind = Column(String(16), nullable=False)
    event = Column(String(16), nullable=False)
    created_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
