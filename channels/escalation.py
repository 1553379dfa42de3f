"""Escalation keywords (store.yml `handoff.escalation_keywords`: 投诉, 315, 律师…): the shopper goes to a human at
once, flagged urgent, with no bot attempt first. The message becomes the request_human payload with the
shopper's words kept as its display text, so the agent and the history show what they wrote."""
from __future__ import annotations

import asyncio
import logging

from rasa.core.channels.channel import UserMessage

from bot.db.uow import AbstractUnitOfWork, run_in_unit_of_work
from bot.handoff import queue
from bot.handoff.config import load_handoff_config

log = logging.getLogger("store.channel")
REQUEST_HUMAN = "/request_human"
MAX_DISPLAY_CHARS = 500


def _urgent_if_queued(uow: AbstractUnitOfWork, conversation_id: str) -> bool:
    """Move a chat already queued for a human to the front; False when it is not queued."""
    current = queue.current(uow, conversation_id)
    if current is None or current.mode != "queue":
        return False
    queue.mark_urgent(uow, conversation_id)
    return True


async def escalate(message: UserMessage) -> UserMessage:
    """The message to hand to Rasa: unchanged, or the urgent request for a human it amounts to."""
    text = message.text or ""
    if text.startswith("/"):
        return message
    keyword = load_handoff_config().escalation_in(text)
    if keyword is None:
        return message
    if await asyncio.to_thread(run_in_unit_of_work, _urgent_if_queued, message.sender_id):
        return message                                                 # already with a human: to the front
    log.info("escalation keyword %r from %s: straight to a human", keyword, message.sender_id)
    metadata = {**(message.metadata or {}), "display_text": text[:MAX_DISPLAY_CHARS], "escalation": keyword}
    return UserMessage(REQUEST_HUMAN, message.output_channel, message.sender_id, input_channel=message.input_channel,
                       message_id=message.message_id, metadata=metadata)
