"""Stock and shipping changes that must reach shoppers first, and the reminder outbox as JSON."""
from __future__ import annotations

import logging
from html import escape

from sanic import Blueprint, response
from sanic.request import Request

from bot.db.scope import in_worker
from bot.db.uow import AbstractUnitOfWork
from bot.reminders import service as reminders
from bot.web.console.layout import console_page
from bot.web.limits import validated
from bot.web.schemas import DELAY, STOCK
from bot.web.units import per_request

log = logging.getLogger("store.web.notices")
bp = per_request(Blueprint("notices"))


def set_stock(uow: AbstractUnitOfWork, sku: str, stock: int) -> dict[str, object] | None:
    """Set a product's stock; when it reaches 0, plan stock-out notices. None for an unknown sku."""
    product = uow.products.get(sku)
    if product is None:
        return None
    before, product.stock = product.stock, stock
    uow.commit()
    notices = reminders.notify_stock_out(uow, sku) if stock == 0 else 0
    if notices:
        log.info("%s is out of stock: %d notice(s) planned", sku, notices)
    return {"sku": sku, "stock": stock, "previous_stock": before, "notices_planned": notices}


@bp.post("/api/products/<sku>/stock")
@validated(STOCK)
async def update_stock(_: Request, sku: str, body: dict):
    result = await in_worker(set_stock, sku, body["stock"])
    if result is None:
        return response.json({"error": f"unknown sku {sku}"}, status=404)
    return response.json(result)


@bp.post("/api/orders/<order_id>/delay")
@validated(DELAY)
async def delay_order(_: Request, order_id: str, body: dict):
    try:
        notice_id = await in_worker(reminders.notify_delay, order_id, body["extra_days"], body.get("key"))
    except reminders.NoticeError as exc:
        status = 404 if "unknown" in str(exc) else 429 if "at most" in str(exc) else 400
        return response.json({"error": str(exc)}, status=status)
    return response.json({"order_id": order_id, "notice_id": notice_id, "planned": notice_id is not None})


@bp.get("/api/reminders")
async def list_reminders(request: Request):
    customer_id, order_id = request.args.get("customer_id"), request.args.get("order_id")
    rows = await in_worker(reminders.list_reminders, customer_id, order_id)
    return response.json([r.as_json() for r in rows])


@bp.get("/manager/reminders")
async def reminders_page(request: Request):
    """The manager's reminder view (Chinese): every row's state, and sends that keep failing with their error."""
    rows = await in_worker(reminders.list_reminders)
    body = "".join(
        f"<tr class='{'bad' if r.failures else ''}'><td>{r.id}</td><td>{escape(r.order_id)}</td>"
        f"<td>{escape(r.kind)}</td><td>{escape(r.state)}</td><td>{escape(r.due_at.isoformat()[:19])}</td>"
        f"<td>{escape(r.skip_reason or '')}</td><td>{r.failures}</td><td>{escape(r.last_error or '')}</td></tr>"
        for r in rows)
    failing = sum(1 for r in rows if r.failures and r.state == "pending")
    note = (f"<p class='bad'>{failing} 条提醒发送失败，正在等待重试（Rasa 恢复后会自动补发）。</p>" if failing
            else "<p>没有发送失败的提醒。</p>")
    return console_page(request, "催付与变更通知", f"""{note}<table><tr><th>编号</th><th>订单</th><th>类型</th>
<th>状态</th><th>计划发送（UTC）</th><th>跳过原因</th><th>失败次数</th><th>最近错误</th></tr>{body}</table>""",
                        active="/manager/reminders")
