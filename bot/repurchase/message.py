"""What a repurchase reminder says: the serving agent's voice, the item as a card with a one-tap re-order,
and at most one concrete reason from real data (words: scripts_library/repurchase.yml).

Reasons, in order of preference, each only when its data is true right now:
  low_stock     the item's stock is running low (bot.catalog.products.LOW_STOCK);
  multi_buy     the bargaining ladder's multi-buy step (data/store/bargain.yml), clamped at the floor price;
  member_price  the store's price for returning buyers (store.yml promotions.member_price: {off_percent: 5}).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bot.bargain.ladder import load_ladder, next_concession
from bot.catalog.products import ProductView, product_view
from bot.db.uow import AbstractUnitOfWork
from bot.recommendations import present
from bot.recommendations.types import Suggestion
from bot.reminders.tables import REPURCHASE
from bot.store.config import StoreConfig, load_store


@dataclass(frozen=True)
class RepurchaseMessage:
    reminder_id: int
    product_sku: str
    values: dict[str, Any] = field(default_factory=dict)
    custom: dict[str, Any] = field(default_factory=dict)
    angle: str = "plain"

    def utter_kwargs(self) -> dict[str, Any]:
        """Placeholders and the card for `dispatcher.utter_message` (the action names the response)."""
        return {**self.values, "product_cards": self.custom}


def member_price(product: ProductView, store: StoreConfig) -> float | None:
    offer = store.promotions.get("member_price") or {}
    off = float(offer.get("off_percent") or 0)
    if off <= 0:
        return None
    price = round(max(product.price * (1 - off / 100), product.floor_price), 1)
    return price if price < product.price else None


def repurchase_reason(product: ProductView, store: StoreConfig, ladder: tuple[dict[str, Any], ...] | None = None
                      ) -> dict[str, str] | None:
    """The `repurchase_reason` argument ({"kind": ..., values}), or None when nothing true is worth saying."""
    if product.low_stock:
        return {"kind": "low_stock", "stock": str(product.stock)}
    steps = tuple(s for s in (ladder if ladder is not None else load_ladder()) if s["condition"] == "multi_buy")
    if steps:
        deal = next_concession(product, store, 0, ladder=steps)
        if deal.kind == "multi_buy":
            return {"kind": "multi_buy", **{k: str(v) for k, v in deal.values.items()}}
    price = member_price(product, store)
    if price is not None:
        return {"kind": "member_price", "deal_price": f"{price:g}"}
    return None


def reorder_card(product: ProductView, qty: int) -> dict[str, Any]:
    """The item as a product card whose button re-orders it (the want_buy payload with the same quantity)."""
    return {"type": present.CARDS_TYPE,
            "cards": present.cards([Suggestion("repurchase", product, "", REPURCHASE, 1.0)], qty)}


def repurchase_message(uow: AbstractUnitOfWork, reminder_id: int, customer_id: str,
                       store: StoreConfig | None = None) -> RepurchaseMessage | None:
    """The reminder for this shopper's row (None when the row is not theirs or the item is gone)."""
    store = store or load_store()
    row = uow.reminders.get(reminder_id)
    if row is None or row.customer_id != customer_id or row.kind != REPURCHASE:
        return None
    order = uow.orders.get(row.order_id)
    product_row = uow.products.get(str((row.payload or {}).get("sku") or row.notice_key))
    if order is None or product_row is None or product_row.stock <= 0:
        return None
    product, agent_id = product_view(product_row), order.agent_id
    qty = max(int((row.payload or {}).get("qty") or 1), 1)
    reason = repurchase_reason(product, store)
    values: dict[str, Any] = {"agent": store.agent(agent_id)["name"], "product": product.name,
                              "price": f"{product.price:g}", "track_id": f"reminder:{reminder_id}"}
    if reason is not None:
        values["repurchase_reason"] = reason
    card = reorder_card(product, qty)
    angle = reason["kind"] if reason else "plain"
    uow.rollback()                       # the angle is a write transaction of its own, as for payment reminders
    uow.reminders.set_angle(reminder_id, angle)
    uow.commit()
    return RepurchaseMessage(reminder_id, product.sku, values, card, angle)
