"""Taking several items at once (都要了 / 想买个保温杯和雨伞): what is taken, what it costs, the 满减 it reaches."""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Sequence

from bot.bargain.ladder import multi_buy_deal, multi_buy_rule
from bot.catalog.index import mention_in
from bot.catalog.products import ProductView
from bot.recommendations import metrics
from bot.recommendations import store_data as data
from bot.store.config import StoreConfig
from bot.store.policies import reduction_reached

if TYPE_CHECKING:
    from bot.db.uow import AbstractUnitOfWork


@dataclass(frozen=True)
class Basket:
    products: tuple[ProductView, ...]
    total: float
    reduction: dict[str, str] | None          # the 满减 tier the total reaches, as script values

    def values(self) -> dict[str, object]:
        items = [{"name": p.name, "price": f"{p.price:g}"} for p in self.products]
        return {"suggestions": items, "total": f"{self.total:g}", **(self.reduction or {})}


def _basket(uow: AbstractUnitOfWork, conversation_id: str, products: list[ProductView], store: StoreConfig) -> Basket:
    for product in products:
        metrics.record_accepted_if_suggested(uow, conversation_id, product.sku)
    total = round(sum(p.price for p in products), 2)
    return Basket(tuple(products), total, reduction_reached(store, total))


def take_shown(uow: AbstractUnitOfWork, conversation_id: str, skus: Sequence[str], store: StoreConfig,
               count: int | None = None) -> Basket | None:
    """The in-stock items of those shown, each counted as an accepted suggestion; None for fewer than two, or
    when the shopper's number (两个都要) is not the number shown."""
    found = data.get_products(uow, skus)
    shown = list(dict.fromkeys(s for s in skus if s in found))
    products = [found[s] for s in shown if found[s].in_stock]
    if len(products) < 2 or (count is not None and count != len(shown)):
        return None
    return _basket(uow, conversation_id, products, store)


def take_named(uow: AbstractUnitOfWork, conversation_id: str, text: str, store: StoreConfig) -> Basket | None:
    """想买个保温杯和雨伞: two or more kinds named, each one product in stock; None otherwise."""
    kinds = mention_in(uow, text).strong
    if len(kinds) < 2 or any(len(kind) != 1 for kind in kinds):
        return None
    found = data.get_products(uow, [next(iter(kind)) for kind in kinds])
    products = list({p.sku: p for p in found.values()}.values())
    if len(products) < 2 or not all(p.in_stock for p in products):
        return None
    return _basket(uow, conversation_id, products, store)


@dataclass(frozen=True)
class Pieces:
    """Several pieces of one item (要两双): the multi-buy price when the store's ladder rewards the number."""

    kind: str                                # "deal" | "plain" | "short" (fewer in stock than asked)
    product: ProductView
    qty: int
    unit_price: float
    total: float
    saving: float

    def values(self) -> dict[str, object]:
        return {"product": self.product.name, "sku": self.product.sku, "qty": str(self.qty),
                "deal_price": f"{self.unit_price:g}", "total": f"{self.total:g}", "saving": f"{self.saving:g}",
                "stock": str(self.product.stock)}


def take_pieces(product: ProductView, qty: int) -> Pieces:
    """The price of `qty` pieces: each cheaper from the multi-buy step's number on, never below the floor."""
    if product.stock < qty:
        return Pieces("short", product, qty, product.price, round(product.price * product.stock, 2), 0.0)
    rule = multi_buy_rule()
    if rule and qty >= int(rule.get("min_qty", 2)):
        deal = multi_buy_deal(product, qty, float(rule.get("discount_per_item", 0)))
        if deal.price < product.price:
            return Pieces("deal", product, qty, deal.price, round(deal.price * qty, 2), round(deal.saving, 2))
    return Pieces("plain", product, qty, product.price, round(product.price * qty, 2), 0.0)
