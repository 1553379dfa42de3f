"""Questions the bot could not answer: recorded per conversation, grouped by similarity, listed for managers."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from types import SimpleNamespace
from typing import Any, Iterable

from bot.db.models import UnansweredQuestion
from bot.db.uow import AbstractUnitOfWork
from bot.knowledge.text import features, similarity

REASONS = ("fallback", "low_confidence", "rephrased", "handoff", "agent")
SAME_QUESTION = 0.35    # feature overlap from which two messages count as the same question
MAX_EXAMPLES = 8


@dataclass(frozen=True)
class Group:
    text: str                  # the most frequent wording
    count: int
    last_seen: datetime
    examples: tuple[str, ...]  # distinct wordings, most frequent first
    ids: tuple[int, ...]
    answered_by: str | None
    agent_replies: tuple[str, ...]

    def as_json(self) -> dict[str, Any]:
        return {"text": self.text, "count": self.count, "last_seen": self.last_seen.isoformat(),
                "examples": list(self.examples), "ids": list(self.ids), "answered_by": self.answered_by,
                "status": "answered" if self.answered_by else "open", "agent_replies": list(self.agent_replies)}


def record(uow: AbstractUnitOfWork, conversation_id: str, text: str, reason: str,
           best_entry: str | None = None, context: dict[str, Any] | None = None, agent_reply: str | None = None) -> int:
    """Store one unanswered message; returns its id."""
    if reason not in REASONS:
        raise ValueError(f"unknown reason {reason}")
    row = UnansweredQuestion(conversation_id=conversation_id, text=text.strip()[:500], reason=reason,
                             best_entry=best_entry, agent_reply=agent_reply, context=context or {},
                             created_at=datetime.now(UTC))
    uow.unanswered.add(row)
    uow.commit()
    return row.id


def record_agent_answer(uow: AbstractUnitOfWork, conversation_id: str, question: str, reply: str) -> int:
    """A human agent answered a shopper in a handed-over chat: offer question and reply as a draft entry."""
    return record(uow, conversation_id, question, "agent", agent_reply=reply.strip()[:500])


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _cluster(rows: Iterable[UnansweredQuestion]) -> list[list[UnansweredQuestion]]:
    """Greedy single pass: a message joins the first group whose first message it resembles."""
    groups: list[tuple[set[str], list[UnansweredQuestion]]] = []
    for row in rows:
        terms = set(features(row.text))
        for anchor, members in groups:
            if row.text == members[0].text or similarity(terms, anchor) >= SAME_QUESTION:
                members.append(row)
                break
        else:
            groups.append((terms, [row]))
    return [members for _, members in groups]


def _group(members: list[UnansweredQuestion]) -> Group:
    wordings = Counter(m.text for m in members)
    answered = next((m.answered_by for m in members if m.answered_by), None)
    return Group(
        text=wordings.most_common(1)[0][0], count=len(members),
        last_seen=max(_aware(m.created_at) for m in members),
        examples=tuple(text for text, _ in wordings.most_common(MAX_EXAMPLES)),
        ids=tuple(sorted(m.id for m in members)), answered_by=answered,
        agent_replies=tuple(dict.fromkeys(m.agent_reply for m in members if m.agent_reply)),
    )


def groups(uow: AbstractUnitOfWork, status: str = "open") -> list[Group]:
    """Groups of similar unanswered messages, most frequent first; `status`: open | answered | all."""
    answered = {"open": False, "answered": True}.get(status)
    found = [_group(members) for members in _cluster(reversed(uow.unanswered.recent(answered)))]
    return sorted(found, key=lambda g: (-g.count, -g.last_seen.timestamp()))


def draft(uow: AbstractUnitOfWork, ids: Iterable[int]) -> dict[str, Any]:
    """A draft entry from a group: the real messages as questions, an agent's reply as the answer if any."""
    rows = [SimpleNamespace(id=r.id, text=r.text, context=r.context or {}, agent_reply=r.agent_reply)
            for r in uow.unanswered.by_ids(ids)]
    questions = list(dict.fromkeys(r.text for r in rows if len(r.text) >= 2))[:MAX_EXAMPLES]
    products = sorted({r.context.get("product_sku") for r in rows if (r.context or {}).get("product_sku")})
    replies = [r.agent_reply for r in rows if r.agent_reply]
    entry: dict[str, Any] = {"id": "", "questions": questions, "answer": replies[-1] if replies else ""}
    if products:
        entry["products"] = products
    return {"entry": entry, "ids": sorted(r.id for r in rows)}


def mark_answered(uow: AbstractUnitOfWork, ids: Iterable[int], entry_id: str) -> int:
    count = uow.unanswered.mark_answered(ids, entry_id)
    uow.commit()
    return count
