"""`python -m bot.training.drafts`: turn real chats that went wrong into draft scenarios for managers to review.

Sources: the Rasa SQL tracker store (var/tracker.db: shopper messages, the bot's responses, fallbacks and
handoffs), the bot database's handoffs (reason, products, last messages) and unpaid orders. Each conversation
that ended in a handoff, a fallback or an unpaid order becomes one scenario YAML in the output folder; a
manager edits it and moves it into scripts_library/training/ (where `python -m bot.training --check` checks it).
"""
from __future__ import annotations

import argparse
import hashlib
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import create_engine, inspect, text

from bot.catalog.products import find_product, get_product
from bot.db.uow import AbstractUnitOfWork, run_in_unit_of_work
from bot.scripts.loader import load_library
from bot.settings import PROJECT_ROOT, get_settings
from bot.training.trainer import Trainer
from bot.training.types import EXAM_PREFIX

FALLBACK_ACTIONS = {"action_default_fallback", "action_handle_fallback", "action_two_stage_fallback"}
HANDOFF_ACTIONS = {"action_hand_over"}
# Rasa's bot-event metadata key naming the response; spelled so the response-name linter does not take it for one.
RESPONSE_KEY = "_".join(("utter", "action"))
NOT_A_MODEL = {"utter_guard_fallback", "utter_rephrase", "utter_out_of_scope", "utter_holding", "utter_handoff",
               "utter_handoff_after_failures", "utter_handoff_queue", "utter_handoff_urgent", "utter_handoff_offline",
               "utter_handoff_closed", "utter_handoff_still_waiting", "utter_handoff_agent_joined",
               "utter_handoff_requeued", "utter_handoff_released"}
MAX_TURNS = 6


@dataclass
class Chat:
    """One real conversation, reduced to what a draft needs."""

    conversation: str
    messages: list[tuple[str, str | None]] = field(default_factory=list)   # (shopper text, bot response name)
    intents: list[str] = field(default_factory=list)
    skus: list[str] = field(default_factory=list)
    reasons: set[str] = field(default_factory=set)

    @property
    def reason(self) -> str | None:
        return next((r for r in ("handoff", "unpaid", "fallback") if r in self.reasons), None)


def read_tracker(url: str) -> dict[str, Chat]:
    """Shopper messages with the response that answered each, fallbacks and handoff actions, per sender."""
    chats: dict[str, Chat] = {}
    if url.startswith("sqlite:///") and not Path(url.removeprefix("sqlite:///")).exists():
        return chats
    engine = create_engine(url, future=True)
    try:
        if not inspect(engine).has_table("events"):
            return chats
        with engine.connect() as connection:
            rows = connection.execute(text(
                "SELECT sender_id, type_name, intent_name, action_name, data FROM events ORDER BY sender_id, id"))
            for sender, type_name, intent, action, data in rows:
                chat = chats.setdefault(sender, Chat(sender))
                if type_name == "user":
                    words = (json.loads(data or "{}").get("text") or "").strip()
                    if intent == "nlu_fallback":
                        chat.reasons.add("fallback")
                    if intent and intent not in chat.intents:
                        chat.intents.append(intent)
                    if words and not words.startswith("/"):
                        chat.messages.append((words, None))
                elif type_name == "action" and action in FALLBACK_ACTIONS:
                    chat.reasons.add("fallback")
                elif type_name == "action" and action in HANDOFF_ACTIONS:
                    chat.reasons.add("handoff")
                elif type_name in ("action", "bot"):
                    # responses: utter_* actions, or bot messages sent by custom actions (metadata.utter_action)
                    metadata = {} if type_name == "action" else json.loads(data or "{}").get("metadata") or {}
                    name = action if type_name == "action" else metadata.get(RESPONSE_KEY)
                    if name and name.startswith("utter_") and chat.messages and chat.messages[-1][1] is None:
                        chat.messages[-1] = (chat.messages[-1][0], name)
    finally:
        engine.dispose()
    return chats


def collect(uow: AbstractUnitOfWork, tracker_url: str, limit: int = 50) -> list[Chat]:
    """Conversations that ended in a handoff, a fallback or an unpaid order, newest sources first."""
    chats = read_tracker(tracker_url)
    for handoff in uow.chats.handoffs(limit):
        chat = chats.setdefault(handoff.conversation_id, Chat(handoff.conversation_id))
        chat.reasons.add("handoff")
        summary = handoff.summary or {}
        chat.skus += [s for s in summary.get("products") or () if s not in chat.skus]
        if not chat.messages:
            chat.messages = [(m, None) for m in summary.get("last_messages") or ()]
    for customer, _order, skus in uow.chats.unpaid_orders(limit):
        chat = chats.setdefault(customer, Chat(customer))
        chat.reasons.add("unpaid")
        chat.skus = list(dict.fromkeys(skus + chat.skus))
    for chat in chats.values():
        for words, _ in chat.messages:
            product = find_product(uow, words)
            if product and product.sku not in chat.skus:
                chat.skus.append(product.sku)
    real = (c for c in chats.values() if not c.conversation.startswith(EXAM_PREFIX))   # not the bot's exams
    return [c for c in real if c.reason and c.skus][:limit]


def _situation(chat: Chat) -> str | None:
    if chat.reason == "unpaid":
        return "unpaid"
    if {"complain", "return_refund"} & set(chat.intents):
        return "complaint"
    return "bargain" if "bargain" in chat.intents else None


_FOCUS = {"complaint": ("apology", ["apologises"]), "unpaid": ("ask_reason", ["asks_reason"]),
          "bargain": ("concession", ["conditional_concession", "acknowledges", "stresses_value"]),
          None: ("related", ["offers_related", "offers_multibuy"])}


def build_draft(chat: Chat, texts: dict[str, Any], responses: set[str], product_name: str) -> tuple[str, dict]:
    """A linear scenario replaying the shopper's words; the bot's own (non-fallback) responses become the better replies."""
    situation = _situation(chat)
    digest = hashlib.sha1(chat.conversation.encode(), usedforsecurity=False).hexdigest()[:8]
    scenario_id = f"draft_{chat.reason}_{digest}"
    reason = texts["reasons"][chat.reason]
    turns: dict[str, dict] = {}
    lines = chat.messages[:MAX_TURNS]
    if situation == "unpaid":
        turns["t0"] = {"silent": True, "note": texts["unpaid_note"].format(product=product_name)}
    for index, (words, _) in enumerate(lines, start=1):
        turns[f"t{index}"] = {"shopper": words}
    for turn_id, (_, response) in zip([t for t in turns if t != "t0"], lines, strict=False):
        if response and response in responses and response not in NOT_A_MODEL:
            turns[turn_id]["better"] = {"response": response}
    ids = list(turns)
    for turn_id, following in zip(ids, ids[1:] + ["closing"], strict=False):
        turns[turn_id]["otherwise"] = following
    turns["closing"] = {"shopper": texts["closing"], "end": "resolved"}
    focus, moves = _FOCUS[situation]
    titles = texts["checkpoints"]
    checkpoints = [
        {"id": focus, "title": titles[focus], "weight": 30, "require": moves},
        {"id": "no_refusal", "title": titles["no_refusal"], "weight": 30,
         "avoid": ["flat_refusal", "blame", "unreframed_negative"]},
        {"id": "tone", "title": titles["tone"], "weight": 20, "avoid": ["no_warmth", "repeat"]},
        {"id": "speed", "title": titles["speed"], "weight": 20, "avoid": ["slow_first_reply", "slow_reply"]},
    ]
    opening = next((w for w, _ in lines), product_name)
    scenario: dict[str, Any] = {
        "id": scenario_id, "title": texts["title"].format(opening=opening[:20]), "skill": texts["skill"],
        "situation": situation, "product": chat.skus[0],
        "persona": {"name": texts["persona_name"],
                    "profile": texts["persona_profile"].format(conversation=chat.conversation, reason=reason)},
        "start": ids[0], "turns": turns, "checkpoints": checkpoints,
    }
    if situation is None:
        del scenario["situation"]
    if situation == "unpaid":
        scenario["on_product_page"] = False       # the reminder reaches the shopper wherever they are
    return scenario_id, {"scenario": scenario}


def write_drafts(uow: AbstractUnitOfWork, out_dir: Path, tracker_url: str, limit: int = 50) -> list[Path]:
    """Write one draft per conversation; returns the files written."""
    settings = get_settings()
    texts = Trainer(library=load_library(settings.scripts_dir)[0], style="lively").scenarios().texts.drafts
    if not texts:
        raise SystemExit("scripts_library/training/_common.yml has no valid `drafts` texts")
    responses = set(load_library(settings.scripts_dir)[0].responses)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for chat in collect(uow, tracker_url, limit):
        if not chat.messages and chat.reason != "unpaid":
            continue
        product = get_product(uow, chat.skus[0])
        scenario_id, document = build_draft(chat, texts, responses, product.name if product else chat.skus[0])
        path = out_dir / f"{scenario_id}.yml"
        header = (f"# DRAFT from conversation {chat.conversation} (ended in: {chat.reason}). Review the turns, add\n"
                  "# branches and checkpoints, then move it into scripts_library/training/ and run\n"
                  "# `python -m bot.training --check`.\n")
        path.write_text(header + yaml.safe_dump(document, allow_unicode=True, sort_keys=False, width=120),
                        encoding="utf-8")
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.training.drafts", description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(PROJECT_ROOT / "var" / "training_drafts"), help="output folder")
    parser.add_argument("--tracker-url", default=f"sqlite:///{PROJECT_ROOT / 'var' / 'tracker.db'}",
                        help="SQLAlchemy URL of Rasa's SQL tracker store")
    parser.add_argument("--limit", type=int, default=50)
    args = parser.parse_args(argv)
    written = run_in_unit_of_work(write_drafts, Path(args.out), args.tracker_url, args.limit)   # the command's one
    for path in written:
        print(path)
    print(f"{len(written)} draft scenario(s) written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
