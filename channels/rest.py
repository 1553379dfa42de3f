"""Rasa's REST channel (same name and URL, `/webhooks/rest/webhook`) with the socket.io channel's limits and
one turn per ask of a message."""
from __future__ import annotations

from typing import Any, Awaitable, Callable

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint

from channels.asks import handle_asks
from channels.socketio import MAX_MESSAGE_CHARS, clean_metadata


class StoreRestInput(RestInput):
    """`rest` as shoppers' apps and tests call it; text and metadata limited like the widget's channel."""

    @classmethod
    def name(cls) -> str:
        return "rest"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        async def handle(message: UserMessage) -> None:
            message.text = (message.text or "")[:MAX_MESSAGE_CHARS]
            message.metadata = clean_metadata(message.metadata)
            await handle_asks(message, on_new_message)

        return super().blueprint(handle)
