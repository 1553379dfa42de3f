"""Handoff to a human agent: a summary for the agent, and the open/released state."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Iterable

from bot.db.models import Handoff
from bot.db.uow import UnitOfWork

# Bot-message metadata key naming the human agent who wrote it (never "agent": Rasa copies response values such as
# the persona name {agent} into the metadata of every bot message).
HUMAN_AGENT_KEY = "human_agent"


@dataclass(frozen=True)
class HandoffView:
    id: int
    conversation_id: str
    reason: str
    summary: dict[str, Any]
    created_at: datetime
    released_at: datetime | None

    def as_json(self) -> dict[str, Any]:
        return {"id": self.id, "conversation_id": self.conversation_id, "reason": self.reason,
                "summary": self.summary, "created_at": self.created_at.isoformat(),
                "released_at": self.released_at.isoformat() if self.released_at else None}


def _handoff_view(h: Handoff) -> HandoffView:
    return HandoffView(h.id, h.conversation_id, h.reason, dict(h.summary), h.created_at, h.released_at)


def summarize(events: Iterable[dict[str, Any]], latest_order_id: str | None) -> dict[str, Any]:
    """What the human agent needs: intents in order, products viewed, cart, order, last shopper words."""
    intents: list[str] = []
    products: list[str] = []
    texts: list[str] = []
    cart: list[Any] = []
    for event in events:
        if event.get("event") == "user":
            name = (event.get("parse_data") or {}).get("intent", {}).get("name")
            if name and not name.startswith("EXTERNAL") and (not intents or intents[-1] != name):
                intents.append(name)
            text = (event.get("metadata") or {}).get("display_text") or event.get("text")
            if text and not (event.get("metadata") or {}).get("hidden"):
                texts.append(text)
            cart = (event.get("metadata") or {}).get("cart") or cart
        if event.get("event") == "slot" and event.get("name") == "product_sku" and event.get("value"):
            if event["value"] not in products:
                products.append(event["value"])
    return {"intents": intents, "products": products, "cart": cart, "order_id": latest_order_id,
            "last_messages": texts[-3:]}


def open_handoff(conversation_id: str, reason: str, summary: dict[str, Any], mode: str = "queue",
                 urgent: bool = False) -> HandoffView:
    """A new handoff, or the conversation's open one updated (urgent sticks; a left message joins the queue)."""
    with UnitOfWork() as uow:
        handoff = next(iter(uow.handoffs.open_for(conversation_id)), None)
        if handoff is None:
            handoff = Handoff(conversation_id=conversation_id, reason=reason, summary=summary,
                              created_at=datetime.now(UTC), status="waiting", mode=mode, urgent=urgent)
            uow.handoffs.add(handoff)
        else:
            handoff.summary, handoff.urgent = summary, bool(handoff.urgent or urgent)
            handoff.reason = "escalation" if urgent else handoff.reason
            handoff.mode = "queue" if mode == "queue" else handoff.mode
        uow.commit()
        return _handoff_view(handoff)


def release(conversation_id: str) -> int:
    """Mark the conversation's open handoffs released; returns how many were open."""
    with UnitOfWork() as uow:
        rows = uow.handoffs.open_for(conversation_id)
        for row in rows:
            row.released_at, row.status = datetime.now(UTC), "released"
        uow.commit()
        return len(rows)


def open_handoffs() -> list[HandoffView]:
    with UnitOfWork() as uow:
        return [_handoff_view(r) for r in uow.handoffs.open_for()]


def is_handed_over(conversation_id: str) -> bool:
    with UnitOfWork() as uow:
        return bool(uow.handoffs.open_for(conversation_id))
