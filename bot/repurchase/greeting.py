"""The returning-buyer greeting: a shopper with orders in this store is welcomed back by what they bought.

Only items from the shopper's own paid orders here are named. A consumable about to run out (or just run
out) gets the refill greeting with the item as a re-order card; any other purchase a plain welcome back.
Nobody who said 不用提醒了 gets either: they are greeted like everyone else.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from bot.catalog.products import product_view
from bot.clock import utcnow
from bot.db.uow import AbstractUnitOfWork
from bot.reminders.config import ReminderConfig
from bot.repurchase.message import reorder_card
from bot.repurchase.planning import predictions
from bot.store.config import load_store

REFILL, WELCOME_BACK = "refill", "welcome_back"     # the two kinds of greeting
REFILL_WITHIN_DAYS = 7        # a run-out this close makes the refill greeting
CHECK_KINDS = {"宠物": "pet", "母婴": "baby", "食品": "food"}   # category -> returning_check_<kind> fragment


@dataclass(frozen=True)
class Greeting:
    kind: str                     # REFILL or WELCOME_BACK
    sku: str
    values: dict[str, Any] = field(default_factory=dict)
    custom: dict[str, Any] | None = None

    def utter_kwargs(self) -> dict[str, Any]:
        """Placeholders and the card for `dispatcher.utter_message` (the action names the response)."""
        extra = {"product_cards": self.custom} if self.custom else {}
        return {**self.values, **extra}


def returning_greeting(uow: AbstractUnitOfWork, customer_id: str, now: datetime | None = None,
                       config: ReminderConfig | None = None) -> Greeting | None:
    """The greeting for a shopper who bought here before; None for a new or opted-out shopper."""
    now, config = now or utcnow(), config or ReminderConfig.from_env()
    if uow.optouts.has(customer_id):
        return None
    bought = uow.purchases.bought_here(customer_id, now - timedelta(days=config.repurchase_history_days))
    if not bought:
        return None
    soon = [(p.run_out_at, sku, p.qty) for (_, sku), p in predictions(uow, now, config, customer_id).items()
            if -config.repurchase_grace_days <= (p.run_out_at - now).total_seconds() / 86400 <= REFILL_WITHIN_DAYS]
    refill = min(soon) if soon else None
    product = uow.products.get(refill[1]) if refill else None
    item = product_view(product) if product is not None and product.stock > 0 else None
    last_order = uow.orders.latest_for_customer(customer_id)
    agent_id = last_order.agent_id if last_order is not None else None
    latest = bought[0]
    store = load_store()
    base = {"agent": store.agent(agent_id)["name"], "store": store.name}
    if item is not None and refill is not None:
        card = reorder_card(item, refill[2])
        return Greeting(REFILL, item.sku, {**base, "product": item.name,
                                           "returning_check": {"kind": CHECK_KINDS.get(item.category, "item")}}, card)
    return Greeting(WELCOME_BACK, latest.sku, {**base, "product": latest.name,
                                               "returning_check": {"kind": CHECK_KINDS.get(latest.category, "item")}})
