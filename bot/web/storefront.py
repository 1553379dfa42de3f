"""Demo storefront pages, the chat widget's assets and its history endpoint (proxied from Rasa's tracker).

Pages are one HTML shell (templates/shop.html) filled with escaped values; static/shop.js renders the data with
textContent only. Every page carries a Content-Security-Policy without inline scripts.
"""
from __future__ import annotations

import re
from html import escape
from pathlib import Path
from string import Template
from typing import Any
from urllib.parse import urlsplit

import httpx
from sanic import Blueprint, response
from sanic.request import Request

from bot.catalog.products import get_product
from bot.conversation.events import intent_of, is_external
from bot.db.scope import in_worker
from bot.handoff.service import HUMAN_AGENT_KEY
from bot.orders import service as orders
from bot.rasa_client import conversation_events
from bot.reminders.sender import REMINDER_ENTITY
from bot.reminders.service import mark_reminders_seen, unseen_reminders
from bot.security.origins import allowed_origins
from bot.security.tokens import issue_shopper_token, new_session_id
from bot.settings import get_settings
from bot.store.config import load_store
from bot.web.limits import validated
from bot.web.schemas import EMPTY
from bot.web.units import per_request

HERE = Path(__file__).resolve().parent
SHELL = Template((HERE / "templates" / "shop.html").read_text(encoding="utf-8"))
CONVERSATION_ID = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
HISTORY_LIMIT = 200

bp = per_request(Blueprint("storefront"))
bp.static("/static", str(HERE / "static"), name="static")


def chat_server(request: Request) -> str:
    """Rasa's URL as the shopper's browser reaches it: a local Rasa is on the host the browser used for us."""
    rasa = urlsplit(get_settings().rasa_url)
    if rasa.hostname in {"localhost", "127.0.0.1"} and request.host:
        host = urlsplit(f"//{request.host}").hostname or rasa.hostname
        return f"{rasa.scheme}://{host}" + (f":{rasa.port}" if rasa.port else "")
    return f"{rasa.scheme}://{rasa.netloc}"


def security_headers(server: str) -> dict[str, str]:
    """No inline scripts or styles; the widget talks to Rasa by long-polling (plain HTTP requests)."""
    csp = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
           f"connect-src 'self' {server}; object-src 'none'; base-uri 'none'; form-action 'self'; "
           "frame-ancestors 'self'")
    return {"Content-Security-Policy": csp, "X-Content-Type-Options": "nosniff",
            "Referrer-Policy": "same-origin"}


def page(request: Request, view: str, status: int = 200, sku: str = "", order_id: str = ""):
    server = chat_server(request)
    store = load_store()
    title = request.app.ctx.library.get().fragments.get(f"page_title_{view}", store.name)
    values = {"title": f"{title} · {store.name}", "store_name": store.name, "store_id": store.id,
              "view": view, "sku": sku, "order_id": order_id, "server": server}
    html = SHELL.substitute({k: escape(v, quote=True) for k, v in values.items()})
    return response.html(html, status=status, headers=security_headers(server))


@bp.get("/")
async def home(request: Request):
    return page(request, "home")


@bp.get("/products/<sku>")
async def product_page(request: Request, sku: str):
    product = await in_worker(get_product, sku)
    return page(request, "product", sku=sku) if product else page(request, "missing", status=404)


@bp.get("/cart")
async def cart_page(request: Request):
    return page(request, "cart")


@bp.get("/orders/<order_id>/pay")
async def pay_page(request: Request, order_id: str):
    order = await in_worker(orders.get_order, order_id)
    return page(request, "pay", order_id=order_id) if order else page(request, "missing", status=404)


@bp.get("/api/products/<sku>")
async def product_detail(_: Request, sku: str):
    product = await in_worker(get_product, sku)
    if product is None:
        return response.json({"error": f"unknown sku {sku}"}, status=404)
    return response.json(product.as_json())


def _user_entry(event: dict[str, Any]) -> dict[str, Any] | None:
    metadata = event.get("metadata") or {}
    if metadata.get("is_external") or metadata.get("hidden") or is_external(intent_of(event)):
        return None
    text = metadata.get("display_text") or event.get("text") or ""
    return {"role": "user", "text": text} if text else None


def _bot_entry(event: dict[str, Any]) -> dict[str, Any] | None:
    data = event.get("data") or {}
    buttons = data.get("buttons") or data.get("quick_replies") or []
    entry = {"role": "bot", "text": event.get("text") or "",
             "buttons": [{"title": b.get("title"), "payload": b.get("payload")} for b in buttons if b.get("title")],
             "custom": data.get("custom") if isinstance(data.get("custom"), dict) else None,
             "agent": (event.get("metadata") or {}).get(HUMAN_AGENT_KEY)}   # a human agent's reply: their name
    return entry if entry["text"] or entry["custom"] else None


def _reminder_id(event: dict[str, Any]) -> int | None:
    """The outbox id an external event of the reminder scheduler carries (None for anything else)."""
    if not is_external(intent_of(event)):
        return None
    entities = (event.get("parse_data") or {}).get("entities") or []
    value = str(next((e.get("value") for e in entities if e.get("entity") == REMINDER_ENTITY), ""))
    return int(value) if value.isdigit() else None


def history_from_events(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """What the shopper saw: their own messages (button titles, not payloads) and the bot's messages.

    A bot message the reminder scheduler pushed carries its outbox id as `reminder_id` (see `mark_unread`).
    """
    entries = []
    pushed: int | None = None
    for event in events:
        kind = event.get("event")
        if kind == "user":
            pushed = _reminder_id(event)
        entry = _user_entry(event) if kind == "user" else _bot_entry(event) if kind == "bot" else None
        if entry:
            entry["timestamp"] = event.get("timestamp")
            if kind == "bot" and pushed is not None:
                entry["reminder_id"] = pushed
            entries.append(entry)
    return entries[-HISTORY_LIMIT:]


def mark_unread(entries: list[dict[str, Any]], unseen: set[int]) -> list[dict[str, Any]]:
    """`unread: true` on pushed messages the shopper has not seen yet; outbox ids stay on the server."""
    for entry in entries:
        reminder_id = entry.pop("reminder_id", None)
        if reminder_id in unseen:
            entry["unread"] = True
    return entries


@bp.post("/api/chat/session")
async def chat_session(request: Request):
    """A new shopper session: its id (the Rasa conversation id) and the signed token that proves it."""
    session_id = new_session_id()
    return response.json({"session_id": session_id, "token": issue_shopper_token(session_id)}, status=201,
                         headers=cors_headers(request))


@bp.get("/api/chat/<conversation_id>/history")
async def chat_history(request: Request, conversation_id: str):
    """Only the session's own token reads its history (Authorization: Bearer <token> or ?token=)."""
    if not CONVERSATION_ID.match(conversation_id):
        return response.json({"error": "conversation id must be 8-64 letters, digits, _ or -"}, 400)
    if request.ctx.shopper != conversation_id:
        return response.json({"error": "this token belongs to another chat session"}, 403)
    try:
        events = await conversation_events(conversation_id)
    except (httpx.HTTPError, ValueError) as exc:
        return response.json({"error": f"chat history unavailable: {exc}"}, 502)
    entries = history_from_events(events)
    pushed = [e["reminder_id"] for e in entries if "reminder_id" in e]
    unseen = await in_worker(unseen_reminders, conversation_id, pushed) if pushed else set()
    return response.json({"conversation_id": conversation_id, "messages": mark_unread(entries, unseen)},
                         headers=cors_headers(request))


@bp.post("/api/chat/<conversation_id>/seen")
@validated(EMPTY)
async def chat_seen(request: Request, conversation_id: str, body: dict):
    """The widget was opened: what the scheduler pushed into this chat so far counts as seen."""
    if request.ctx.shopper != conversation_id:
        return response.json({"error": "this token belongs to another chat session"}, 403)
    seen = await in_worker(mark_reminders_seen, conversation_id)
    return response.json({"conversation_id": conversation_id, "seen": seen}, headers=cors_headers(request))


def cors_headers(request: Request) -> dict[str, str]:
    """The widget may sit on any of the store's own origins, and only there."""
    origin = request.headers.get("origin")
    return {"Access-Control-Allow-Origin": origin, "Vary": "Origin"} if origin in allowed_origins() else {}
