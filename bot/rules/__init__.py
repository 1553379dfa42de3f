"""The service rules of good store service: one module used by the reply guard, the linter and the grader."""
from bot.rules.checks import RULE_IDS, ReplyContext, Violation, check_reply
from bot.rules.negatives import find_flat_refusals, find_unreframed_negative
from bot.rules.repeats import is_repeat, normalise
from bot.rules.tone import asks_reason, find_bare_price_cut, find_blame_or_argument, has_apology, has_warmth

__all__ = [
    "RULE_IDS", "ReplyContext", "Violation", "check_reply", "find_flat_refusals", "find_unreframed_negative",
    "is_repeat", "normalise", "asks_reason", "find_blame_or_argument", "find_bare_price_cut", "has_apology",
    "has_warmth",
]
