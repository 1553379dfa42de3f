"""The transcripts' repository (`uow.transcripts`): the conversation register filtered, and one conversation's
outcomes (handoffs, orders, unanswered questions, suggestions)."""
from __future__ import annotations

from datetime import datetime
from typing import Sequence

from sqlalchemy import distinct, exists, func, or_, select
from sqlalchemy.orm import Session

from bot.db.models import ConversationMetric, Handoff, Order, OrderLine, UnansweredQuestion
from bot.recommendations.tables import SuggestionEvent
from bot.training.types import EXAM_PREFIX
from bot.transcripts.types import Filters

CM = ConversationMetric


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
    """(conversation id, first message at, first-response seconds) of the matching conversations, newest first."""
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
    return stmt.order_by(CM.first_message_at.desc())


class TranscriptRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def count(self, filters: Filters) -> int:
        return self.session.scalar(select(func.count()).select_from(_statement(filters).subquery())) or 0

    def conversations(self, filters: Filters, offset: int = 0, limit: int | None = None
                      ) -> Sequence[tuple[str, datetime, float | None]]:
        stmt = _statement(filters)
        if offset or limit is not None:
            stmt = stmt.offset(offset).limit(limit)
        return [tuple(row) for row in self.session.execute(stmt)]

    def handed_over(self, ids: list[str]) -> set[str]:
        return set(self.session.scalars(select(distinct(Handoff.conversation_id))
                                        .where(Handoff.conversation_id.in_(ids))))

    def unanswered_reasons(self, ids: list[str]) -> dict[str, set[str]]:
        found: dict[str, set[str]] = {}
        for c, reason in self.session.execute(select(UnansweredQuestion.conversation_id, UnansweredQuestion.reason)
                                              .where(UnansweredQuestion.conversation_id.in_(ids))):
            found.setdefault(c, set()).add(reason)
        return found

    def orders_after_chatting(self, ids: list[str]) -> dict[str, tuple[int, float]]:
        """(orders, amount) per conversation placed after its first message."""
        return {c: (n, float(a or 0)) for c, n, a in self.session.execute(
            select(Order.customer_id, func.count(Order.id), func.sum(Order.total))
            .join(CM, CM.conversation_id == Order.customer_id)
            .where(Order.customer_id.in_(ids), Order.created_at >= CM.first_message_at).group_by(Order.customer_id))}

    def metric(self, conversation_id: str) -> ConversationMetric | None:
        return self.session.get(ConversationMetric, conversation_id)

    def handoffs(self, conversation_id: str) -> Sequence[Handoff]:
        return self.session.scalars(select(Handoff).where(Handoff.conversation_id == conversation_id)
                                    .order_by(Handoff.created_at)).all()

    def orders(self, conversation_id: str) -> Sequence[Order]:
        return self.session.scalars(select(Order).where(Order.customer_id == conversation_id)
                                    .order_by(Order.created_at)).all()

    def unanswered(self, conversation_id: str) -> Sequence[UnansweredQuestion]:
        return self.session.scalars(select(UnansweredQuestion)
                                    .where(UnansweredQuestion.conversation_id == conversation_id)).all()

    def suggestions(self, conversation_id: str) -> Sequence[SuggestionEvent]:
        return self.session.scalars(select(SuggestionEvent).where(SuggestionEvent.conversation_id == conversation_id)
                                    .order_by(SuggestionEvent.id)).all()

