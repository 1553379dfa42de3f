"""Quality review (质检) of human replies by the same service rules: findings per agent per day, the worst
conversations, and turning one into a training scenario draft (bot/training/drafts.py's path)."""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Sequence

import yaml

from bot.catalog.products import get_product
from bot.conversation.events import intent_of, shopper_events
from bot.db.uow import AbstractUnitOfWork
from bot.handoff.assist import shopper_text_of
from bot.scripts.loader import load_library
from bot.settings import get_settings
from bot.training.drafts import Chat, build_draft
from bot.training.trainer import Trainer


@dataclass
class AgentDay:
    agent: str
    day: str
    replies: int = 0
    flagged: int = 0
    rules: Counter = field(default_factory=Counter)

    def as_json(self) -> dict[str, Any]:
        return {"agent": self.agent, "day": self.day, "replies": self.replies, "flagged": self.flagged,
                "findings": sum(self.rules.values()), "rules": dict(self.rules.most_common())}


@dataclass
class ConversationScore:
    conversation_id: str
    agents: set[str] = field(default_factory=set)
    replies: int = 0
    findings: int = 0
    examples: list[dict[str, Any]] = field(default_factory=list)   # flagged replies with their rules

    def as_json(self) -> dict[str, Any]:
        return {"conversation_id": self.conversation_id, "agents": sorted(self.agents), "replies": self.replies,
                "findings": self.findings, "examples": self.examples[:3]}


def _rows(uow: AbstractUnitOfWork, days: int,
          now: datetime | None) -> list[tuple[str, str, str, datetime, list[dict[str, Any]]]]:
    """(conversation, agent, text, sent at, findings) of the replies of the last `days` days, oldest first."""
    since = (now or datetime.now(UTC)) - timedelta(days=days)
    return [(r.conversation_id, r.agent, r.text, r.created_at, list(r.findings or []))
            for r in uow.agent_replies.since(since)]


def review(uow: AbstractUnitOfWork, days: int = 7, worst: int = 10, now: datetime | None = None) -> dict[str, Any]:
    """Per agent and day: replies, flagged replies, findings by rule; and the conversations with most findings."""
    per_day: dict[tuple[str, str], AgentDay] = {}
    chats: dict[str, ConversationScore] = defaultdict(lambda: ConversationScore(""))
    for conversation_id, agent, text, sent_at, findings in _rows(uow, days, now):
        day = sent_at.date().isoformat()
        entry = per_day.setdefault((agent, day), AgentDay(agent, day))
        rules = [f.get("rule", "?") for f in findings]
        entry.replies += 1
        entry.flagged += bool(rules)
        entry.rules.update(rules)
        chat = chats[conversation_id]
        chat.conversation_id = conversation_id
        chat.agents.add(agent)
        chat.replies += 1
        chat.findings += len(rules)
        if rules:
            chat.examples.append({"agent": agent, "text": text, "rules": rules})
    ranked = sorted((c for c in chats.values() if c.findings), key=lambda c: (-c.findings, c.conversation_id))
    days_sorted = sorted(per_day.values(), key=lambda d: (d.day, d.agent), reverse=True)
    return {"days": [d.as_json() for d in days_sorted], "worst": [c.as_json() for c in ranked[:worst]]}


def write_draft(uow: AbstractUnitOfWork, conversation_id: str, events: Sequence[dict[str, Any]], skus: Sequence[str],
                out_dir: Path) -> Path:
    """A draft training scenario replaying the shopper's side of this chat (reviewed by a manager before use)."""
    said = shopper_events(events)
    chat = Chat(conversation_id, [(shopper_text_of(e), None) for e in said if shopper_text_of(e)
                                  and not shopper_text_of(e).startswith("/")],
                [i for i in (intent_of(e) for e in said) if i], list(skus), {"handoff"})
    if not chat.messages or not chat.skus:
        raise ValueError("the conversation needs shopper messages and a product to become a scenario")
    library = load_library(get_settings().scripts_dir)[0]
    texts = Trainer(library=library, style="lively").scenarios().texts.drafts
    product = get_product(uow, chat.skus[0])
    scenario_id, document = build_draft(chat, texts, set(library.responses), product.name if product else chat.skus[0])
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / f"{scenario_id}.yml"
    header = (f"# DRAFT from the quality review of conversation {conversation_id} (human replies flagged). Review\n"
              "# it, then move it into scripts_library/training/ and run `python -m bot.training --check`.\n")
    path.write_text(header + yaml.safe_dump(document, allow_unicode=True, sort_keys=False, width=120), encoding="utf-8")
    return path
