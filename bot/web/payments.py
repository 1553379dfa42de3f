"""Payment routes: the provider's signed notification, and the demo provider behind the demo pay page."""
from __future__ import annotations

import os

from sanic import Blueprint, response
from sanic.request import Request

from bot.db.scope import in_worker
from bot.orders import service as orders
from bot.payments import service as payments
from bot.payments.demo import DemoProvider
from bot.web.limits import MAX_BODY_BYTES, parse_body, validated
from bot.web.schemas import EMPTY, NOTIFY
from bot.web.units import per_request

bp = per_request(Blueprint("payments"))


def demo_enabled() -> bool:
    """The demo provider pays without money: on by default for the demo store, DEMO_PAYMENTS=0 turns it off."""
    return os.environ.get("DEMO_PAYMENTS", "1") != "0"


@bp.post("/api/payments/notify")
async def notify(request: Request):
    raw = request.body or b""
    if len(raw) > MAX_BODY_BYTES:
        return response.json({"error": f"request body over {MAX_BODY_BYTES} bytes"}, status=413)
    if not payments.verify(raw, request.headers.get("x-payment-signature")):
        return response.json({"error": "bad or missing X-Payment-Signature"}, status=401)
    body, problem = parse_body(request, NOTIFY, MAX_BODY_BYTES)
    if problem is not None:
        return problem
    outcome = await in_worker(payments.notify, raw, request.headers.get("x-payment-signature"), body)
    return response.json(outcome.body, status=outcome.status)


@bp.post("/api/payments/demo/<order_id>")
@validated(EMPTY)
async def demo_pay(request: Request, order_id: str, body: dict):
    """The demo pay page's button: only the buyer's own session may pay, through the signed notification."""
    if not demo_enabled():
        return response.json({"error": "the demo payment provider is turned off"}, status=404)
    order = await in_worker(orders.get_order, order_id)
    if order is None or order.customer_id != request.ctx.shopper:
        return response.json({"error": f"unknown order {order_id}"}, status=404)
    outcome = await in_worker(DemoProvider().pay, order)
    if outcome.status != 200:
        return response.json(outcome.body, status=outcome.status)
    paid = await in_worker(orders.get_order, order_id)
    return response.json(paid.as_json() if paid else outcome.body)

