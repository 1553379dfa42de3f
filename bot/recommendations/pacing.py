"""Never pushy: when the bot may volunteer a suggestion (pure functions over the shopper's turns, no I/O).

Answers to the shopper (asked for suggestions, disliked an item, the item is out of stock) may always carry
suggestions unless a human took over. Volunteered ones (after a purchase decision or hesitation) go out at
most once per `min_gap` shopper turns counted from the last suggestion of any kind, and never within
`calm_turns` turns of a complaint, a refund, a cancellation or a request for a human.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

BLOCKING_INTENTS = frozenset({"complain", "return_refund", "cancel_order", "request_human"})
MIN_GAP = 3
CALM_TURNS = 3
NEVER = 1_000_000


@dataclass(frozen=True)
class Turn:
    """One shopper message: its intent and whether the bot's reply carried suggestions."""

    intent: str | None
    suggested: bool = False


def turns_since_suggestion(turns: Sequence[Turn]) -> int:
    """Shopper turns after the last one answered with suggestions (the current turn included)."""
    for back, turn in enumerate(reversed(turns)):
        if turn.suggested:
            return back
    return NEVER


def in_blocking_situation(turns: Sequence[Turn], calm_turns: int = CALM_TURNS) -> bool:
    """A complaint, refund, cancellation or handoff request among the latest `calm_turns` shopper turns."""
    return any(turn.intent in BLOCKING_INTENTS for turn in turns[-calm_turns:]) if calm_turns > 0 else False


def may_volunteer(turns: Sequence[Turn], handed_over: bool = False, min_gap: int = MIN_GAP,
                  calm_turns: int = CALM_TURNS) -> bool:
    """May the reply to the latest turn carry a suggestion the shopper did not ask for?"""
    if handed_over or in_blocking_situation(turns, calm_turns):
        return False
    return turns_since_suggestion(turns) >= min_gap
