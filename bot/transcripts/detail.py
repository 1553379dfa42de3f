"""One conversation in full: its turns from the tracker, its outcomes from the bot database, and drafts from it."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import yaml

from bot.catalog.products import find_product, get_product
from bot.clock import as_utc
from bot.db.uow import AbstractUnitOfWork
from bot.scripts.loader import load_library
from bot.settings import get_settings
from bot.training.drafts import Chat, build_draft
from bot.training.trainer import Trainer
from bot.transcripts.tracker import TrackerStore, TranscriptTurn


@dataclass
class Detail:
    conversation_id: str
    started_at: datetime | None
    first_response_seconds: float | None
    turns: list[TranscriptTurn]
    handoffs: list[dict[str, Any]] = field(default_factory=list)
    orders: list[dict[str, Any]] = field(default_factory=list)
    unanswered: list[dict[str, Any]] = field(default_factory=list)
    suggestions: list[dict[str, Any]] = field(default_factory=list)

    @property
    def skus(self) -> list[str]:
        found = [line["sku"] for o in self.orders for line in o["lines"]] + [s["sku"] for s in self.suggestions]
        return list(dict.fromkeys(found))

    @property
    def draft_reason(self) -> str | None:
        """Why a trainee scenario from this chat is worth practising (the drafts' reasons), if any."""
        if self.handoffs:
            return "handoff"
        if any(o["status"] == "unpaid" for o in self.orders):
            return "unpaid"
        return "fallback" if any(u["reason"] == "fallback" for u in self.unanswered) else None


def load_detail(uow: AbstractUnitOfWork, conversation_id: str, tracker: TrackerStore | None = None) -> Detail | None:
    turns = (tracker or TrackerStore()).transcript(conversation_id)
    found = uow.transcripts
    metric = found.metric(conversation_id)
    started = as_utc(metric.first_message_at) if metric else None
    seconds = metric.first_response_seconds if metric else None
    handoffs = [{"reason": h.reason, "created_at": as_utc(h.created_at), "released_at": as_utc(h.released_at)}
                for h in found.handoffs(conversation_id)]
    orders = [{"id": o.id, "status": o.status, "total": o.total, "agent_id": o.agent_id,
               "created_at": as_utc(o.created_at),
               "lines": [{"sku": line.sku, "qty": line.qty, "unit_price": line.unit_price} for line in o.lines]}
              for o in found.orders(conversation_id)]
    unanswered = [{"id": u.id, "text": u.text, "reason": u.reason, "answered_by": u.answered_by}
                  for u in found.unanswered(conversation_id)]
    suggestions = [{"sku": e.sku, "kind": e.kind, "event": e.event} for e in found.suggestions(conversation_id)]
    if metric is None and not turns and not orders and not handoffs:
        return None
    return Detail(conversation_id, started, seconds, turns, handoffs, orders, unanswered, suggestions)


def question_pairs(detail: Detail) -> list[tuple[str, str]]:
    """(shopper message, the reply that followed it) for drafting question-bank entries."""
    pairs, pending = [], None
    for turn in detail.turns:
        if turn.role == "user" and turn.text and not turn.text.startswith("/"):
            pending = turn.text
        elif turn.role == "bot" and pending is not None:
            pairs.append((pending, turn.text))
            pending = None
    if pending is not None:
        pairs.append((pending, ""))
    return pairs


def scenario_draft(uow: AbstractUnitOfWork, detail: Detail) -> tuple[str, str] | None:
    """(file name, YAML) of a draft training scenario replaying this chat, as `python -m bot.training.drafts`
    writes; None when the chat has no reason to practise it or no product."""
    if detail.draft_reason is None:
        return None
    return _draft(uow, detail, detail.draft_reason)


def _draft(uow: AbstractUnitOfWork, detail: Detail, reason: str) -> tuple[str, str] | None:
    skus = detail.skus or [p.sku for t in detail.turns if t.role == "user" and (p := find_product(uow, t.text))]
    if not skus:
        return None
    chat = Chat(detail.conversation_id, reasons={reason}, skus=list(dict.fromkeys(skus)))
    for turn in detail.turns:
        if turn.role == "user" and turn.text and not turn.text.startswith("/"):
            chat.messages.append((turn.text, None))
            if turn.intent and turn.intent not in chat.intents:
                chat.intents.append(turn.intent)
        elif turn.role == "bot" and chat.messages and chat.messages[-1][1] is None and turn.response:
            chat.messages[-1] = (chat.messages[-1][0], turn.response)
    library = load_library(get_settings().scripts_dir)[0]
    texts = Trainer(library=library, style="lively").scenarios().texts.drafts
    if not texts:
        return None
    product = get_product(uow, chat.skus[0])
    scenario_id, document = build_draft(chat, texts, set(library.responses), product.name if product else chat.skus[0])
    header = (f"# DRAFT from conversation {chat.conversation} (ended in: {chat.reason}). Review it, then move it\n"
              "# into scripts_library/training/ and run `python -m bot.training --check`.\n")
    return f"{scenario_id}.yml", header + yaml.safe_dump(document, allow_unicode=True, sort_keys=False, width=120)
