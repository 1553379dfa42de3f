"""Adapter from Rasa's NLG request body to the script renderer."""
from __future__ import annotations

from typing import Any

from bot.scripts.cards import word_cards
from bot.scripts.loader import ScriptLibrary
from bot.scripts.render import Rendered, RenderRequest
from bot.store.config import StoreConfig
from bot.store.policies import promise_values

# The argument an action passes product cards in (not `custom`: Rasa would let the action's own `custom`
# overwrite the worded cards of this endpoint's reply).
CARDS_ARGUMENT = "product_cards"


def previous_bot_texts(tracker: dict[str, Any]) -> tuple[str, ...]:
    return tuple(e.get("text") or "" for e in tracker.get("events") or [] if e.get("event") == "bot" and e.get("text"))


def store_values(store: StoreConfig, slots: dict[str, Any]) -> dict[str, Any]:
    """Values every script may use: the store, the agent persona serving this shopper, the shipping and return
    promises."""
    return {"store": store.name, "agent": store.agent(slots.get("agent_id"))["name"], **promise_values(store)}


def to_render_request(body: dict[str, Any], store: StoreConfig) -> RenderRequest:
    tracker = body.get("tracker") or {}
    latest = tracker.get("latest_message") or {}
    arguments = dict(body.get("arguments") or {})
    arguments.pop("custom", None)
    arguments.pop(CARDS_ARGUMENT, None)
    extra_buttons = arguments.pop("extra_buttons", None) or []
    slots = tracker.get("slots") or {}
    values = {**store_values(store, slots), **slots, **arguments}
    return RenderRequest(
        response=body.get("response") or "",
        values={k: v for k, v in values.items() if isinstance(v, (str, int, float, list, dict))},
        channel=(body.get("channel") or {}).get("name"),
        previous_texts=previous_bot_texts(tracker),
        conversation_id=tracker.get("sender_id") or "",
        style=store.style,
        shopper_text=latest.get("text"),
        extra_buttons=tuple(b for b in extra_buttons if isinstance(b, dict))[:6],
    )


def to_rasa_message(rendered: Rendered, body: dict[str, Any], library: ScriptLibrary) -> dict[str, Any]:
    """Rasa's NLG response format; product cards ride along in `custom`, their reasons and lines worded and
    guarded here. Rasa keeps the other keys as the bot event's metadata: the variant sent (-1: the guard's
    fallback) and the rules of each variant the reply guard replaced, which the console's transcript shows."""
    message: dict[str, Any] = {"text": rendered.text, "buttons": rendered.buttons or None,
                               "variant": rendered.variant}
    if rendered.rejected:
        message["guard"] = [[{"rule": v.rule, "span": v.span} for v in violations]
                            for _text, violations in rendered.rejected]
    custom = (body.get("arguments") or {}).get(CARDS_ARGUMENT)
    if isinstance(custom, dict):
        cards = custom.get("cards")
        message["custom"] = {**custom, "cards": word_cards(library, cards)} if isinstance(cards, list) else custom
    return message
