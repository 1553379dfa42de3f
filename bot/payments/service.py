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

from sqlalchemy.exc import IntegrityError

from bot.db.uow import UnitOfWork
from bot.security.secrets import get_secret
from bot.security.tables import Payment


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


def record(order_id: str, amount: float, trade_no: str, provider: str) -> Outcome:
    """Accept one verified notification: a repeated trade_no is a no-op, the amount must be the order total,
    and the order moves unpaid -> paid with one conditional UPDATE (a cancelled order stays cancelled)."""
    with UnitOfWork() as uow:
        uow.session.add(Payment(trade_no=trade_no, order_id=order_id, amount=amount, provider=provider))
        try:
            uow.session.flush()
        except IntegrityError:
            uow.rollback()
            known = uow.session.get(Payment, trade_no)
            if known is None:
                return Outcome(404, {"error": f"unknown order {order_id}"})
            return Outcome(200, {"order_id": known.order_id, "trade_no": trade_no, "duplicate": True})
        order = uow.orders.get(order_id)
        if order is None:
            return Outcome(404, {"error": f"unknown order {order_id}"})
        if abs(order.total - amount) > 0.005:
            return Outcome(400, {"error": f"amount {amount:g} differs from the order total {order.total:g}"})
        paid = uow.orders.move_from_unpaid(order_id, "paid", "paid_at", datetime.now(UTC))
        if not paid:
            uow.session.refresh(order)
        status = "paid" if paid else order.status
        if not paid and order.status != "paid":
            return Outcome(409, {"error": f"order is {order.status}; the payment needs a refund"})
        uow.commit()
        return Outcome(200, {"order_id": order_id, "trade_no": trade_no, "status": status, "duplicate": False})


def notify(raw: bytes, signature: str | None, body: dict, provider: str = "notify") -> Outcome:
    """The whole check of `POST /api/payments/notify`, for the route and for in-process providers alike."""
    if not verify(raw, signature):
        return Outcome(401, {"error": "bad or missing X-Payment-Signature"})
    return record(str(body["order_id"]), float(body["amount"]), str(body["trade_no"]), provider)


def encode(body: dict) -> bytes:
    return json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode()
