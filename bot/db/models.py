"""SQLAlchemy models (1.4, 2.0 style). Schema changes go through Alembic (bot/db/migrations)."""
from __future__ import annotations

from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import declarative_base, relationship

from bot.clock import utcnow

Base: Any = declarative_base()  # Any: SQLAlchemy 1.4's dynamic base class is opaque to type checkers


class Product(Base):
    __tablename__ = "products"

    sku = Column(String(64), primary_key=True)
    name = Column(String(200), nullable=False, index=True)
    category = Column(String(64), nullable=False, index=True)
    price = Column(Float, nullable=False)
    floor_price = Column(Float, nullable=False)
    stock = Column(Integer, nullable=False, default=0)
    attributes = Column(JSON, nullable=False, default=dict)
    scenes = Column(JSON, nullable=False, default=list)
    aliases = Column(JSON, nullable=False, default=list)
    description = Column(Text, nullable=False, default="")
    image = Column(String(300), nullable=False, default="")
    consumable_days = Column(Integer, nullable=True)
    restock_date = Column(Date, nullable=True)
    updated_at = Column(DateTime(timezone=True), nullable=False, default=utcnow, onupdate=utcnow)


class ProductRelation(Base):
    """A curated link between two products (substitute, complementary or latent) with its reason."""

    __tablename__ = "product_relations"
    __table_args__ = (UniqueConstraint("from_sku", "to_sku", "type", name="uq_relation"),)

    id = Column(Integer, primary_key=True, autoincrement=True)
    from_sku = Column(String(64), ForeignKey("products.sku"), nullable=False, index=True)
    to_sku = Column(String(64), ForeignKey("products.sku"), nullable=False)
    type = Column(String(16), nullable=False)
    reason = Column(Text, nullable=False, default="")


class Customer(Base):
    """A shopper; the id is the Rasa conversation (sender) id of their chat."""

    __tablename__ = "customers"

    id = Column(String(128), primary_key=True)
    name = Column(String(100), nullable=True)
    created_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)


class Order(Base):
    __tablename__ = "orders"
    __table_args__ = (Index("ix_orders_status_created", "status", "created_at"),)

    id = Column(String(32), primary_key=True)
    customer_id = Column(String(128), ForeignKey("customers.id"), nullable=False, index=True)
    agent_id = Column(String(64), nullable=False, default="")
    status = Column(String(16), nullable=False, default="unpaid")
    total = Column(Float, nullable=False, default=0.0)
    created_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    paid_at = Column(DateTime(timezone=True), nullable=True)
    cancelled_at = Column(DateTime(timezone=True), nullable=True)
    shipped_at = Column(DateTime(timezone=True), nullable=True)
    tracking_note = Column(String(200), nullable=True)

    lines = relationship("OrderLine", back_populates="order", cascade="all, delete-orphan", lazy="selectin")


class OrderLine(Base):
    __tablename__ = "order_lines"

    id = Column(Integer, primary_key=True, autoincrement=True)
    order_id = Column(String(32), ForeignKey("orders.id"), nullable=False, index=True)
    sku = Column(String(64), ForeignKey("products.sku"), nullable=False, index=True)
    qty = Column(Integer, nullable=False, default=1)
    unit_price = Column(Float, nullable=False)

    order = relationship("Order", back_populates="lines")
    product = relationship("Product", lazy="joined")


class Handoff(Base):
    """A conversation handed to a human; the bot stays silent until it is released."""

    __tablename__ = "handoffs"

    id = Column(Integer, primary_key=True, autoincrement=True)
    conversation_id = Column(String(128), nullable=False, index=True)
    reason = Column(String(32), nullable=False)
    summary = Column(JSON, nullable=False, default=dict)
    created_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    released_at = Column(DateTime(timezone=True), nullable=True)
    # the live workspace (bot/handoff/queue.py): waiting -> claimed -> released; back to waiting when the agent
    # goes offline. mode "queue": agents online, the bot is paused; "message": none online, the shopper left a
    # message and the bot keeps answering until an agent claims it.
    status = Column(String(16), nullable=False, default="waiting", server_default="waiting", index=True)
    mode = Column(String(16), nullable=False, default="queue", server_default="queue")
    urgent = Column(Boolean, nullable=False, default=False, server_default=false())
    agent = Column(String(64), nullable=True, index=True)
    claimed_at = Column(DateTime(timezone=True), nullable=True)
    overdue_at = Column(DateTime(timezone=True), nullable=True)   # nobody claimed in time: flagged for the manager


class ConversationMetric(Base):
    """Per-conversation service measurements (first response time, nudges sent)."""

    __tablename__ = "conversation_metrics"
    __table_args__ = (Index("ix_conversation_metrics_first_message_at", "first_message_at"),)

    conversation_id = Column(String(128), primary_key=True)
    first_message_at = Column(DateTime(timezone=True), nullable=True)
    first_response_seconds = Column(Float, nullable=True)
    nudges_sent = Column(Integer, nullable=False, default=0)
    holding_messages = Column(Integer, nullable=False, default=0)


class UnansweredQuestion(Base):
    """A shopper message the bot could not answer confidently, kept for managers to turn into bank entries."""

    __tablename__ = "unanswered_questions"

    id = Column(Integer, primary_key=True, autoincrement=True)
    conversation_id = Column(String(128), nullable=False, index=True)
    text = Column(Text, nullable=False)
    reason = Column(String(16), nullable=False)          # fallback | low_confidence | rephrased | handoff | agent
    best_entry = Column(String(64), nullable=True)
    agent_reply = Column(Text, nullable=True)            # what a human agent answered, offered as a draft
    context = Column(JSON, nullable=False, default=dict)  # product under discussion, previous shopper messages
    created_at = Column(DateTime(timezone=True), nullable=False, default=utcnow, index=True)
    answered_by = Column(String(64), nullable=True, index=True)   # the bank entry written from it
