"""The overview's queries (the repository of bot.metrics): aggregates over one period, computed in SQL."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Integer, and_, distinct, exists, func, select
from sqlalchemy.orm import Session

from bot.db.models import ConversationMetric, Handoff, Order, OrderLine, UnansweredQuestion
from bot.metrics.period import Period
from bot.recommendations.store_data import PAID_STATUSES
from bot.recommendations.tables import SuggestionEvent
from bot.reminders.tables import Reminder
from bot.training.bot_seat import EXAM_PREFIX
from bot.training.tables import TrainingRun

CM = ConversationMetric


class MetricQueries:
    def __init__(self, session: Session, period: Period) -> None:
        self.session, self.period = session, period

    def conversations(self):
        """The conversations of the period: first shopper message inside it, exams left out."""
        return select(CM.conversation_id).where(
            CM.first_message_at >= self.period.start, CM.first_message_at < self.period.end,
            CM.conversation_id.not_like(f"{EXAM_PREFIX}%"))

    def first_messages(self) -> list[tuple[datetime, float | None, str]]:
        stmt = select(CM.first_message_at, CM.first_response_seconds, CM.conversation_id).where(
            CM.conversation_id.in_(self.conversations()))
        return [tuple(row) for row in self.session.execute(stmt)]

    def handed_over(self) -> set[str]:
        stmt = select(distinct(Handoff.conversation_id)).where(Handoff.conversation_id.in_(self.conversations()))
        return set(self.session.scalars(stmt))

    def handoff_reasons(self) -> list[tuple[str, int]]:
        stmt = (select(Handoff.reason, func.count(distinct(Handoff.conversation_id)))
                .where(Handoff.conversation_id.in_(self.conversations()))
                .group_by(Handoff.reason).order_by(func.count(distinct(Handoff.conversation_id)).desc()))
        return [(r, n) for r, n in self.session.execute(stmt)]

    def unanswered_counts(self) -> tuple[int, int]:
        """(conversations with a fallback, conversations with any unanswered question)."""
        base = UnansweredQuestion.conversation_id.in_(self.conversations())
        fallback = select(func.count(distinct(UnansweredQuestion.conversation_id))).where(
            base, UnansweredQuestion.reason == "fallback")
        anything = select(func.count(distinct(UnansweredQuestion.conversation_id))).where(base)
        return self.session.scalar(fallback) or 0, self.session.scalar(anything) or 0

    def ordering_conversations(self) -> int:
        """Conversations of the period after whose first message the shopper placed an order."""
        stmt = select(func.count()).select_from(CM).where(
            CM.conversation_id.in_(self.conversations()),
            exists().where(Order.customer_id == CM.conversation_id, Order.created_at >= CM.first_message_at))
        return self.session.scalar(stmt) or 0

    def paid_orders(self) -> dict[bool, dict[str, float]]:
        """Paid orders of the period split by assisted (the buyer chatted before ordering) or not."""
        assisted = exists().where(CM.conversation_id == Order.customer_id, CM.first_message_at <= Order.created_at)
        items = (select(OrderLine.order_id, func.sum(OrderLine.qty).label("quantity"))
                 .group_by(OrderLine.order_id).subquery())
        stmt = (select(assisted.label("assisted"), func.count(Order.id), func.sum(Order.total),
                       func.count(distinct(Order.customer_id)), func.sum(items.c.quantity))
                .select_from(Order).join(items, items.c.order_id == Order.id, isouter=True)
                .where(Order.status.in_(PAID_STATUSES), Order.paid_at >= self.period.start,
                       Order.paid_at < self.period.end)
                .group_by(assisted))
        out = {True: _no_orders(), False: _no_orders()}
        for flag, orders, amount, buyers, quantity in self.session.execute(stmt):
            out[bool(flag)] = {"orders": orders, "amount": float(amount or 0), "buyers": buyers,
                               "items": int(quantity or 0)}
        return out

    def suggestions(self) -> list[tuple[str, str, int]]:
        stmt = (select(SuggestionEvent.kind, SuggestionEvent.event, func.count())
                .where(SuggestionEvent.created_at >= self.period.start, SuggestionEvent.created_at < self.period.end)
                .group_by(SuggestionEvent.kind, SuggestionEvent.event))
        return [(k, e, n) for k, e, n in self.session.execute(stmt)]

    def reminders(self, kinds: tuple[str, ...], state: str, column: str) -> list[tuple[datetime, Any, Any]]:
        """(moment, order paid_at, order cancelled_at) of reminders in `state` whose `column` is in the period."""
        moment = getattr(Reminder, column)
        stmt = (select(moment, Order.paid_at, Order.cancelled_at).join(Order, Order.id == Reminder.order_id)
                .where(Reminder.kind.in_(kinds), Reminder.state == state,
                       and_(moment >= self.period.start, moment < self.period.end)))
        return [tuple(row) for row in self.session.execute(stmt)]

    def training(self) -> tuple[int, int]:
        """(finished practice runs, passed runs) of the period."""
        stmt = select(func.count(), func.sum(TrainingRun.passed.cast(Integer))).where(
            TrainingRun.finished_at >= self.period.start, TrainingRun.finished_at < self.period.end)
        runs, passed = self.session.execute(stmt).one()
        return runs or 0, int(passed or 0)


def _no_orders() -> dict[str, float]:
    return {"orders": 0, "amount": 0.0, "buyers": 0, "items": 0}



def top_co_purchases(session: Session, limit: int = 20) -> list[dict[str, Any]]:
    """The strongest mined rules "bought A, also bought B", most shared orders first."""
    from bot.recommendations.tables import CoPurchase

    stmt = select(CoPurchase).order_by(CoPurchase.pair_count.desc(), CoPurchase.lift.desc()).limit(limit)
    return [{"a": r.sku_a, "b": r.sku_b, "pairs": r.pair_count, "confidence": round(r.confidence, 3),
             "lift": round(r.lift, 2)} for r in session.scalars(stmt)]
