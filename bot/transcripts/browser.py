"""The conversation list of the console: filters over the bot database (and the tracker for intents/words)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.clock import as_utc
from bot.db.uow import AbstractUnitOfWork
from bot.transcripts.tracker import TrackerStore
from bot.transcripts.types import Filters

PAGE_SIZE = 50
CHUNK = 5000   # ids per IN list (SQLite allows 32,766 variables)
MAX_EXPORT = 100_000


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


def _tracker_senders(filters: Filters, tracker: TrackerStore) -> set[str] | None:
    """The conversations the tracker-side filters (intent, words) allow; None without such filters."""
    allowed: set[str] | None = None
    for wanted, find in ((filters.intent, tracker.senders_with_intent), (filters.words, tracker.senders_saying)):
        if wanted:
            found = find(wanted)
            allowed = found if allowed is None else allowed & found
    return allowed


def search(uow: AbstractUnitOfWork, filters: Filters, offset: int = 0, limit: int = PAGE_SIZE,
           tracker: TrackerStore | None = None) -> tuple[int, list[Row]]:
    """(number of matching conversations, one page of them, newest first)."""
    tracker = tracker or TrackerStore()
    allowed = _tracker_senders(filters, tracker)
    if allowed is None:
        total = uow.transcripts.count(filters)
        page = list(uow.transcripts.conversations(filters, offset, limit))
    else:   # the tracker is another database: match its senders here (any number, no huge IN list)
        matching = [r for r in uow.transcripts.conversations(filters) if r[0] in allowed]
        total, page = len(matching), matching[offset:offset + limit]
    rows = []
    for start in range(0, len(page), CHUNK):
        rows += _rows(uow, page[start:start + CHUNK])
    intents: dict[str, list[str]] = {}
    for start in range(0, len(rows), CHUNK):
        intents.update(tracker.intents_of(r.conversation_id for r in rows[start:start + CHUNK]))
    for row in rows:
        row.intents = intents.get(row.conversation_id, [])
    return total, rows


def _rows(uow: AbstractUnitOfWork, page) -> list[Row]:
    ids = [c for c, _, _ in page]
    if not ids:
        return []
    handed = uow.transcripts.handed_over(ids)
    unanswered = uow.transcripts.unanswered_reasons(ids)
    orders = uow.transcripts.orders_after_chatting(ids)
    out = []
    for c, started, seconds in page:
        outcomes = [k for k, ok in (("ordered", c in orders), ("handed_over", c in handed),
                                    ("fallback", "fallback" in unanswered.get(c, ())),
                                    ("unanswered", c in unanswered)) if ok]
        n, amount = orders.get(c, (0, 0.0))
        out.append(Row(c, as_utc(started), seconds, outcomes, n, amount, []))
    return out
