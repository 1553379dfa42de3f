"""Bargaining by conditional compromise: a ladder of concessions, each tied to a condition, never below floor."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from bot.catalog.products import ProductView
from bot.settings import get_settings
from bot.store.config import StoreConfig
from bot.store.files import parsed_when_changed

Kind = Literal["multi_buy", "full_reduction", "pay_now_gift", "review_cashback", "final"]
_PRICE = re.compile(r"(\d+(?:\.\d+)?)")
_REDUCTION = re.compile(r"(?:便宜|少|减|让|优惠)\s*\d")  # 便宜10块 asks for a cut, it does not name a price


@dataclass(frozen=True)
class Concession:
    kind: Kind
    step: int                      # ladder position used (the next bargain turn starts after it)
    values: dict[str, Any] = field(default_factory=dict)
    below_floor: bool = False      # the shopper proposed a price under the floor


@dataclass(frozen=True)
class MultiBuyDeal:
    """Each of `qty` pieces at `price` (never below the floor price); `saving` is for all of them."""

    qty: int
    price: float
    saving: float

    def values(self) -> dict[str, Any]:
        return {"condition": self.qty, "deal_price": f"{self.price:g}", "saving": f"{self.saving:g}"}


def multi_buy_deal(product: ProductView, qty: int, off: float) -> MultiBuyDeal:
    """Taking `qty` pieces, each `off` cheaper: the one multi-buy price for the ladder and the recommender."""
    deal = round(max(product.price - off, product.floor_price), 2)  # prices are in cents
    return MultiBuyDeal(qty, deal, (product.price - deal) * qty)


def load_ladder(path: Path | None = None) -> tuple[dict[str, Any], ...]:
    """The bargaining ladder, re-read when `bargain.yml` changes."""
    return parsed_when_changed(path or get_settings().store_data_dir / "bargain.yml", parse_ladder)


def multi_buy_rule() -> dict[str, Any]:
    """The multi-buy step of the store's bargaining ladder (bargain.yml): min_qty, discount_per_item."""
    try:
        return next((s for s in load_ladder() if s.get("condition") == "multi_buy"), {})
    except (FileNotFoundError, KeyError, TypeError):
        return {}


def parse_ladder(document: dict[str, Any]) -> tuple[dict[str, Any], ...]:
    return tuple(document["ladder"])


def asked_price(text: str, entity_value: str | None) -> float | None:
    """A price the shopper proposed (`30卖吗`, `50块行不行`), if any; `便宜10块` names a cut, not a price."""
    if _REDUCTION.search(text or ""):
        return None
    match = _PRICE.search(entity_value or "") or _PRICE.search(text or "")
    return float(match.group(1)) if match else None


def _step_values(step: dict[str, Any], product: ProductView, store: StoreConfig) -> dict[str, Any] | None:
    kind = step["condition"]
    if kind == "multi_buy":
        deal = multi_buy_deal(product, int(step.get("min_qty", 2)), float(step.get("discount_per_item", 5)))
        return deal.values() if deal.price < product.price else None
    if kind == "full_reduction":
        tiers = [t for t in store.promotions.get("full_reduction", []) if t["threshold"] > product.price]
        if not tiers:
            return None
        tier = tiers[0]
        return {"threshold": tier["threshold"], "saving": tier["off"], "gap": f"{tier['threshold'] - product.price:g}"}
    if kind == "pay_now_gift":
        gift = store.promotions.get("pay_now_gift")
        return {"gift": gift["name"]} if gift else None
    if kind == "review_cashback":
        amount = store.promotions.get("review_cashback")
        return {"saving": amount} if amount else None
    raise ValueError(f"unknown ladder condition {kind!r} in bargain.yml")


def next_concession(product: ProductView, store: StoreConfig, step: int, proposed: float | None = None,
                    ladder: tuple[dict[str, Any], ...] | None = None) -> Concession:
    """The next conditional concession after `step` ladder positions were used."""
    ladder = ladder if ladder is not None else load_ladder()
    below_floor = proposed is not None and proposed < product.floor_price
    base = {"product": product.name, "price": f"{product.price:g}"}
    for position in range(step, len(ladder)):
        values = _step_values(ladder[position], product, store)
        if values is not None:
            return Concession(ladder[position]["condition"], position + 1, {**values, **base}, below_floor)
    return Concession("final", len(ladder), base, below_floor)
