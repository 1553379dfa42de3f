"""The one client of the Rasa server's HTTP API, carrying its auth token: send a shopper message, read a
conversation's events, resume a conversation, trigger an external intent; and of the NLG endpoint in Rasa's
format (the channel's holding message). Every internal caller (reminders, notices, handoffs, chat history,
exams, the channel's silence nudges and holding messages) goes through it."""
from __future__ import annotations

from typing import Any
from urllib.parse import quote

import httpx

from bot.security.rasa_auth import rasa_params
from bot.security.tokens import issue_shopper_token
from bot.settings import get_settings


async def send_message(sender: str, text: str, metadata: dict[str, Any] | None = None,
                       base_url: str | None = None) -> list[dict[str, Any]]:
    """A shopper message through the REST channel, with a session token for `sender` signed here (internal
    callers hold SESSION_SECRET); returns the bot's messages (text, buttons, custom)."""
    url = f"{base_url or get_settings().rasa_url}/webhooks/rest/webhook"
    headers = {"Authorization": f"Bearer {issue_shopper_token(sender)}"}
    async with httpx.AsyncClient(timeout=60) as client:
        response = await client.post(url, headers=headers,
                                     json={"sender": sender, "message": text, "metadata": metadata or {}})
        response.raise_for_status()
        return response.json()


def _conversation_url(conversation_id: str, base_url: str | None) -> str:
    return f"{(base_url or get_settings().rasa_url).rstrip('/')}/conversations/{quote(conversation_id, safe='')}"


async def conversation_events(conversation_id: str, base_url: str | None = None, timeout: float = 5.0,
                              all_sessions: bool = False) -> list[dict[str, Any]]:
    """The events of a conversation's tracker (the latest session, or every session)."""
    params = rasa_params(include_events="ALL") if all_sessions else rasa_params()
    async with httpx.AsyncClient(timeout=timeout) as client:
        response = await client.get(f"{_conversation_url(conversation_id, base_url)}/tracker", params=params)
        response.raise_for_status()
        return response.json().get("events") or []


async def resume_conversation(conversation_id: str, base_url: str | None = None) -> None:
    """The bot answers again. A paused conversation never listened after the handoff action, so the resume is
    followed by `action_listen`: the shopper's next message then meets the rules as any other turn does."""
    url = f"{_conversation_url(conversation_id, base_url)}/tracker/events"
    async with httpx.AsyncClient(timeout=10) as client:
        response = await client.post(url, params=rasa_params(),
                                     json=[{"event": "resume"}, {"event": "action", "name": "action_listen"}])
        response.raise_for_status()


async def trigger_intent(conversation_id: str, intent: str, entities: dict[str, Any] | None = None,
                         base_url: str | None = None, timeout: float = 30.0) -> dict[str, Any]:
    """Push an external event into the shopper's open chat (output_channel=latest). A conversation whose
    latest channel returns nothing by itself (REST) gets the bot's messages in the answer's `messages`."""
    url = f"{_conversation_url(conversation_id, base_url)}/trigger_intent"
    async with httpx.AsyncClient(timeout=timeout) as client:
        response = await client.post(url, params=rasa_params(output_channel="latest"),
                                     json={"name": intent, "entities": entities or {}})
        response.raise_for_status()
        return response.json()


async def load_model(model_file: str, base_url: str | None = None, timeout: float = 600.0) -> None:
    """Make the running Rasa server serve a newly trained model (Rasa's `PUT /model`)."""
    url = f"{(base_url or get_settings().rasa_url).rstrip('/')}/model"
    async with httpx.AsyncClient(timeout=timeout) as client:
        response = await client.put(url, params=rasa_params(), json={"model_file": model_file})
        response.raise_for_status()


async def append_events(conversation_id: str, events: list[dict[str, Any]], base_url: str | None = None,
                        timeout: float = 10.0) -> None:
    """Add events to the conversation; bot messages among them reach the shopper's open chat (the latest
    channel's output: socket.io rooms are shared through Redis when scaled out, so any instance delivers)."""
    url = f"{_conversation_url(conversation_id, base_url)}/tracker/events"
    params = rasa_params(output_channel="latest", execute_side_effects="true")
    async with httpx.AsyncClient(timeout=timeout) as client:
        response = await client.post(url, params=params, json=events)
        response.raise_for_status()


async def pause_conversation(conversation_id: str, base_url: str | None = None) -> None:
    """The bot stays silent (the shopper's messages are still recorded) until `resume_conversation`."""
    await append_events(conversation_id, [{"event": "pause"}], base_url)


async def say_to_shopper(conversation_id: str, text: str, metadata: dict[str, Any] | None = None,
                         base_url: str | None = None) -> None:
    """A message in the shopper's chat and in the conversation's history (a human agent's reply, a notice)."""
    await append_events(conversation_id, [{"event": "bot", "text": text, "metadata": metadata or {}}], base_url)


async def render_response(response: str, conversation_id: str, previous_texts: list[str], channel: str,
                          nlg_url: str | None = None, timeout: float = 1.5) -> dict[str, Any]:
    """A response worded by the NLG endpoint as Rasa would ask for it, avoiding the texts already sent."""
    body = {"response": response, "arguments": {}, "channel": {"name": channel},
            "tracker": {"sender_id": conversation_id, "events": [{"event": "bot", "text": t} for t in previous_texts]}}
    async with httpx.AsyncClient(timeout=timeout) as client:
        reply = await client.post(nlg_url or get_settings().nlg_url, params=rasa_params(), json=body)
        reply.raise_for_status()
        return reply.json()
