"""Pure helpers over a tracker's events (Rasa's event dicts): what the shopper said, what the bot showed."""
from __future__ import annotations

from typing import Any, Collection, Iterable, Sequence

CARDS_TYPE = "product_cards"
EXTERNAL_PREFIX = "EXTERNAL_"


def is_external(intent: str | None) -> bool:
    """Intents the product triggers itself (reminders, notices, silence nudges): never the shopper speaking."""
    return (intent or "").startswith(EXTERNAL_PREFIX)


def intent_of(event: dict[str, Any]) -> str | None:
    return ((event.get("parse_data") or {}).get("intent") or {}).get("name")


def cards_of(event: dict[str, Any]) -> list[dict[str, Any]]:
    """The product cards a bot event carried."""
    custom = (event.get("data") or {}).get("custom") or {}
    if event.get("event") == "bot" and isinstance(custom, dict) and custom.get("type") == CARDS_TYPE:
        return list(custom.get("cards") or [])
    return []


def shopper_events(events: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """The shopper's own messages, without the product's external triggers."""
    return [e for e in events if e.get("event") == "user" and not is_external(intent_of(e))]


def last_shown_skus(events: Sequence[dict[str, Any]]) -> list[str]:
    """SKUs on the cards of the bot's reply to the shopper's previous message (what 第二个 / yes refers to)."""
    users_seen = 0
    for event in reversed(events):
        if event.get("event") == "user" and not is_external(intent_of(event)):
            users_seen += 1
            if users_seen == 2:
                break
        elif users_seen == 1:
            found = cards_of(event)
            if found:
                return [card["sku"] for card in found if card.get("sku")]
    return []


def consecutive_intents(events: Sequence[dict[str, Any]], intent: str) -> int:
    """How many of the shopper's latest messages in a row had this intent (external triggers skipped)."""
    count = 0
    for event in reversed(shopper_events(events)):
        if intent_of(event) != intent:
            break
        count += 1
    return count


def latest_text_of(events: Sequence[dict[str, Any]], intent: str) -> str:
    """What the shopper wrote the last time their message had this intent ("" when never)."""
    return next((e.get("text") or "" for e in reversed(shopper_events(events)) if intent_of(e) == intent), "")


def turns_since(events: Sequence[dict[str, Any]], intent: str) -> int | None:
    """Shopper turns since the latest one with this intent (0: the current message); None when never."""
    for back, event in enumerate(reversed(shopper_events(events))):
        if intent_of(event) == intent:
            return back
    return None


def recent_shown_skus(events: Sequence[dict[str, Any]], within: int = 3) -> list[str]:
    """SKUs on the latest cards the bot showed in reply to one of the shopper's last `within` messages."""
    users_seen = 0
    for event in reversed(events):
        if event.get("event") == "user" and not is_external(intent_of(event)):
            users_seen += 1
            if users_seen > within:
                break
        elif users_seen >= 1 and (found := cards_of(event)):
            return [card["sku"] for card in found if card.get("sku")]
    return []


def latest_cards(events: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """The product cards of the bot's most recent message that had any."""
    return next((cards_of(e) for e in reversed(events) if cards_of(e)), [])


def earlier_texts(events: Sequence[dict[str, Any]], among: Collection[str], within: int = 3) -> list[str]:
    """What the shopper wrote in their earlier messages of these intents, at most `within` turns back.

    我想退货 / 运费谁出 right after 拉链坏了 are about that broken item.
    """
    return [e.get("text") or "" for e in shopper_events(events)[:-1][-within:] if intent_of(e) in among]


def earlier_ask(events: Sequence[dict[str, Any]], among: Collection[str], within: int = 3) -> str | None:
    """The intent of the shopper's latest earlier message that is one of `among`, at most `within` turns back.

    那20寸的呢 right after 24寸那个多少钱 asks the same question about another item.
    """
    for event in reversed(shopper_events(events)[:-1][-within:]):
        if (intent := intent_of(event)) in among:
            return intent
    return None
