"""Calls into the Rasa server's HTTP API (resume a conversation, trigger an intent)."""
from __future__ import annotations

from typing import Any
from urllib.parse import quote

import httpx

from bot.security.rasa_auth import rasa_params
from bot.settings import get_settings


async def resume_conversation(conversation_id: str, base_url: str | None = None) -> None:
    url = f"{base_url or get_settings().rasa_url}/conversations/{quote(conversation_id, safe='')}/tracker/events"
    async with httpx.AsyncClient(timeout=10) as client:
        response = await client.post(url, params=rasa_params(), json=[{"event": "resume"}])
        response.raise_for_status()


async def trigger_intent(conversation_id: str, intent: str, entities: dict[str, Any] | None = None,
                         base_url: str | None = None) -> dict[str, Any]:
    """Push an external event into the shopper's open chat (output_channel=latest)."""
    url = (f"{base_url or get_settings().rasa_url}/conversations/{quote(conversation_id, safe='')}"
           "/trigger_intent")
    async with httpx.AsyncClient(timeout=30) as client:
        response = await client.post(url, params=rasa_params(output_channel="latest"),
                                     json={"name": intent, "entities": entities or {}})
        response.raise_for_status()
        return response.json()
