"""The agent workspace's actions on a conversation: claim, reply, release, and the notices the shopper hears.
Messages reach the shopper through Rasa's API (bot/rasa_client.py), so they are in the chat history too."""
from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from typing import Any

from bot import rasa_client
from bot.conversation.events import cards_of, intent_of, is_external
from bot.handoff import queue
from bot.handoff.assist import Finding, check_draft, context_from, shopper_text_of
from bot.handoff.config import load_handoff_config
from bot.handoff.replies import learn_from_agent, record_reply
from bot.handoff.service import HUMAN_AGENT_KEY
from bot.scripts.live import LiveLibrary
from bot.scripts.render import RenderRequest, render
from bot.store.config import load_store

log = logging.getLogger("store.handoff")


def display_name(username: str) -> str:
    """The name shoppers see: the store persona whose id is the username (store.yml agents), else the username."""
    return next((a.get("name") or username for a in load_store().agents if a.get("id") == username), username)


def bot_texts(events: list[dict[str, Any]]) -> tuple[str, ...]:
    return tuple(e.get("text") or "" for e in events if e.get("event") == "bot" and e.get("text"))


def history(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The chat as the agent reads it: shopper, bot and agent turns with product cards, oldest first."""
    entries = []
    for event in events:
        metadata = event.get("metadata") or {}
        if event.get("event") == "user" and not is_external(intent_of(event)) and not metadata.get("hidden"):
            entries.append({"role": "shopper", "text": shopper_text_of(event), "intent": intent_of(event),
                            "timestamp": event.get("timestamp")})
        elif event.get("event") == "bot" and (event.get("text") or cards_of(event)):
            role = "agent" if metadata.get(HUMAN_AGENT_KEY) else "notice" if metadata.get("handoff") else "bot"
            entries.append({"role": role, "text": event.get("text") or "", "agent": metadata.get(HUMAN_AGENT_KEY),
                            "cards": cards_of(event), "timestamp": event.get("timestamp")})
    return entries


async def notify(library: LiveLibrary, conversation_id: str, response: str, state: str,
                 events: list[dict[str, Any]] | None = None, **values: str) -> None:
    """A script-library notice in the shopper's chat (agent joined, released, still waiting…)."""
    store = load_store()
    rendered = render(library.get(), RenderRequest(response=response, values=values, conversation_id=conversation_id,
                                                   previous_texts=bot_texts(events or []), style=store.style))
    if rendered.text:
        await rasa_client.say_to_shopper(conversation_id, rendered.text, {"handoff": state})


async def claim(library: LiveLibrary, conversation_id: str, username: str) -> str:
    """Claim for the agent; the bot pauses and the shopper hears who joined. Returns queue.claim's answer."""
    result = await asyncio.to_thread(queue.claim, conversation_id, username)
    if result == "claimed":
        await rasa_client.pause_conversation(conversation_id)
        await notify(library, conversation_id, "utter_handoff_agent_joined", "claimed", agent=display_name(username))
    return result


@dataclass(frozen=True)
class Sent:
    status: str                        # sent | not_claimed
    findings: tuple[Finding, ...] = ()
    learned: bool = False


async def send(library: LiveLibrary, conversation_id: str, username: str, text: str) -> Sent:
    """The agent's reply in the shopper's widget with the agent's name, recorded with its rule findings."""
    if await asyncio.to_thread(queue.claimed_by, conversation_id) != username:
        return Sent("not_claimed")
    events = await rasa_client.conversation_events(conversation_id)
    item = await asyncio.to_thread(queue.current, conversation_id)
    findings = check_draft(text, context_from(events, item.reason if item else None), library.get(),
                           load_store().style)
    await rasa_client.say_to_shopper(conversation_id, text, {HUMAN_AGENT_KEY: display_name(username),
                                                                    "handoff": "claimed"})
    await asyncio.to_thread(record_reply, conversation_id, username, text, findings, item.id if item else None)
    learned = await asyncio.to_thread(learn_from_agent, conversation_id, events, text)
    return Sent("sent", tuple(findings), learned)


async def release(library: LiveLibrary, conversation_id: str, username: str | None) -> int:
    """Back to the bot: the handoff closes, the conversation resumes, the shopper is told."""
    agent = await asyncio.to_thread(queue.claimed_by, conversation_id)
    released = await asyncio.to_thread(queue.release, conversation_id)
    await rasa_client.resume_conversation(conversation_id)
    if released:
        await notify(library, conversation_id, "utter_handoff_released", "released",
                     agent=display_name(agent or username or ""))
    return released


async def watch(library: LiveLibrary, interval: float = 2.0) -> None:
    """Background task of every web app: requeue chats of agents gone offline, speak to shoppers waiting too
    long (and flag them for the manager). Each change is claimed in the database by one process only."""
    while True:
        try:
            swept = await asyncio.to_thread(queue.sweep, load_handoff_config())
            for conversation_id, response in ([(c, "utter_handoff_requeued") for c in swept.requeued]
                                              + [(c, "utter_handoff_still_waiting") for c in swept.overdue]):
                item = await asyncio.to_thread(queue.current, conversation_id)
                await notify(library, conversation_id, response, "waiting",
                             position=str(item.position if item and item.position else 1))
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # noqa: BLE001  (the watchdog must outlive a failed pass: the next one retries)
            log.warning("handoff watchdog pass failed: %s", exc)
        await asyncio.sleep(interval)
