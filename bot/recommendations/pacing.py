"""Never pushy: when an unsolicited suggestion may go out (pure functions, no I/O)."""
from __future__ import annotations

# Situations in which the bot never volunteers a suggestion (situation names or the intents behind them).
BLOCKING_SITUATIONS = frozenset({
    "complaint", "complain", "refund", "return_refund", "handoff", "request_human",
})
# Intents by which the shopper asks for suggestions.
SOLICITED_INTENTS = frozenset({"ask_recommendation", "ask_scene"})


def may_suggest_unsolicited(turns_since_last_suggestion: int, situation: str | None, handoff: bool,
                            min_gap: int = 3) -> bool:
    """At most one unsolicited suggestion per `min_gap` shopper turns; none during complaints, refunds or
    a handoff to a human."""
    if handoff or (situation or "") in BLOCKING_SITUATIONS:
        return False
    return turns_since_last_suggestion >= min_gap


def may_suggest(intent: str | None, turns_since_last_suggestion: int, situation: str | None, handoff: bool,
                min_gap: int = 3) -> bool:
    """Solicited suggestions (the shopper asked) are always fine unless a human took over."""
    if handoff:
        return False
    if intent in SOLICITED_INTENTS:
        return True
    return may_suggest_unsolicited(turns_since_last_suggestion, situation, handoff, min_gap)
