"""Shopper sessions on the socket.io channel: a connection needs a signed session token (`auth: {"token"}`),
and may join and speak only in the session the token was issued for.

Replaces Rasa's connect, session_request and user-message handlers on the channel's server; metadata sent as a
string that is not JSON is dropped (the message still goes through), never the message itself.
"""
from __future__ import annotations

import json
import logging
from typing import Any, Awaitable, Callable

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.socketio import SocketIOOutput

from bot.security.tokens import shopper_session

log = logging.getLogger("store.channel")


def parse_metadata(raw: Any) -> dict[str, Any]:
    """The message's metadata as a dict: a dict as it is, a JSON object string decoded, anything else empty."""
    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except ValueError:
            log.info("socket.io metadata is not JSON; the message goes on without it")
            return {}
    return raw if isinstance(raw, dict) else {}


def install_session_guard(channel: Any, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> None:
    """Register the checked handlers on `channel.sio` (after Rasa's blueprint created the server)."""
    sio, namespace = channel.sio, channel.namespace
    sessions: dict[str, str] = {}  # socket id -> the session id its token proves

    @sio.on("connect", namespace=namespace)
    async def connect(sid: str, _environ: dict, auth: Any = None) -> bool:
        session = shopper_session(auth.get("token") if isinstance(auth, dict) else None)
        if session is None:
            log.info("socket.io connection %s refused: no valid session token", sid)
            return False
        sessions[sid] = session
        return True

    @sio.on("disconnect", namespace=namespace)
    async def disconnect(sid: str) -> None:
        sessions.pop(sid, None)

    @sio.on("session_request", namespace=namespace)
    async def session_request(sid: str, data: Any) -> None:
        wanted = data.get("session_id") if isinstance(data, dict) else None
        session = sessions.get(sid)
        if session is None or (wanted is not None and wanted != session):
            log.warning("socket.io %s asked for session %r its token does not cover; disconnected", sid, wanted)
            await sio.emit("session_refused", {"error": "session id does not match the token"}, room=sid)
            await sio.disconnect(sid, namespace=namespace)
            return
        if channel.session_persistence:
            sio.enter_room(sid, session, namespace=namespace)
        await sio.emit("session_confirm", session, room=sid)

    @sio.on(channel.user_message_evt, namespace=namespace)
    async def handle_message(sid: str, data: Any) -> None:
        session = sessions.get(sid)
        if not isinstance(data, dict) or session is None or data.get("session_id", session) != session:
            log.warning("socket.io %s: message for another session ignored", sid)
            return
        text = data.get("message")
        if not isinstance(text, str):
            return
        message = UserMessage(text, SocketIOOutput(sio, channel.bot_message_evt), session,
                              input_channel=channel.name(), metadata=parse_metadata(data.get(channel.metadata_key)))
        await on_new_message(message)
