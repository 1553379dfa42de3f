"""Queries of the recommender's own tables: suggestion events, mined co-purchases, and the order figures
the suggestion report compares."""
from __future__ import annotations

from datetime import datetime
from typing import Any, Iterable, Iterator, Sequence

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from bot.db.models import Order, OrderLine
from bot.db.repositories import PAID_STATUSES
from bot.recommendations.tables import CoPurchase, SuggestionEvent


class SuggestionEventRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, conversation_id: str, pairs: Iterable[tuple[str, str]], event: str) -> int:
        """One row per (sku, kind) pair; returns how many."""
        rows = [SuggestionEvent(conversation_id=conversation_id, sku=sku, kind=kind, event=event)
                for sku, kind in pairs]
        self.session.add_all(rows)
        return len(rows)

    def of(self, conversation_id: str, events: Sequence[str]) -> list[tuple[str, str, str]]:
        """(sku, kind, event) of these event types in the conversation, oldest first."""
        stmt = (select(SuggestionEvent.sku, SuggestionEvent.kind, SuggestionEvent.event)
                .where(SuggestionEvent.conversation_id == conversation_id, SuggestionEvent.event.in_(events))
                .order_by(SuggestionEvent.id))
        return [(sku, kind, event) for sku, kind, event in self.session.execute(stmt)]

    def counts_by_kind(self, since: datetime | None) -> list[tuple[str, str, int]]:
        """(kind, event, count) over all conversations, optionally since a time."""
        stmt = select(SuggestionEvent.kind, SuggestionEvent.event, func.count()).group_by(
            SuggestionEvent.kind, SuggestionEvent.event)
        if since is not None:
            stmt = stmt.where(SuggestionEvent.created_at >= since)
        return [(kind, event, n) for kind, event, n in self.session.execute(stmt)]

    def accepted_pairs(self) -> set[tuple[str, str]]:
        """(conversation_id, sku) of every accepted suggestion."""
        stmt = select(SuggestionEvent.conversation_id, SuggestionEvent.sku).where(SuggestionEvent.event == "accepted")
        return {(c, s) for c, s in self.session.execute(stmt)}


class CoPurchaseRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def from_sku(self, sku: str, limit: int = 10) -> list[tuple[str, float, float]]:
        """Mined rules sku -> other: (other, confidence, lift), strongest first."""
        stmt = (
            select(CoPurchase.sku_b, CoPurchase.confidence, CoPurchase.lift)
            .where(CoPurchase.sku_a == sku)
            .order_by(CoPurchase.confidence.desc(), CoPurchase.lift.desc(), CoPurchase.sku_b)
            .limit(limit)
        )
        return [(b, float(c), float(l)) for b, c, l in self.session.execute(stmt)]

    def strongest(self, limit: int = 20) -> list[dict[str, Any]]:
        """The strongest rules "bought A, also bought B", most shared orders first."""
        stmt = select(CoPurchase).order_by(CoPurchase.pair_count.desc(), CoPurchase.lift.desc()).limit(limit)
        return [{"a": r.sku_a, "b": r.sku_b, "pairs": r.pair_count, "confidence": round(r.confidence, 3),
                 "lift": round(r.lift, 2)} for r in self.session.scalars(stmt)]

    def order_baskets(self, exclude_statuses: Iterable[str], batch: int) -> Iterator[tuple[str, str]]:
        """(order_id, sku) of the stored order lines (statuses not excluded), streamed in order id order."""
        stmt = (
            select(OrderLine.order_id, OrderLine.sku)
            .join(Order, Order.id == OrderLine.order_id)
            .where(Order.status.not_in(list(exclude_statuses)))
            .order_by(OrderLine.order_id)
            .execution_options(yield_per=batch)
        )
        yield from self.session.execute(stmt)

    def replace_all(self, rows: Iterable[dict], batch: int = 10_000) -> None:
        """Delete the stored rules and insert these, `batch` rows per statement (the caller commits)."""
        self.session.execute(delete(CoPurchase))
        chunk: list[dict] = []
        for row in rows:
            chunk.append(row)
            if len(chunk) >= batch:
                self.session.execute(insert(CoPurchase), chunk)
                chunk = []
        if chunk:
            self.session.execute(insert(CoPurchase), chunk)


class SuggestionReportRepository:
    """The paid-order figures the suggestion report splits by accepted suggestions."""

    def __init__(self, session: Session) -> None:
        self.session = session

    @staticmethod
    def _paid(stmt, since: datetime | None):
        stmt = stmt.where(Order.status.in_(PAID_STATUSES))
        return stmt.where(Order.created_at >= since) if since is not None else stmt

    def paid_totals(self, since: datetime | None) -> tuple[int, float, int, int]:
        """(orders, amount, buyers, items) of paid orders, optionally created since a time."""
        orders, amount, buyers = self.session.execute(self._paid(
            select(func.count(), func.sum(Order.total), func.count(func.distinct(Order.customer_id))), since)).one()
        items = self.session.scalar(self._paid(select(func.sum(OrderLine.qty)).join(Order), since)) or 0
        return orders or 0, float(amount or 0.0), buyers or 0, int(items)

    def paid_lines_of(self, customers: Sequence[str], since: datetime | None,
                      chunk: int = 500) -> Iterator[tuple[str, str, float, str, int]]:
        """(order_id, customer, total, sku, qty) of the paid order lines of these customers."""
        for start in range(0, len(customers), chunk):
            stmt = self._paid(select(Order.id, Order.customer_id, Order.total, OrderLine.sku, OrderLine.qty)
                              .join(OrderLine, OrderLine.order_id == Order.id)
                              .where(Order.customer_id.in_(customers[start:start + chunk])), since)
            for row in self.session.execute(stmt):
                yield row[0], row[1], row[2], row[3], row[4]
