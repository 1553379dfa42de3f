"""Human handoff: list open handoffs with their summaries, release a conversation back to the bot."""
from __future__ import annotations

import asyncio
import logging
from html import escape

import httpx
from sanic import Blueprint, response
from sanic.request import Request

from bot import handoff
from bot.rasa_client import resume_conversation
from bot.web.console.layout import console_page
from bot.web.limits import MAX_BODY_BYTES, parse_body
from bot.web.pages import csrf_field
from bot.web.schemas import EMPTY

log = logging.getLogger("store.web.handoffs")
bp = Blueprint("handoffs")


@bp.get("/api/handoffs")
async def list_handoffs(_: Request):
    items = await asyncio.to_thread(handoff.open_handoffs)
    return response.json([h.as_json() for h in items])


@bp.post("/api/handoffs/<conversation_id>/release")
async def release(request: Request, conversation_id: str):
    from_page = request.content_type.startswith("application/x-www-form-urlencoded")
    if not from_page:
        _, problem = parse_body(request, EMPTY, MAX_BODY_BYTES)
        if problem is not None:
            return problem
    released = await asyncio.to_thread(handoff.release, conversation_id)
    try:
        await resume_conversation(conversation_id)
    except httpx.HTTPError as exc:
        log.error("could not resume %s in Rasa: %s", conversation_id, exc)
        return response.json({"released": released, "resumed": False, "error": str(exc)}, status=502)
    if from_page and request.form.get("back"):
        return response.redirect("/manager/handoffs")
    return response.json({"released": released, "resumed": True})


@bp.get("/manager/handoffs")
async def handoffs_page(request: Request):
    items = await asyncio.to_thread(handoff.open_handoffs)
    manager = request.ctx.staff.role == "manager"     # the transcript is a manager page

    def who(cid: str) -> str:
        return f"<a href='/manager/conversations/{escape(cid)}'>{escape(cid)}</a>" if manager else escape(cid)

    rows = "".join(
        f"<tr><td>{who(h.conversation_id)}</td>"
        f"<td>{escape(h.reason)}</td>"
        f"<td>{escape(', '.join(h.summary.get('intents', [])))}</td>"
        f"<td>{escape(', '.join(h.summary.get('products', [])))}</td>"
        f"<td>{escape(str(h.summary.get('order_id') or ''))}</td>"
        f"<td>{escape(' / '.join(h.summary.get('last_messages', [])))}</td>"
        f"<td><form method='post' action='/api/handoffs/{escape(h.conversation_id)}/release'>"
        f"<input type='hidden' name='back' value='1'>{csrf_field(request)}"
        "<button>交还机器人</button></form></td></tr>"
        for h in items
    )
    table = ("<table><tr><th>会话</th><th>原因</th><th>意图</th><th>商品</th><th>订单</th><th>最近消息</th><th></th></tr>"
             f"{rows}</table>" if items else "<p class='ok'>现在没有等待人工的会话。</p>")
    return console_page(request, "转人工队列", table, active="/manager/handoffs")
