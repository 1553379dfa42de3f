"""The manager's table of open handoffs (the agent workspace and its API are in bot/web/agent.py)."""
from __future__ import annotations

from html import escape

from sanic import Blueprint
from sanic.request import Request

from bot.db.scope import in_worker
from bot.handoff import service as handoff
from bot.handoff.reasons import reason_label
from bot.web.console.layout import console_page
from bot.web.pages import csrf_field
from bot.web.units import per_request

bp = per_request(Blueprint("handoffs"))


@bp.get("/manager/handoffs")
async def handoffs_page(request: Request):
    items = await in_worker(handoff.open_handoffs)
    manager = request.ctx.staff.role == "manager"     # the transcript is a manager page

    def who(cid: str) -> str:
        return f"<a href='/manager/conversations/{escape(cid)}'>{escape(cid)}</a>" if manager else escape(cid)

    rows = "".join(
        f"<tr><td>{who(h.conversation_id)}</td>"
        f"<td>{escape(reason_label(h.reason))}</td>"
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
