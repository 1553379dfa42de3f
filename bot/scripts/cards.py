"""Product cards worded at the NLG endpoint: each card's reason and plain-text line come from the library and
pass the reply guard like every other sentence the shopper reads."""
from __future__ import annotations

import logging
from typing import Any

from bot.rules.checks import check_reply
from bot.scripts.loader import ScriptLibrary
from bot.scripts.placeholders import fill
from bot.scripts.punctuation import tidy
from bot.scripts.render import format_value

log = logging.getLogger("store.guard")


def _reason(library: ScriptLibrary, card: dict[str, Any]) -> str:
    """The store's reason when it keeps the service rules, else the library's words for the reason code."""
    given = card.get("reason")
    if isinstance(given, str) and given:
        broken = [v for v in check_reply(given) if v.severity == "error"]
        if not broken:
            return given
        log.warning("reply guard replaced the card reason %r of %s (%s)", given, card.get("sku"),
                    "; ".join(v.message for v in broken))
        given = None
    record = given if isinstance(given, dict) else {"kind": card.get("reason_code") or "default",
                                                     "product": str(card.get("name") or "")}
    return tidy(format_value(library, "reason", record))


def word_cards(library: ScriptLibrary, cards: list[Any]) -> list[dict[str, Any]]:
    """The cards with their reasons and plain-text lines in words."""
    worded = []
    for card in cards:
        if not isinstance(card, dict):
            continue
        reason = _reason(library, card)
        line = fill(library.fragments.get("card_text", ""),
                    {"name": str(card.get("name") or ""), "price": format_value(library, "price", card.get("price")),
                     "reason": reason})
        worded.append({**card, "reason": reason, "text": tidy(line)})
    return worded
