"""What a reminder or notice says: its kind and placeholder values from the database (the action names the
response; words: scripts_library)."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Callable

from bot.clock import as_utc
from bot.db.models import Order, OrderLine
from bot.db.uow import AbstractUnitOfWork
from bot.reminders.reasons import LineStock, pay_reason
from bot.reminders.tables import PAYMENT_KINDS
from bot.store.config import StoreConfig, load_store


@dataclass(frozen=True)
class OutboundMessage:
    reminder_id: int
    kind: str                       # first, followup (payment reminders), stock_out, delay (notices)
    order_id: str
    values: dict[str, Any] = field(default_factory=dict)
    sku: str | None = None          # stock-out notices: the product that ran out

    @property
    def track_id(self) -> str:
        return f"reminder:{self.reminder_id}"


def shifted_delivery_days(delivery_days: Any, extra_days: int) -> str | None:
    """'2-3' + 2 -> '4-5'; 3 + 2 -> '5'; None when the store gives no delivery time."""
    if delivery_days in (None, ""):
        return None
    return re.sub(r"\d+", lambda m: str(int(m.group()) + extra_days), str(delivery_days))


def _lines(order: Order) -> list[OrderLine]:
    return sorted(order.lines, key=lambda line: line.id)  # the order the shopper put them in


def items_of(order: Order) -> list[dict[str, Any]]:
    return [{"name": line.product.name, "qty": line.qty} for line in _lines(order)]


def _record_angle(uow: AbstractUnitOfWork, reminder_id: int, angle: str) -> None:
    """A write transaction of its own (SQLite: a read that turns into a write can fail under concurrency)."""
    uow.rollback()
    uow.reminders.set_angle(reminder_id, angle)
    uow.commit()


def payment_message(uow: AbstractUnitOfWork, reminder_id: int, customer_id: str, pay_link: Callable[[str], str],
                    store: StoreConfig | None = None, now: datetime | None = None) -> OutboundMessage | None:
    """The reminder for a still-unpaid order of this shopper, with one real reason to pay now.

    Records the angle (the reason kind) on the row; a follow-up avoids the angle its first reminder used.
    """
    store = store or load_store()
    repo = uow.reminders
    row = repo.get(reminder_id)
    if row is None or row.customer_id != customer_id or row.kind not in PAYMENT_KINDS:
        return None
    order = uow.orders.get(row.order_id)
    if order is None or order.status != "unpaid":
        return None
    exclude = set()
    if row.kind == "followup":
        first = repo.for_order(row.order_id, "first")
        if first is not None and first.angle:
            exclude.add(first.angle)
    lines = [LineStock(line.product.name, line.product.stock) for line in _lines(order)]
    reason = pay_reason(lines, order.total, store, now, exclude, service_fallback=row.kind == "followup",
                        ordered_at=as_utc(order.created_at))
    kind, values = row.kind, {
        "agent": store.agent(order.agent_id)["name"],
        "items": items_of(order),
        "order_id": order.id,
        "total": f"{order.total:g}",
        "pay_link": pay_link(order.id),
        "pay_reason": reason.as_argument(),
        "track_id": f"reminder:{row.id}",
    }
    _record_angle(uow, reminder_id, reason.kind)
    return OutboundMessage(reminder_id, kind, values["order_id"], values)


def notice_message(uow: AbstractUnitOfWork, reminder_id: int, customer_id: str,
                   store: StoreConfig | None = None) -> OutboundMessage | None:
    """A stock-out or delay notice for this shopper's order (None when it is not theirs or not a notice)."""
    store = store or load_store()
    repo = uow.reminders
    row = repo.get(reminder_id)
    if row is None or row.customer_id != customer_id or row.kind in PAYMENT_KINDS:
        return None
    order = uow.orders.get(row.order_id)
    if order is None:
        return None
    payload = dict(row.payload or {})
    values: dict[str, Any] = {
        "agent": store.agent(order.agent_id)["name"],
        "order_id": order.id,
        "items": items_of(order),
        "track_id": f"reminder:{row.id}",
    }
    sku = None
    if row.kind == "stock_out":
        sku = str(payload.get("sku") or row.notice_key)
        product = uow.products.get(sku)
        values["product"] = product.name if product else sku
        angle = "stock_out"
    else:
        extra = int(payload.get("extra_days") or 0)
        values["extra_days"] = str(extra)
        days = shifted_delivery_days(store.shipping.get("delivery_days"), extra)
        if days is not None:
            values["delivery_days"] = days
        angle = "delay"
    kind = row.kind
    _record_angle(uow, reminder_id, angle)
    return OutboundMessage(reminder_id, kind, values["order_id"], values, sku)
