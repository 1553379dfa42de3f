"""What agents sent, with the findings each reply had; the quality review (bot/handoff/quality.py) reads it."""
from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, Sequence

from bot.conversation.asks import is_question
from bot.conversation.events import intent_of, shopper_events
from bot.db.uow import UnitOfWork
from bot.handoff.assist import Finding, shopper_text_of
from bot.handoff.service import HUMAN_AGENT_KEY
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
    """The shopper's latest question (not the 转人工 itself) that no human has answered yet: the bot could not."""
    for index in range(len(events) - 1, -1, -1):
        event = events[index]
        if event.get("event") == "bot" and (event.get("metadata") or {}).get(HUMAN_AGENT_KEY):
            return None                                      # an agent spoke after every question before this
        if event not in shopper_events([event]) or intent_of(event) == "request_human":
            continue
        text = shopper_text_of(event)
        if text and not text.startswith("/") and is_question(text):
            return text
    return None


def learn_from_agent(conversation_id: str, events: Sequence[dict[str, Any]], reply: str) -> bool:
    """An agent answered a question the bot could not: the question bank gets it as a draft entry."""
    question = unanswered_question(events)
    if question is None:
        return False
    record_agent_answer(conversation_id, question, reply)
    return True
