"""One Rasa turn per ask: a message with two questions gets both answered, in order."""
from __future__ import annotations

import logging
from typing import Any, Awaitable, Callable

from rasa.core.channels.channel import UserMessage
from sanic import Sanic
from sanic.exceptions import SanicException

from bot.conversation.asks import split_asks
from channels.escalation import escalate

log = logging.getLogger("store.asks")
Parse = Callable[[str], Awaitable[dict[str, Any]]]
# Intents that never stand alone as an ask: they join the ask next to them.
SENTENCE_ENDS = ("？", "?", "！", "!", "。", "；", ";")   # a question of its own, even with the same intent
DEPENDENT = {"greet", "thank", "affirm", "deny", "provide_info", "nlu_fallback"}


async def merge_by_intent(asks: list[str], parse: Parse) -> list[str]:
    """Join neighbouring comma clauses the NLU reads as the same request, and asks that cannot stand alone."""
    intents = [((await parse(a)).get("intent") or {}).get("name") for a in asks]
    merged: list[tuple[str, str | None]] = []
    for text, intent in zip(asks, intents, strict=False):
        if intent == "nlu_fallback" and text.rstrip().endswith(SENTENCE_ENDS):
            intent = None                      # 能刻字吗？ is a question of its own, even unknown: never dropped
        same_request = intent == merged[-1][1] and not merged[-1][0].rstrip().endswith(SENTENCE_ENDS) if merged else False
        if merged and (same_request or intent in DEPENDENT):
            merged[-1] = (merged[-1][0] + text, merged[-1][1])
        elif merged and merged[-1][1] in DEPENDENT:
            merged[-1] = (merged[-1][0] + text, intent)
        else:
            merged.append((text, intent))
    return [text for text, _ in merged]


def server_parser() -> Parse | None:
    """The NLU of the agent this Rasa server runs (Rasa's Sanic app keeps it in `app.ctx.agent`)."""
    for name in ("rasa_server", "rasa_core_no_api"):
        try:
            agent = getattr(Sanic.get_app(name).ctx, "agent", None)
        except SanicException:
            continue
        if agent is not None and agent.is_ready():
            return agent.parse_message
    return None


async def handle_asks(message: UserMessage, on_new_message: Callable[[UserMessage], Awaitable[Any]],
                      parse: Parse | None = None) -> None:
    """Hand each ask of the message to Rasa in turn, on the same output channel and metadata; a message with an
    escalation keyword goes to a human whole (channels/escalation.py)."""
    message = await escalate(message)
    asks = split_asks(message.text or "")
    parse = parse or (server_parser() if len(asks) > 1 else None)
    if len(asks) > 1 and parse is not None:
        asks = await merge_by_intent(asks, parse)
    if len(asks) < 2:
        await on_new_message(message)
        return
    log.info("message from %s carries %d asks", message.sender_id, len(asks))
    for index, text in enumerate(asks):
        metadata = {**(message.metadata or {}), "ask": {"index": index + 1, "of": len(asks), "text": message.text}}
        await on_new_message(UserMessage(
            text, message.output_channel, message.sender_id, input_channel=message.input_channel,
            message_id=f"{message.message_id}-{index + 1}" if message.message_id else None, metadata=metadata))
