"""The conversation list of the console: filters over the bot database (and the tracker for intents/words)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import distinct, exists, func, or_, select

from bot.clock import as_utc
from bot.db.models import ConversationMetric, Handoff, Order, OrderLine, UnansweredQuestion
from bot.db.uow import UnitOfWork
from bot.metrics.period import Period
from bot.recommendations.tables import SuggestionEvent
from bot.training.bot_seat import EXAM_PREFIX
from bot.transcripts.tracker import TrackerStore

CM = ConversationMetric
OUTCOMES = {"ordered": "已下单", "handed_over": "转人工", "fallback": "兜底回复", "unanswered": "未能回答",
            "bot_only": "机器人独立完成"}
PAGE_SIZE = 50
CHUNK = 5000   # ids per IN list (SQLite allows 32,766 variables)
MAX_EXPORT = 100_000


@dataclass(frozen=True)
class Filters:
    period: Period
    intent: str = ""
    outcome: str = ""
    product: str = ""
    agent: str = ""
    words: str = ""

    def __post_init__(self) -> None:
        if self.outcome and self.outcome not in OUTCOMES:
            raise ValueError(f"outcome: one of {', '.join(OUTCOMES)}")


@dataclass
class Row:
    conversation_id: str
    started_at: datetime
    first_response_seconds: float | None
    outcomes: list[str]
    orders: int
    amount: float
    intents: list[str]

    def as_json(self) -> dict[str, Any]:
        return {"conversation_id": self.conversation_id, "started_at": self.started_at.isoformat(),
                "first_response_seconds": self.first_response_seconds, "outcomes": self.outcomes,
                "orders": self.orders, "amount": round(self.amount, 2), "intents": self.intents}


def _ordered():
    return exists().where(Order.customer_id == CM.conversation_id, Order.created_at >= CM.first_message_at)


def _handed():
    return exists().where(Handoff.conversation_id == CM.conversation_id)


def _unanswered(reason: str | None = None):
    clause = exists().where(UnansweredQuestion.conversation_id == CM.conversation_id)
    return clause.where(UnansweredQuestion.reason == reason) if reason else clause


OUTCOME_CLAUSES = {"ordered": _ordered, "handed_over": _handed, "fallback": lambda: _unanswered("fallback"),
                   "unanswered": _unanswered, "bot_only": lambda: ~_handed()}


def _statement(filters: Filters):
    p = filters.period
    stmt = select(CM.conversation_id, CM.first_message_at, CM.first_response_seconds).where(
        CM.first_message_at >= p.start, CM.first_message_at < p.end, CM.conversation_id.not_like(f"{EXAM_PREFIX}%"))
    if filters.outcome:
        stmt = stmt.where(OUTCOME_CLAUSES[filters.outcome]())
    if filters.product:
        bought = exists().where(Order.customer_id == CM.conversation_id, OrderLine.order_id == Order.id,
                                OrderLine.sku == filters.product)
        offered = exists().where(SuggestionEvent.conversation_id == CM.conversation_id,
                                 SuggestionEvent.sku == filters.product)
        stmt = stmt.where(or_(bought, offered))
    if filters.agent:
        on_order = exists().where(Order.customer_id == CM.conversation_id, Order.agent_id == filters.agent)
        served = exists().where(Handoff.conversation_id == CM.conversation_id, Handoff.agent == filters.agent)
        stmt = stmt.where(or_(on_order, served))       # the agent on the order, or the one who took the chat
    return stmt


def _tracker_senders(filters: Filters, tracker: TrackerStore) -> set[str] | None:
    """The conversations the tracker-side filters (intent, words) allow; None without such filters."""
    allowed: set[str] | None = None
    for wanted, find in ((filters.intent, tracker.senders_with_intent), (filters.words, tracker.senders_saying)):
        if wanted:
            found = find(wanted)
            allowed = found if allowed is None else allowed & found
    return allowed


def search(filters: Filters, offset: int = 0, limit: int = PAGE_SIZE,
           tracker: TrackerStore | None = None) -> tuple[int, list[Row]]:
    """(number of matching conversations, one page of them, newest first)."""
    tracker = tracker or TrackerStore()
    stmt = _statement(filters).order_by(CM.first_message_at.desc())
    allowed = _tracker_senders(filters, tracker)
    with UnitOfWork() as uow:
        if allowed is None:
            total = uow.session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
            page = uow.session.execute(stmt.offset(offset).limit(limit)).all()
        else:   # the tracker is another database: match its senders here (any number, no huge IN list)
            matching = [r for r in uow.session.execute(stmt) if r[0] in allowed]
            total, page = len(matching), matching[offset:offset + limit]
        rows = []
        for start in range(0, len(page), CHUNK):
            rows += _rows(uow.session, page[start:start + CHUNK])
    intents: dict[str, list[str]] = {}
    for start in range(0, len(rows), CHUNK):
        intents.update(tracker.intents_of(r.conversation_id for r in rows[start:start + CHUNK]))
    for row in rows:
        row.intents = intents.get(row.conversation_id, [])
    return total, rows


def _rows(session, page) -> list[Row]:
    ids = [c for c, _, _ in page]
    if not ids:
        return []
    handed = set(session.scalars(select(distinct(Handoff.conversation_id)).where(Handoff.conversation_id.in_(ids))))
    unanswered: dict[str, set[str]] = {}
    for c, reason in session.execute(select(UnansweredQuestion.conversation_id, UnansweredQuestion.reason)
                                     .where(UnansweredQuestion.conversation_id.in_(ids))):
        unanswered.setdefault(c, set()).add(reason)
    orders = {c: (n, float(a or 0)) for c, n, a in session.execute(
        select(Order.customer_id, func.count(Order.id), func.sum(Order.total))
        .join(CM, CM.conversation_id == Order.customer_id)
        .where(Order.customer_id.in_(ids), Order.created_at >= CM.first_message_at).group_by(Order.customer_id))}
    out = []
    for c, started, seconds in page:
        outcomes = [k for k, ok in (("ordered", c in orders), ("handed_over", c in handed),
                                    ("fallback", "fallback" in unanswered.get(c, ())),
                                    ("unanswered", c in unanswered)) if ok]
        n, amount = orders.get(c, (0, 0.0))
        out.append(Row(c, as_utc(started), seconds, outcomes, n, amount, []))
    return out
