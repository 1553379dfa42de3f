"""Agent workspace API (brief: "Agent workspace") and the shopper's view of their handoff. Handlers adapt HTTP
to bot/handoff; blocking work runs in threads, Rasa calls are awaited."""
from __future__ import annotations

import asyncio
import logging
from typing import Any

import httpx
from sanic import Blueprint, response
from sanic.request import Request

from bot import rasa_client
from bot.catalog.products import list_products, products_of
from bot.db.scope import in_worker
from bot.handoff import queue, workspace
from bot.handoff.assist import check_draft, context_from
from bot.handoff.config import load_handoff_config
from bot.handoff.service import HUMAN_AGENT_KEY
from bot.handoff.suggest import product_suggestions, subject_of, suggested_replies
from bot.knowledge.service import LiveBank
from bot.orders.service import latest_order
from bot.scripts.render import RenderRequest, render
from bot.store.config import load_store
from bot.web.limits import MAX_BODY_BYTES, parse_body, validated
from bot.web.schemas import AGENT_MESSAGE, DRAFT_CHECK, EMPTY
from bot.web.storefront import cors_headers
from bot.web.units import per_request

log = logging.getLogger("store.web.agent")
bp = per_request(Blueprint("agent"))
CARD_RESPONSES = {"substitute": "utter_suggest_substitute", "complementary": "utter_suggest_complementary",
                  "latent": "utter_suggest_latent"}


def _error(message: str, status: int):
    return response.json({"error": message}, status=status)


def _rasa_down(exc: Exception):
    log.error("Rasa unavailable: %s", exc)
    return _error(f"the chat server is unavailable: {exc}", 502)


@bp.get("/api/handoffs")
async def list_queue(request: Request):
    """The queue (urgent first, then longest wait) and the claimed chats, as the brief's list; an agent listing
    it is online."""
    me = request.ctx.staff.username
    await in_worker(queue.touch, me, workspace.display_name(me))
    items = await in_worker(queue.queue)
    return response.json([i.as_json() for i in items])


@bp.get("/api/agent/status")
async def agent_status(request: Request):
    """Who the caller is (login and the name shoppers see) and which agents are online."""
    me = request.ctx.staff.username
    online = await in_worker(queue.online_agents, load_handoff_config())
    return response.json({"me": me, "my_name": workspace.display_name(me), "online_agents": online})


@bp.get("/api/handoffs/<conversation_id>")
async def conversation(request: Request, conversation_id: str):
    """Everything the agent needs: full history with product cards, summary, order, cart, products viewed."""
    item = await in_worker(queue.current, conversation_id)
    try:
        events = await rasa_client.conversation_events(conversation_id)
    except httpx.HTTPError as exc:
        return _rasa_down(exc)
    subject = await in_worker(subject_of, events)      # reads the product: off the event loop
    order = await in_worker(latest_order, conversation_id)
    viewed = [p.as_json() for p in await in_worker(products_of, item.summary.get("products", []) if item else [])]
    return response.json({"handoff": item.as_json() if item else None, "history": workspace.history(events),
                          "order": order.as_json() if order else None, "cart": list(subject.cart),
                          "product": subject.product.as_json() if subject.product else None, "viewed": viewed})


@bp.post("/api/handoffs/<conversation_id>/claim")
@validated(EMPTY)
async def claim(request: Request, conversation_id: str, body: dict):
    me = request.ctx.staff.username
    await in_worker(queue.touch, me, workspace.display_name(me))    # working a chat is being online
    try:
        result = await workspace.claim(request.app.ctx.library, conversation_id, request.ctx.staff.username)
    except httpx.HTTPError as exc:
        return _rasa_down(exc)
    if result == "none":
        return _error("no open handoff for this conversation", 404)
    if result == "taken":
        return _error("another agent has claimed this conversation", 409)
    return response.json({"claimed": True, "conversation_id": conversation_id, "new": result == "claimed"})


@bp.post("/api/handoffs/<conversation_id>/messages")
@validated(AGENT_MESSAGE)
async def send_message(request: Request, conversation_id: str, body: dict):
    """The reply reaches the shopper's widget with the agent's name; the answer carries its rule findings."""
    me = request.ctx.staff.username
    await in_worker(queue.touch, me, workspace.display_name(me))
    try:
        sent = await workspace.send(request.app.ctx.library, conversation_id, request.ctx.staff.username,
                                    body["text"])
        if sent.status == "sent" and body.get("cards"):
            await _send_cards(conversation_id, body["cards"], request.ctx.staff.username)
    except httpx.HTTPError as exc:
        return _rasa_down(exc)
    if sent.status == "not_claimed":
        return _error("claim the conversation before answering in it", 409)
    return response.json({"sent": True, "findings": [f.as_json() for f in sent.findings],
                          "learned": sent.learned})


async def _send_cards(conversation_id: str, skus: list[str], username: str) -> None:
    products = await in_worker(products_of, skus)
    cards = [{"sku": p.sku, "name": p.name, "price": p.price, "image": p.image, "reason": "",
              "payload": f"/want_buy{{\"product\":\"{p.name}\"}}"} for p in products]
    if cards:
        await rasa_client.append_events(conversation_id, [{
            "event": "bot", "text": "", "data": {"custom": {"type": "product_cards", "cards": cards}},
            "metadata": {HUMAN_AGENT_KEY: workspace.display_name(username), "handoff": "claimed"}}])


@bp.post("/api/handoffs/<conversation_id>/release")
async def release(request: Request, conversation_id: str):
    """Back to the bot; the manager's handoff table posts a form and is sent back to it."""
    from_page = request.content_type.startswith("application/x-www-form-urlencoded")
    if not from_page:
        _, problem = parse_body(request, EMPTY, MAX_BODY_BYTES)
        if problem is not None:
            return problem
    try:
        released = await workspace.release(request.app.ctx.library, conversation_id, request.ctx.staff.username)
    except httpx.HTTPError as exc:
        log.error("could not resume %s in Rasa: %s", conversation_id, exc)
        return response.json({"released": 0, "resumed": False, "error": str(exc)}, status=502)
    if from_page and request.form.get("back"):
        return response.redirect("/manager/handoffs")
    return response.json({"released": released, "resumed": True})


@bp.post("/api/agent/offline")
@validated(EMPTY)
async def go_offline(request: Request, body: dict):
    """The agent signs off: their chats go back to the queue and those shoppers are told."""
    moved = await in_worker(queue.go_offline, request.ctx.staff.username)
    for conversation_id in moved:
        item = await in_worker(queue.current, conversation_id)
        try:
            await workspace.notify(request.app.ctx.library, conversation_id, "utter_handoff_requeued", "waiting",
                                   position=str(item.position if item and item.position else 1))
        except httpx.HTTPError as exc:
            log.warning("could not tell %s about the requeue: %s", conversation_id, exc)
    return response.json({"requeued": moved})


def _bank(request: Request) -> LiveBank:
    ctx = request.app.ctx
    if getattr(ctx, "agent_bank", None) is None:
        ctx.agent_bank = LiveBank(ctx.library, list_products)
    return ctx.agent_bank


def _card_suggestions(request: Request, cards: list[dict[str, Any]], product: str) -> list[dict[str, Any]]:
    library, store = request.app.ctx.library.get(), load_store()
    out = []
    for card in cards:
        values = {"product": product, "suggestion": card["name"], "suggestions": card["name"],
                  "reason": card.get("reason") or "", "price": f"{card['price']:g}"}
        rendered = render(library, RenderRequest(response=CARD_RESPONSES[card["kind"]], values=values,
                                                 style=store.style))
        out.append({"text": rendered.text or card["name"], "source": f"recommendation:{card['kind']}", "card": card})
    return out


@bp.get("/api/handoffs/<conversation_id>/suggestions")
async def suggestions(request: Request, conversation_id: str):
    """Replies from the question bank and the script library, then product cards (substitute / complementary /
    latent) for the product in context."""
    try:
        events = await rasa_client.conversation_events(conversation_id)
    except httpx.HTTPError as exc:
        return _rasa_down(exc)
    subject = await in_worker(subject_of, events)      # reads the product: off the event loop
    retriever = await in_worker(_bank(request).retriever)
    replies = await asyncio.to_thread(suggested_replies, subject, request.app.ctx.library.get(), retriever,
                                      load_store(), workspace.bot_texts(events))
    cards = await in_worker(product_suggestions, subject)
    product = subject.product.name if subject.product else ""
    return response.json(replies + _card_suggestions(request, cards, product))


@bp.post("/api/assist/check")
@validated(DRAFT_CHECK)
async def check(request: Request, body: dict):
    """The live rule check of a draft, in the conversation's situation when one is named."""
    events: list[dict[str, Any]] = []
    reason = None
    if body.get("conversation_id"):
        try:
            events = await rasa_client.conversation_events(body["conversation_id"])
        except httpx.HTTPError as exc:
            log.info("draft check without the conversation: %s", exc)
        item = await in_worker(queue.current, body["conversation_id"])
        reason = item.reason if item else None
    findings = check_draft(body["text"], context_from(events, reason), request.app.ctx.library.get(),
                           load_store().style) if body["text"].strip() else []
    return response.json({"findings": [f.as_json() for f in findings]})


@bp.get("/api/chat/<conversation_id>/handoff")
async def shopper_state(request: Request, conversation_id: str):
    """The shopper's own handoff state and the widget's labels (AI assistant, 转人工, queue place, agent)."""
    if request.ctx.shopper != conversation_id:
        return _error("this token belongs to another chat session", 403)
    library = request.app.ctx.library.get()
    item = await in_worker(queue.current, conversation_id)
    state, line = "bot", ""
    if item is not None and item.status == "claimed":
        state, line = "claimed", library.fragment("widget_status_claimed", agent=workspace.display_name(item.agent or ""))
    elif item is not None and item.mode == "queue":
        state, line = "waiting", library.fragment("widget_status_waiting", position=item.position or 1)
    elif item is not None:
        state, line = "message", library.fragment("widget_status_message")
    labels = {k: library.fragment(f"widget_{k}") for k in ("ai_label", "human_button", "agent_tag")}
    return response.json({"state": state, "status_text": line, "position": item.position if item else None,
                          "labels": labels}, headers=cors_headers(request))
