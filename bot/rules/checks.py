"""check_reply: every rule applied to one outgoing (or trainee) reply."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from bot.rules.negatives import find_flat_refusals, find_unreframed_negative
from bot.rules.repeats import is_repeat
from bot.rules.tone import find_bare_price_cut, find_blame_or_argument, has_apology, has_warmth

RULE_IDS = ("flat_refusal", "blame", "unreframed_negative", "repeat", "no_apology", "bare_price_cut", "no_warmth")


@dataclass(frozen=True)
class Violation:
    rule: str
    message: str
    span: str = ""
    severity: Literal["error", "warning"] = "error"


@dataclass(frozen=True)
class ReplyContext:
    situation: str | None = None  # complaint, bargain, unpaid, handoff, refusal, system
    style: str = "lively"
    previous_bot_texts: tuple[str, ...] = ()
    shopper_text: str = ""
    check_warmth: bool = True


def check_reply(text: str, context: ReplyContext = ReplyContext()) -> list[Violation]:
    """Return every rule the reply breaks; an empty list means it may be sent."""
    violations = [Violation("flat_refusal", f"flat refusal '{span}': say what can be done instead", span)
                  for span in find_flat_refusals(text)]
    violations += [Violation("blame", f"argues with or blames the shopper: '{span}'", span)
                   for span in find_blame_or_argument(text)]
    violations += [Violation("unreframed_negative", f"negative '{span}' without an alternative", span)
                   for span in find_unreframed_negative(text)]
    if context.previous_bot_texts and is_repeat(text, context.previous_bot_texts):
        violations.append(Violation("repeat", "this sentence was already sent in the conversation", text))
    if context.situation == "complaint" and not has_apology(text):
        violations.append(Violation("no_apology", "a complaint reply must apologise and own the mistake"))
    if context.situation == "bargain":
        violations += [Violation("bare_price_cut", f"price cut '{span}' without a condition", span)
                       for span in find_bare_price_cut(text)]
    if context.check_warmth and context.situation != "system" and not has_warmth(text, context.style):
        violations.append(Violation("no_warmth", f"no modal particle or warm word for the {context.style} style",
                                    severity="warning"))
    return violations
