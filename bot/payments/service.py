"""Payments: an order becomes paid only through a signed notification (`POST /api/payments/notify`).

The signature is the hex HMAC-SHA256 of the raw request body with PAYMENT_NOTIFY_SECRET, sent as
`X-Payment-Signature`. A provider (bot/payments/demo.py for the demo store) signs and delivers the same body.
"""
from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from bot.security.secrets import get_secret
from bot.security.tables import Payment

if TYPE_CHECKING:
    from bot.db.uow import AbstractUnitOfWork


@dataclass(frozen=True)
class Outcome:
    status: int
    body: dict


def sign(raw: bytes, secret: str | None = None) -> str:
    key = (secret or get_secret("PAYMENT_NOTIFY_SECRET")).encode()
    return hmac.new(key, raw, hashlib.sha256).hexdigest()


def verify(raw: bytes, signature: str | None) -> bool:
    if not signature:
        return False
    return hmac.compare_digest(sign(raw), signature.strip().lower())


def record(uow: AbstractUnitOfWork, order_id: str, amount: float, trade_no: str, provider: str) -> Outcome:
    """Accept one verified notification: a repeated trade_no is a no-op, the amount must be the order total,
    and the order moves unpaid -> paid with one conditional UPDATE (a cancelled order stays cancelled)."""
    if not uow.payments.add_new(Payment(trade_no=trade_no, order_id=order_id, amount=amount, provider=provider)):
        known = uow.payments.get(trade_no)
        if known is None:
            return Outcome(404, {"error": f"unknown order {order_id}"})
        return Outcome(200, {"order_id": known.order_id, "trade_no": trade_no, "duplicate": True})
    outcome = _pay(uow, order_id, amount, trade_no)
    if outcome.status == 200:
        uow.commit()
    else:
        uow.rollback()            # the payment row goes with the refusal
    return outcome


def _pay(uow: AbstractUnitOfWork, order_id: str, amount: float, trade_no: str) -> Outcome:
    order = uow.orders.get(order_id)
    if order is None:
        return Outcome(404, {"error": f"unknown order {order_id}"})
    if abs(order.total - amount) > 0.005:
        return Outcome(400, {"error": f"amount {amount:g} differs from the order total {order.total:g}"})
    paid = uow.orders.move_from_unpaid(order_id, "paid", "paid_at", datetime.now(UTC))
    if not paid:
        uow.orders.refresh(order)
    if not paid and order.status != "paid":
        return Outcome(409, {"error": f"order is {order.status}; the payment needs a refund"})
    status = "paid" if paid else order.status
    return Outcome(200, {"order_id": order_id, "trade_no": trade_no, "status": status, "duplicate": False})


def notify(uow: AbstractUnitOfWork, raw: bytes, signature: str | None, body: dict, provider: str = "notify") -> Outcome:
    """The whole check of `POST /api/payments/notify`, for the route and for in-process providers alike."""
    if not verify(raw, signature):
        return Outcome(401, {"error": "bad or missing X-Payment-Signature"})
    return record(uow, str(body["order_id"]), float(body["amount"]), str(body["trade_no"]), provider)


def encode(body: dict) -> bytes:
    return json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode()
