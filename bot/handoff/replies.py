"""What agents sent, with the findings each reply had; the quality review (bot/handoff/quality.py) reads it."""
from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, Sequence

from bot.conversation.asks import is_question
from bot.conversation.events import shopper_events
from bot.db.uow import UnitOfWork
from bot.handoff.assist import Finding, shopper_text_of
from bot.handoff.tables import AgentReply
from bot.knowledge.unanswered import record_agent_answer


def record_reply(conversation_id: str, agent: str, text: str, findings: Sequence[Finding],
                 handoff_id: int | None = None, now: datetime | None = None) -> int:
    with UnitOfWork() as uow:
        row = AgentReply(conversation_id=conversation_id, agent=agent, text=text, handoff_id=handoff_id,
                         findings=[f.as_json() for f in findings], finding_count=len(findings),
                         created_at=now or datetime.now(UTC))
        uow.session.add(row)
        uow.commit()
        return int(row.id)


def unanswered_question(events: Sequence[dict[str, Any]]) -> str | None:
    """The shopper's latest message when it is a question no human has answered yet (the bot could not)."""
    said = shopper_events(events)
    if not said:
        return None
    last = said[-1]
    text = shopper_text_of(last)
    later = events[list(events).index(last) + 1:] if last in events else []
    answered = any(e.get("event") == "bot" and (e.get("metadata") or {}).get("agent") for e in later)
    return text if text and not text.startswith("/") and is_question(text) and not answered else None


def learn_from_agent(conversation_id: str, events: Sequence[dict[str, Any]], reply: str) -> bool:
    """An agent answered a question the bot could not: the question bank gets it as a draft entry."""
    question = unanswered_question(events)
    if question is None:
        return False
    record_agent_answer(conversation_id, question, reply)
    return True
