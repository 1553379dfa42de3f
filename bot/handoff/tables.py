"""Tables of the agent workspace: who is online, and every reply an agent sent with its rule findings
(schema: migration 0009; the handoff columns are on `handoffs` in bot/db/models.py)."""
from __future__ import annotations

from sqlalchemy import JSON, Column, DateTime, Index, Integer, String, Text

from bot.clock import utcnow
from bot.db.models import Base


class AgentPresence(Base):
    """An agent's last sign of life (the workspace polls); older than the store's limit means offline."""

    __tablename__ = "agent_presence"

    username = Column(String(64), primary_key=True)
    name = Column(String(64), nullable=False)
    last_seen = Column(DateTime(timezone=True), nullable=False, default=utcnow)


class AgentReply(Base):
    """One message an agent sent to a shopper, with the service-rule findings it had when sent."""

    __tablename__ = "agent_replies"
    __table_args__ = (Index("ix_agent_replies_agent_created", "agent", "created_at"),)

    id = Column(Integer, primary_key=True, autoincrement=True)
    handoff_id = Column(Integer, nullable=True, index=True)
    conversation_id = Column(String(128), nullable=False, index=True)
    agent = Column(String(64), nullable=False)
    text = Column(Text, nullable=False)
    findings = Column(JSON, nullable=False, default=list)     # [{"rule", "reason", "better", "span"}]
    finding_count = Column(Integer, nullable=False, default=0)
    created_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
