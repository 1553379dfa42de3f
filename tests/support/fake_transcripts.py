"""The in-memory transcripts repository of the fake unit of work: one conversation's outcomes."""
from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from bot.clock import as_utc
from bot.db.models import ConversationMetric, Handoff, Order, UnansweredQuestion
from tests.support.fake_repositories import FakeState


class FakeTranscripts:
    def __init__(self, state: FakeState) -> None:
        self.state = state

    def metric(self, conversation_id: str) -> ConversationMetric | None:
        return self.state.conversation_metrics.get(conversation_id)

    def handoffs(self, conversation_id: str) -> list[Handoff]:
        return sorted((h for h in self.state.handoffs if h.conversation_id == conversation_id),
                      key=lambda h: as_utc(h.created_at))

    def orders(self, conversation_id: str) -> list[Order]:
        return sorted((o for o in self.state.orders.values() if o.customer_id == conversation_id),
                      key=lambda o: as_utc(o.created_at))

    def unanswered(self, conversation_id: str) -> list[UnansweredQuestion]:
        return [u for u in self.state.unanswered if u.conversation_id == conversation_id]

    def suggestions(self, conversation_id: str) -> list[Any]:
        return [SimpleNamespace(sku=sku, kind=kind, event=event)
                for conversation, sku, kind, event, _at in self.state.suggestions if conversation == conversation_id]
