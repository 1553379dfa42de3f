"""Read-only access to Rasa's SQL tracker store (table `events`), as bot.ops.retention and the drafts do."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Iterable

from sqlalchemy import bindparam, create_engine, inspect, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from bot.ops.retention import tracker_db_url

RESPONSE_KEY = "_".join(("utter", "action"))   # Rasa's metadata key naming the response (see training.drafts)
SHOWN_ACTIONS = {"action_hand_over", "action_default_fallback", "action_handle_fallback", "action_listen"}
MAX_EVENTS = 2000


@dataclass
class TranscriptTurn:
    """One line of a transcript: the shopper's message with its NLU result, or the bot's / an agent's reply."""

    role: str                      # user | bot | action
    text: str
    timestamp: float
    intent: str | None = None
    confidence: float | None = None
    entities: list[str] = field(default_factory=list)
    response: str | None = None
    variant: int | None = None
    guard: list[list[dict[str, str]]] = field(default_factory=list)
    agent: str | None = None


@cache
def _engine(url: str) -> Engine:
    return create_engine(url, future=True)


class TrackerStore:
    def __init__(self, url: str | None = None) -> None:
        self.url = url or tracker_db_url()

    def _rows(self, sql: str, **params: Any) -> list[Any]:
        if self.url.startswith("sqlite:///") and not Path(self.url.removeprefix("sqlite:///")).exists():
            return []   # Rasa has not run yet; connecting would create an empty file
        engine = _engine(self.url)
        try:
            if not inspect(engine).has_table("events"):
                return []
            statement = text(sql)
            for name, value in params.items():
                if isinstance(value, (list, tuple, set)):
                    statement = statement.bindparams(bindparam(name, expanding=True))
                    params[name] = list(value)
            with engine.connect() as connection:
                return list(connection.execute(statement, params))
        except SQLAlchemyError:
            return []

    def senders_with_intent(self, intent: str) -> set[str]:
        return {r[0] for r in self._rows("SELECT DISTINCT sender_id FROM events WHERE type_name = 'user' "
                                         "AND intent_name = :intent", intent=intent)}

    def senders_saying(self, words: str) -> set[str]:
        """Conversations where the shopper's message contains `words` (escaped JSON text is matched too)."""
        needle = json.dumps(words, ensure_ascii=False)[1:-1].replace("%", r"\%").replace("_", r"\_")
        return {r[0] for r in self._rows("SELECT DISTINCT sender_id FROM events WHERE type_name = 'user' AND "
                                         "data LIKE :pattern ESCAPE '\\'", pattern=f"%{needle}%")}

    def intents_of(self, senders: Iterable[str]) -> dict[str, list[str]]:
        ids = list(senders)
        out: dict[str, list[str]] = {}
        if not ids:
            return out
        rows = self._rows("SELECT sender_id, intent_name FROM events WHERE type_name = 'user' AND sender_id IN "
                          ":ids ORDER BY id", ids=ids)
        for sender, intent in rows:
            if intent and intent not in out.setdefault(sender, []):
                out[sender].append(intent)
        return out

    def intent_names(self) -> list[str]:
        return sorted(r[0] for r in self._rows("SELECT DISTINCT intent_name FROM events WHERE type_name = 'user' "
                                               "AND intent_name IS NOT NULL"))

    def transcript(self, sender: str) -> list[TranscriptTurn]:
        rows = self._rows("SELECT type_name, timestamp, action_name, data FROM events WHERE sender_id = :sender "
                          "ORDER BY id LIMIT :limit", sender=sender, limit=MAX_EVENTS)
        turns = [turn_of(kind, stamp, action, data) for kind, stamp, action, data in rows]
        return [t for t in turns if t is not None]


def turn_of(kind: str, stamp: float, action: str | None, data: str | None) -> TranscriptTurn | None:
    event = json.loads(data or "{}")
    if kind == "user":
        parse = event.get("parse_data") or {}
        intent = parse.get("intent") or {}
        metadata = event.get("metadata") or {}
        return TranscriptTurn("user", metadata.get("display_text") or event.get("text") or "", stamp,
                    intent=intent.get("name"), confidence=intent.get("confidence"),
                    entities=[f"{e.get('entity')}={e.get('value')}" for e in parse.get("entities") or ()])
    if kind == "bot":
        metadata = event.get("metadata") or {}
        return TranscriptTurn("bot", event.get("text") or "", stamp, response=metadata.get(RESPONSE_KEY),
                    variant=metadata.get("variant"), guard=metadata.get("guard") or [],
                    agent=metadata.get("human_agent"))   # "agent" is the bot persona on every reply
    if kind == "action" and action in SHOWN_ACTIONS - {"action_listen"}:
        return TranscriptTurn("action", action or "", stamp)
    return None
