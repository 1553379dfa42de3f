"""Conversation-side helpers for suggestions: card payloads and pacing (never pushy)."""
from __future__ import annotations

from typing import Any, Sequence

from rasa_sdk import Tracker

from bot.recommendations.pacing import may_suggest_unsolicited

CARDS_TYPE = "product_cards"
SITUATION_INTENTS = {"complain": "complaint", "return_refund": "refund", "request_human": "handoff"}


def cards_payload(suggestions: Sequence[Any]) -> dict[str, Any]:
    return {"type": CARDS_TYPE, "cards": [s.card() for s in suggestions]}


def _has_cards(event: dict[str, Any]) -> bool:
    custom = (event.get("data") or {}).get("custom") or {}
    return event.get("event") == "bot" and custom.get("type") == CARDS_TYPE


def suggestion_turn_gap(tracker: Tracker) -> int:
    """Shopper turns since the last suggestion (a large number when there was none)."""
    turns = 0
    for event in reversed(tracker.events):
        if _has_cards(event):
            return turns
        if event.get("event") == "user":
            turns += 1
    return 1_000


def last_suggested_skus(tracker: Tracker) -> list[str]:
    """SKUs on the cards of the bot's reply to the shopper's previous message (what "yes"/"no" refers to)."""
    users_seen = 0
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            users_seen += 1
            if users_seen == 2:
                break
        elif users_seen == 1 and _has_cards(event):
            return [card["sku"] for card in event["data"]["custom"]["cards"]]
    return []


def unsolicited_allowed(tracker: Tracker) -> bool:
    intents = [
        (e.get("parse_data") or {}).get("intent", {}).get("name")
        for e in tracker.events if e.get("event") == "user"
    ]
    situation = next((SITUATION_INTENTS[i] for i in reversed(intents[-3:]) if i in SITUATION_INTENTS), None)
    return may_suggest_unsolicited(suggestion_turn_gap(tracker), situation, handoff=False)
