"""The overview's repository (`uow.overview`): aggregates over one period, computed in SQL."""
from __future__ import annotations

from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import Integer, and_, distinct, exists, func, select
from sqlalchemy.orm import Session

from bot.db.models import ConversationMetric, Handoff, Order, OrderLine, UnansweredQuestion
from bot.db.repositories import PAID_STATUSES
from bot.metrics.period import Period
from bot.recommendations.tables import SuggestionEvent
from bot.reminders.tables import Reminder
from bot.training.tables import TrainingRun
from bot.training.types import EXAM_PREFIX

CM = ConversationMetric


class ConversationRow(NamedTuple):
    first_message_at: datetime
    first_response_seconds: float | None
    handed: bool
    fallback: bool
    unanswered: bool
    ordered: bool


def _in_period(period: Period):
    return (CM.first_message_at >= period.start, CM.first_message_at < period.end,
            CM.conversation_id.not_like(f"{EXAM_PREFIX}%"))


class OverviewRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def conversation_rows(self, period: Period) -> list[ConversationRow]:
        """Per conversation of the period: (first message at, first-response seconds, handed over, had a
        fallback, had an unanswered question, ordered after chatting), in one pass (correlated EXISTS)."""
        question = exists().where(UnansweredQuestion.conversation_id == CM.conversation_id)
        stmt = select(
            CM.first_message_at, CM.first_response_seconds,
            exists().where(Handoff.conversation_id == CM.conversation_id).label("handed"),
            question.where(UnansweredQuestion.reason == "fallback").label("fallback"), question.label("unanswered"),
            exists().where(Order.customer_id == CM.conversation_id, Order.created_at >= CM.first_message_at)
            .label("ordered"),
        ).where(*_in_period(period))
        return [ConversationRow(at, seconds, bool(h), bool(f), bool(u), bool(o))
                for at, seconds, h, f, u, o in self.session.connection().execute(stmt)]

    def handoff_reasons(self, period: Period) -> list[tuple[str, int]]:
        stmt = (select(Handoff.reason, func.count(distinct(Handoff.conversation_id)))
                .join(CM, CM.conversation_id == Handoff.conversation_id).where(*_in_period(period))
                .group_by(Handoff.reason).order_by(func.count(distinct(Handoff.conversation_id)).desc()))
        return [(r, n) for r, n in self.session.execute(stmt)]

    def paid_orders(self, period: Period) -> dict[bool, dict[str, float]]:
        """Paid orders of the period split by assisted (the buyer chatted before ordering) or not."""
        assisted = exists().where(CM.conversation_id == Order.customer_id, CM.first_message_at <= Order.created_at)
        items = (select(OrderLine.order_id, func.sum(OrderLine.qty).label("quantity"))
                 .group_by(OrderLine.order_id).subquery())
        stmt = (select(assisted.label("assisted"), func.count(Order.id), func.sum(Order.total),
                       func.count(distinct(Order.customer_id)), func.sum(items.c.quantity))
                .select_from(Order).join(items, items.c.order_id == Order.id, isouter=True)
                .where(Order.status.in_(PAID_STATUSES), Order.paid_at >= period.start,
                       Order.paid_at < period.end)
                .group_by(assisted))
        out = {True: _no_orders(), False: _no_orders()}
        for flag, orders, amount, buyers, quantity in self.session.execute(stmt):
            out[bool(flag)] = {"orders": orders, "amount": float(amount or 0), "buyers": buyers,
                               "items": int(quantity or 0)}
        return out

    def suggestions(self, period: Period) -> list[tuple[str, str, int]]:
        stmt = (select(SuggestionEvent.kind, SuggestionEvent.event, func.count())
                .where(SuggestionEvent.created_at >= period.start, SuggestionEvent.created_at < period.end)
                .group_by(SuggestionEvent.kind, SuggestionEvent.event))
        return [(k, e, n) for k, e, n in self.session.execute(stmt)]

    def reminders(self, period: Period, kinds: tuple[str, ...], state: str, column: str) -> list[tuple[datetime, Any, Any]]:
        """(moment, order paid_at, order cancelled_at) of reminders in `state` whose `column` is in the period."""
        moment = getattr(Reminder, column)
        stmt = (select(moment, Order.paid_at, Order.cancelled_at).join(Order, Order.id == Reminder.order_id)
                .where(Reminder.kind.in_(kinds), Reminder.state == state,
                       and_(moment >= period.start, moment < period.end)))
        return [tuple(row) for row in self.session.execute(stmt)]

    def training(self, period: Period) -> tuple[int, int]:
        """(finished practice runs, passed runs) of the period."""
        stmt = select(func.count(), func.sum(TrainingRun.passed.cast(Integer))).where(
            TrainingRun.finished_at >= period.start, TrainingRun.finished_at < period.end)
        runs, passed = self.session.execute(stmt).one()
        return runs or 0, int(passed or 0)


def _no_orders() -> dict[str, float]:
    return {"orders": 0, "amount": 0.0, "buyers": 0, "items": 0}


