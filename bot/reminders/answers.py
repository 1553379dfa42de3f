"""Answers to why an order is still unpaid, after a payment reminder (responses: scripts_library/reminders.yml).

The shopper's intent names the reason; each answer is built from real data (the order, the store settings,
the bargaining ladder). Returns None when there is no live reminder, so the caller answers as usual.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Callable

from bot.bargain.ladder import Concession, next_concession
from bot.catalog.products import get_product
from bot.db.uow import UnitOfWork
from bot.reminders.messages import items_of
from bot.reminders.service import active_reminder, opt_out
from bot.store.config import StoreConfig, load_store
from bot.store.policies import promise_values, shipping_values

# Intent -> reason. "direct" reasons only count as an answer right after the reminder (a plain "no" or
# "let me think" later in the chat is about something else).
REASONS = {
    "bargain": "price",
    "compare_shops": "compare",
    "payment_problem": "payment",
    "ask_shipping": "shipping",
    "forgot_to_pay": "forgot",
    "deny": "no_longer",
    "hesitate": "compare",
}
DIRECT_ONLY = frozenset({"deny", "hesitate"})
UNPAID_REASONS = frozenset({"price", "compare", "payment", "shipping", "forgot", "no_longer"})


@dataclass(frozen=True)
class ReasonAnswer:
    reason: str
    order_id: str
    messages: list[tuple[str, dict[str, Any]]] = field(default_factory=list)  # (reason worded, values)
    concession: Concession | None = None      # price: the ladder step offered (advance the bargain slot)
    opted_out: bool = False                   # no_longer: reminders stopped


@dataclass(frozen=True)
class _Order:
    order_id: str
    total: float
    items: list[dict[str, Any]]
    main_sku: str | None          # the dearest line: what a price objection is about


def _order(order_id: str) -> _Order | None:
    with UnitOfWork() as uow:
        order = uow.orders.get(order_id)
        if order is None or order.status != "unpaid":
            return None
        main = max(order.lines, key=lambda line: (line.unit_price, line.sku), default=None)
        return _Order(order.id, order.total, items_of(order), main.sku if main else None)


def reason_for(intent: str | None, right_after_reminder: bool) -> str | None:
    """The unpaid reason an intent gives, if it gives one here."""
    if intent not in REASONS or (intent in DIRECT_ONLY and not right_after_reminder):
        return None
    return REASONS[intent]


def answer_unpaid_reason(customer_id: str, reason: str, pay_link: Callable[[str], str], bargain_step: int = 0,
                         proposed: float | None = None, store: StoreConfig | None = None,
                         now: datetime | None = None) -> ReasonAnswer | None:
    """The reply to a shopper who was reminded of a still-unpaid order and gives `reason` (see REASONS).

    None when no reminder of the last 24 h waits for an answer (its order was paid or cancelled, or none).
    """
    if reason not in UNPAID_REASONS:
        raise ValueError(f"unknown unpaid reason {reason!r}")
    active = active_reminder(customer_id, now)
    order = _order(active.order_id) if active else None
    if order is None:
        return None
    store = store or load_store()
    base = {"order_id": order.order_id, "items": order.items, "total": f"{order.total:g}",
            "pay_link": pay_link(order.order_id)}
    if reason == "price":
        product = get_product(order.main_sku)
        if product is None:
            return ReasonAnswer(reason, order.order_id, [("compare", {**base, **promise_values(store)})])
        concession = next_concession(product, store, bargain_step, proposed)
        messages = [(reason, {**base, "product": product.name, "price": f"{product.price:g}"})]
        return ReasonAnswer(reason, order.order_id, messages, concession)
    if reason == "compare":
        return ReasonAnswer(reason, order.order_id, [(reason, {**base, **promise_values(store)})])
    if reason == "shipping":
        return ReasonAnswer(reason, order.order_id, [(reason, {**base, **shipping_values(store)})])
    if reason == "no_longer":
        opt_out(customer_id, now)
        return ReasonAnswer(reason, order.order_id, [(reason, base)], opted_out=True)
    return ReasonAnswer(reason, order.order_id, [(reason, base)])  # payment, forgot


