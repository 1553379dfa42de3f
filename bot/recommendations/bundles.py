"""Bundles (搭配套餐) priced against the store's average order value (客单价).

AOV = paid amount / paying buyers over the last 30 days. A bundle pairs a higher-priced item with a
lower-priced related one; its price lies inside the band (default 1.2-1.5 x AOV), never below the sum of the
floor prices, and always below the sum of the list prices (the saving). Managers set the discount rules in
data/store/bundles.yml.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Iterable, Literal, Protocol, Sequence

from sqlalchemy import func, select

from bot.catalog.products import ProductView, get_product
from bot.db.models import Order
from bot.db.uow import UnitOfWork
from bot.recommendations import store_data as data
from bot.settings import get_settings
from bot.store.files import parsed_when_changed

PriceCheck = Literal["ok", "below_aov_adjust", "too_high_adjust"]


class Priced(Protocol):
    @property
    def price(self) -> float: ...
    @property
    def floor_price(self) -> float: ...
    @property
    def category(self) -> str: ...


@dataclass(frozen=True)
class BundleRule:
    categories: frozenset[str]
    discount: float


@dataclass(frozen=True)
class BundleConfig:
    band: tuple[float, float] = (1.2, 1.5)
    min_discount: float = 0.05
    max_discount: float = 0.15
    default_discount: float = 0.1
    days: int = 30
    rules: tuple[BundleRule, ...] = ()

    def __post_init__(self) -> None:
        if not 0 < self.band[0] <= self.band[1]:
            raise ValueError(f"bundle band must be 0 < low <= high, got {self.band}")
        if not 0 <= self.min_discount <= self.max_discount < 1:
            raise ValueError("bundle discounts must be 0 <= min_discount <= max_discount < 1")

    def discount_for(self, categories: Iterable[str]) -> float:
        """The first rule naming one of the categories, else the default; clamped to [min, max]."""
        wanted = set(categories)
        rate = next((r.discount for r in self.rules if r.categories & wanted), self.default_discount)
        return min(max(rate, self.min_discount), self.max_discount)


def parse_bundle_config(document: dict) -> BundleConfig:
    raw = document.get("bundles") or {}
    defaults = BundleConfig()
    return BundleConfig(
        band=tuple(float(x) for x in raw.get("band", defaults.band)),  # type: ignore[arg-type]
        min_discount=float(raw.get("min_discount", defaults.min_discount)),
        max_discount=float(raw.get("max_discount", defaults.max_discount)),
        default_discount=float(raw.get("default_discount", defaults.default_discount)),
        days=int(raw.get("days", defaults.days)),
        rules=tuple(BundleRule(frozenset(r.get("categories") or ()), float(r["discount"]))
                    for r in raw.get("rules") or ()),
    )


def load_bundle_config(path: Path | None = None) -> BundleConfig:
    """data/store/bundles.yml (defaults when absent), re-read when the file changes."""
    path = path or get_settings().store_data_dir / "bundles.yml"
    return parsed_when_changed(path, parse_bundle_config) if path.exists() else BundleConfig()


def store_aov(now: datetime | None = None, days: int = 30) -> float | None:
    """Paid amount / paying buyers of orders paid in the last `days` days; None without paid orders."""
    end = data.utc(now)
    stmt = select(func.sum(Order.total), func.count(func.distinct(Order.customer_id))).where(
        Order.status.in_(data.PAID_STATUSES), Order.paid_at >= end - timedelta(days=days), Order.paid_at <= end)
    with UnitOfWork() as uow:
        amount, buyers = uow.session.execute(stmt).one()
    return round(float(amount) / buyers, 2) if buyers and amount else None


def check_bundle_price(price: float, aov: float, band: tuple[float, float] = (1.2, 1.5)) -> PriceCheck:
    """Where an activity or bundle price stands against AOV: under the band's low edge it is too cheap to
    lift the order value (adjust or withdraw); above the high edge it draws few buyers (adjust)."""
    if aov <= 0:
        raise ValueError("AOV must be positive")
    if price < band[0] * aov:
        return "below_aov_adjust"
    if price > band[1] * aov:
        return "too_high_adjust"
    return "ok"


@dataclass(frozen=True)
class BundlePrice:
    price: float
    list_price: float
    floor_price: float
    saving: float
    discount: float


def _nice_price(target: float, low: float, high: float) -> float | None:
    """A round price near the target inside [low, high]: whole yuan, then jiao, then fen."""
    for digits in (0, 1, 2):
        scale = 10 ** digits
        for value in (math.floor(target * scale) / scale, math.ceil(target * scale) / scale):
            if low <= value <= high:
                return value
        inner = math.ceil(low * scale) / scale
        if inner <= high:
            return inner
    return None


def price_bundle(items: Sequence[Priced], aov: float, config: BundleConfig) -> BundlePrice | None:
    """The bundle price for these items, or None when no price meets every rule at once."""
    if len(items) < 2 or aov <= 0:
        return None
    list_price = sum(i.price for i in items)
    floor_price = sum(i.floor_price for i in items)
    low = max(config.band[0] * aov, list_price * (1 - config.max_discount), floor_price)
    high = min(config.band[1] * aov, list_price * (1 - config.min_discount), list_price - 0.01)
    if low > high:
        return None
    target = list_price * (1 - config.discount_for(i.category for i in items))
    price = _nice_price(min(max(target, low), high), low, high)
    if price is None or price >= list_price:
        return None
    return BundlePrice(price, round(list_price, 2), round(floor_price, 2), round(list_price - price, 2),
                       round(1 - price / list_price, 4))


@dataclass(frozen=True)
class Bundle:
    main: ProductView            # the higher-priced item
    addon: ProductView           # the lower-priced item
    price: float
    list_price: float
    saving: float
    discount: float
    aov: float
    relation: str                # complementary | latent | co_purchase
    reason: str = ""

    def values(self) -> dict[str, Any]:
        """Script placeholders: bundle_price, saving, items (records, formatted by the script library)."""
        return {"bundle_price": f"{self.price:g}", "saving": f"{self.saving:g}",
                "items": [{"name": p.name, "qty": 1} for p in (self.main, self.addon)]}

    def as_json(self) -> dict[str, Any]:
        return {"skus": [self.main.sku, self.addon.sku], "price": self.price, "list_price": self.list_price,
                "saving": self.saving, "discount": self.discount, "aov": self.aov, "relation": self.relation,
                "reason": self.reason}


def _partners(sku: str) -> list[tuple[str, str, str]]:
    found = [(to, "complementary", reason) for to, reason in data.relations(sku, "complementary")]
    found += [(to, "latent", reason) for to, reason in data.relations(sku, "latent")]
    found += [(other, "co_purchase", "") for other, _c, _l in data.co_purchases(sku, limit=10)]
    return found


def suggest_bundle(product_sku: str | None, *, aov: float | None = None, config: BundleConfig | None = None,
                   exclude: Iterable[str] = (), now: datetime | None = None) -> Bundle | None:
    """A bundle of the product with a related item (cheaper partners first), priced inside the AOV band."""
    product = get_product(product_sku)
    if product is None or not product.in_stock:
        return None
    config = config or load_bundle_config()
    aov = aov if aov is not None else store_aov(now, config.days)
    if not aov:
        return None
    skipped = set(exclude) | {product.sku}
    partners = [p for p in _partners(product.sku) if p[0] not in skipped]
    products = data.get_products(sku for sku, *_ in partners)
    first: dict[str, tuple[str, str]] = {}
    for sku, kind, reason in partners:
        first.setdefault(sku, (kind, reason))
    options = [(products[sku], kind, reason) for sku, (kind, reason) in first.items()
               if sku in products and products[sku].in_stock and products[sku].price != product.price]
    options.sort(key=lambda option: option[0].price > product.price)      # stable: cheaper partners first
    for partner, kind, reason in options:
        high, low = (product, partner) if product.price > partner.price else (partner, product)
        priced = price_bundle((high, low), aov, config)
        if priced is not None:
            return Bundle(high, low, priced.price, priced.list_price, priced.saving, priced.discount, aov,
                          kind, reason)
    return None
