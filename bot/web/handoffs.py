"""The manager's table of open handoffs (the agent workspace and its API are in bot/web/agent.py)."""
from __future__ import annotations

import asyncio
from html import escape

from sanic import Blueprint, response
from sanic.request import Request

from bot import handoff
from bot.web.pages import csrf_field

bp = Blueprint("handoffs")


@bp.get("/manager/handoffs")
async def handoffs_page(request: Request):
    items = await asyncio.to_thread(handoff.open_handoffs)
    rows = "".join(
        f"<tr><td>{escape(h.conversation_id)}</td><td>{escape(h.reason)}</td>"
        f"<td>{escape(', '.join(h.summary.get('intents', [])))}</td>"
        f"<td>{escape(', '.join(h.summary.get('products', [])))}</td>"
        f"<td>{escape(str(h.summary.get('order_id') or ''))}</td>"
        f"<td>{escape(' / '.join(h.summary.get('last_messages', [])))}</td>"
        f"<td><form method='post' action='/api/handoffs/{escape(h.conversation_id)}/release'>"
        f"<input type='hidden' name='back' value='1'>{csrf_field(request)}"
        "<button>Release to bot</button></form></td></tr>"
        for h in items
    )
    return response.html(
        "<!doctype html><html lang='en'><head><meta charset='utf-8'><title>Handoffs</title></head><body>"
        "<h1>Conversations waiting for a human</h1><table border='1' cellpadding='4'><tr><th>Conversation</th>"
        "<th>Reason</th><th>Intents</th><th>Products</th><th>Order</th><th>Last messages</th><th></th></tr>"
        f"{rows}</table></body></html>"
    )
