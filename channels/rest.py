"""The REST channel (`/webhooks/rest/webhook`) for shoppers with a signed session: `Authorization: Bearer
<token>` from `POST /api/chat/session`, and `sender` equal to that session id. Text and metadata get the same
limits as on the socket.io channel, and one Rasa turn per ask of a message; streaming responses are not offered.
"""
from __future__ import annotations

import json
import logging
from typing import Any, Awaitable, Callable

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.request import Request

from bot.security.tokens import bearer, shopper_session
from channels.asks import handle_asks
from channels.socketio import MAX_MESSAGE_CHARS, clean_metadata

log = logging.getLogger("store.channel.rest")
MAX_BODY_BYTES = 16 * 1024


def _error(message: str, status: int):
    return response.json({"error": message}, status=status)


class StoreRestInput(RestInput):
    """Rasa's REST channel behind a session check and input limits; keeps the name `rest` (same URL)."""

    @classmethod
    def name(cls) -> str:
        return "rest"

    async def deliver(self, on_new_message: Callable[[UserMessage], Awaitable[Any]], sender_id: str, text: str,
                      metadata: dict[str, Any]) -> list[dict[str, Any]]:
        """Hand one checked shopper message to Rasa; returns the bot's messages of this turn."""
        collector = CollectingOutputChannel()
        message = UserMessage(text, collector, sender_id, input_channel=self.name(), metadata=metadata)
        await handle_asks(message, on_new_message)      # one turn per ask: 能开发票吗？明天能到吗
        return collector.messages

    def checked(self, request: Request) -> tuple[str, str, dict[str, Any]] | Any:
        """(sender, text, metadata) of an acceptable request, else the error response to send."""
        if len(request.body or b"") > MAX_BODY_BYTES:
            return _error(f"request body over {MAX_BODY_BYTES} bytes", 413)
        session = shopper_session(bearer(request.headers.get("authorization")))
        if session is None:
            return _error("a valid shopper session token is required (Authorization: Bearer <token>)", 401)
        try:
            body = json.loads(request.body or b"")
        except (ValueError, UnicodeDecodeError):
            return _error("request body must be JSON", 400)
        if not isinstance(body, dict) or not isinstance(body.get("message"), str):
            return _error('body must be {"sender": ..., "message": "<text>"}', 400)
        if body.get("sender") != session:
            return _error("sender must be the session id of the token", 403)
        text = body["message"][:MAX_MESSAGE_CHARS]
        return session, text, clean_metadata(body.get("metadata"))

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = Blueprint("store_rest_webhook", __name__)

        @webhook.route("/", methods=["GET"])
        async def health(_: Request):
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request):
            checked = self.checked(request)
            if not isinstance(checked, tuple):
                return checked
            sender, text, metadata = checked
            try:
                messages = await self.deliver(on_new_message, sender, text, metadata)
            except Exception:  # noqa: BLE001 - as Rasa's channel: the shopper gets an empty answer, not a 500
                log.exception("rest message from %s failed", sender)
                messages = []
            return response.json(messages)

        return webhook
