"""Socket.IO channel with the service rules that need timing: holding messages, silence nudges, first response.

It keeps Rasa's `socketio` name, so `trigger_intent?output_channel=latest` reaches the shopper's open widget.
The chat widget (bot/web/static/widget.js) sends page context as message metadata; only the keys below pass.
"""
from __future__ import annotations

import asyncio
import logging
import time
from datetime import UTC, datetime
from typing import Any, Awaitable, Callable

import httpx
import socketio
from cachetools import TTLCache
from rasa.core.channels.channel import UserMessage
from rasa.core.channels.socketio import SocketIOInput, SocketIOOutput
from sanic import Blueprint

from bot import engagement
from bot.handoff.service import HUMAN_AGENT_KEY
from bot.rasa_client import render_response, trigger_intent
from bot.settings import get_settings
from channels.asks import handle_asks
from channels.session_guard import install_session_guard

log = logging.getLogger("store.channel")
MAX_MESSAGE_CHARS = 500
CONVERSATIONS_KEPT, CONVERSATION_TTL = 10_000, 24 * 3600   # bounded per-conversation memory of a channel
MAX_CART_ITEMS = 50
MAX_FIELD_CHARS = 120
SPEAKER_KEYS = (HUMAN_AGENT_KEY, "handoff")   # bot-message metadata the widget shows (bot/handoff/workspace.py)


def clean_metadata(metadata: Any) -> dict[str, Any]:
    """Keep only the page context the actions read: product_sku, cart [{sku, qty}], display_text, hidden."""
    if not isinstance(metadata, dict):
        return {}
    cleaned: dict[str, Any] = {}
    for key in ("product_sku", "display_text"):
        value = metadata.get(key)
        if isinstance(value, str) and value.strip():
            cleaned[key] = value.strip()[:MAX_FIELD_CHARS]
    cart = metadata.get("cart")
    if isinstance(cart, list):
        cleaned["cart"] = [
            {"sku": item["sku"][:MAX_FIELD_CHARS], "qty": item["qty"] if isinstance(item.get("qty"), int) else 1}
            for item in cart[:MAX_CART_ITEMS] if isinstance(item, dict) and isinstance(item.get("sku"), str)
        ]
    if metadata.get("hidden") is True:
        cleaned["hidden"] = True
    return cleaned


class StoreSocketIOOutput(SocketIOOutput):
    """Rasa's socket.io output, except that custom payloads (product cards) arrive as `{"custom": {...}}`.

    Rasa's own `send_custom_json` passes the payload's keys to `sio.emit` as keyword arguments, which fails for
    any payload that is not shaped like emit's parameters.
    """

    async def send_custom_json(self, recipient_id: str, json_message: dict[str, Any], **kwargs: Any) -> None:
        await self._send_message(recipient_id, {"custom": json_message})

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        """As Rasa's, plus who speaks: a human agent's name and the handoff state ride in `metadata`."""
        metadata = {key: kwargs[key] for key in SPEAKER_KEYS if kwargs.get(key)}
        for part in text.strip().split("\n\n"):
            await self._send_message(recipient_id, {"text": part, "metadata": metadata} if metadata else {"text": part})


class RecordingOutput(StoreSocketIOOutput):
    """Sends as Rasa does and remembers what went out in this turn, and when."""

    def __init__(self, sio: Any, bot_message_evt: str) -> None:
        super().__init__(sio, bot_message_evt)
        self.sent: list[dict[str, Any]] = []
        self.first_sent_at: float | None = None

    async def _send_message(self, socket_id: str, response: Any) -> None:
        if self.first_sent_at is None:
            self.first_sent_at = time.monotonic()
        self.sent.append(response)
        await super()._send_message(socket_id, response)


class StoreSocketIOInput(SocketIOInput):
    """Rasa's socket.io channel plus holding messages, typing-aware silence nudges and first-response timing."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        settings = get_settings()
        self.slow_turn_seconds = settings.slow_turn_seconds
        self.nudge_seconds = settings.silence_nudge_seconds
        self.nlg_url = settings.nlg_url
        self.redis_url = settings.socketio_redis_url
        self._timers: dict[str, asyncio.Task] = {}     # one pending nudge per sender, removed when it fires
        # per-conversation memory of this process, bounded: holding texts already sent (so the next differs)
        # and conversations whose first response is recorded (the database keeps only the first anyway)
        self._holding_sent: TTLCache[str, list[str]] = TTLCache(maxsize=CONVERSATIONS_KEPT, ttl=CONVERSATION_TTL)
        self._seen: TTLCache[str, bool] = TTLCache(maxsize=CONVERSATIONS_KEPT, ttl=CONVERSATION_TTL)

    def get_output_channel(self) -> StoreSocketIOOutput | None:
        """The output for proactive messages (trigger_intent with output_channel=latest)."""
        return StoreSocketIOOutput(self.sio, self.bot_message_evt) if self.sio is not None else None

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        async def handle(message: UserMessage) -> None:
            await self._handle(message, on_new_message)

        blueprint = super().blueprint(handle)
        install_session_guard(self, handle)  # a signed session token per connection (channels/session_guard.py)
        # Sanic 21.12's websocket receive passes a bare coroutine to asyncio.wait, which Python 3.11 rejects, so
        # upgraded connections break ("Invalid frame header"). Long-polling works: never offer the upgrade.
        self.sio.eio.transports = ["polling"]
        if self.redis_url:
            self._share_sockets_through_redis()

        @self.sio.on("user_typing", namespace=self.namespace)
        async def user_typing(_sid: str, data: dict) -> None:
            session_id = (data or {}).get("session_id")
            if session_id and session_id in self._timers:
                self._schedule_nudge(session_id)

        return blueprint

    def _share_sockets_through_redis(self) -> None:
        """Several Rasa instances: a message emitted on any of them reaches the socket held by another one.

        Rasa builds its AsyncServer without a client manager; python-socketio initialises the manager on first
        use, so swapping it before any traffic is safe.
        """
        manager = socketio.AsyncRedisManager(self.redis_url)
        manager.set_server(self.sio)
        self.sio.manager = manager
        log.info("socket.io rooms shared through %s", self.redis_url)

    async def _handle(self, message: UserMessage, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> None:
        sender = message.sender_id
        if len(message.text or "") > MAX_MESSAGE_CHARS:
            log.info("message from %s cut from %d to %d characters", sender, len(message.text), MAX_MESSAGE_CHARS)
            message.text = message.text[:MAX_MESSAGE_CHARS]
        message.metadata = clean_metadata(message.metadata)
        self._cancel_nudge(sender)
        output = RecordingOutput(self.sio, self.bot_message_evt)
        message.output_channel = output
        received, started = datetime.now(UTC), time.monotonic()
        turn = asyncio.ensure_future(handle_asks(message, on_new_message))
        done, _ = await asyncio.wait({turn}, timeout=self.slow_turn_seconds)
        if not done and not output.sent:
            await self._send_holding(output, sender)
        await turn
        if sender not in self._seen and output.first_sent_at is not None:
            self._seen[sender] = True
            await engagement.record_first_response(sender, received, output.first_sent_at - started)
        if engagement.asks_question([m for m in output.sent if "custom" not in m]):
            self._schedule_nudge(sender)

    async def _send_holding(self, output: RecordingOutput, sender: str) -> None:
        sent = self._holding_sent.setdefault(sender, [])
        try:
            reply = await render_response("utter_holding", sender, sent, self.name(), self.nlg_url)
        except (httpx.HTTPError, ValueError) as exc:
            log.warning("holding message unavailable: %s", exc)
            return
        if reply.get("text"):
            sent.append(reply["text"])
            await output.send_text_message(sender, reply["text"])
            await engagement.count_holding_message(sender)

    def _cancel_nudge(self, sender: str) -> None:
        task = self._timers.pop(sender, None)
        if task is not None:
            task.cancel()

    def _schedule_nudge(self, sender: str) -> None:
        self._cancel_nudge(sender)
        self._timers[sender] = asyncio.ensure_future(self._nudge_later(sender))

    async def _nudge_later(self, sender: str) -> None:
        try:
            await asyncio.sleep(self.nudge_seconds)
            self._timers.pop(sender, None)
            await trigger_intent(sender, "EXTERNAL_silence_nudge")
        except asyncio.CancelledError:
            return
        except httpx.HTTPError as exc:
            log.warning("silence nudge for %s failed: %s", sender, exc)
