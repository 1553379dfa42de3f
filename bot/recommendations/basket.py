"""Taking every item just shown at once (都要了 / 三个都要): what is taken, what it costs, the 满减 it reaches."""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Sequence

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


def take_shown(uow: AbstractUnitOfWork, conversation_id: str, skus: Sequence[str], store: StoreConfig) -> Basket | None:
    """The in-stock items of those shown, each counted as an accepted suggestion; None for fewer than two."""
    found = data.get_products(uow, skus)
    products = [found[s] for s in dict.fromkeys(skus) if s in found and found[s].in_stock]
    if len(products) < 2:
        return None
    for product in products:
        metrics.record_accepted_if_suggested(uow, conversation_id, product.sku)
    total = round(sum(p.price for p in products), 2)
    return Basket(tuple(products), total, reduction_reached(store, total))
