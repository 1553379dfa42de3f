"""Read-only product views and name resolution (names, aliases, fragments of names)."""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import date
from threading import Lock
from typing import Any

from bot.db.models import Product
from bot.db.uow import UnitOfWork

LOW_STOCK = 5


@dataclass(frozen=True)
class ProductView:
    sku: str
    name: str
    category: str
    price: float
    floor_price: float
    stock: int
    attributes: dict[str, Any] = field(default_factory=dict)
    scenes: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    image: str = ""
    description: str = ""
    consumable_days: int | None = None
    restock_date: date | None = None

    @property
    def in_stock(self) -> bool:
        return self.stock > 0

    @property
    def low_stock(self) -> bool:
        return 0 < self.stock <= LOW_STOCK

    def as_json(self) -> dict[str, Any]:
        return {
            "sku": self.sku, "name": self.name, "category": self.category, "price": self.price,
            "stock": self.stock, "image": self.image, "description": self.description,
            "attributes": self.attributes, "scenes": list(self.scenes),
        }


def product_view(product: Product) -> ProductView:
    return ProductView(
        sku=product.sku, name=product.name, category=product.category, price=product.price,
        floor_price=product.floor_price, stock=product.stock, attributes=dict(product.attributes or {}),
        scenes=tuple(product.scenes or ()), aliases=tuple(product.aliases or ()), image=product.image,
        description=product.description, consumable_days=product.consumable_days,
        restock_date=product.restock_date,
    )


def get_product(sku: str | None) -> ProductView | None:
    if not sku:
        return None
    with UnitOfWork() as uow:
        product = uow.products.get(sku)
        return product_view(product) if product else None


def list_products(category: str | None = None) -> list[ProductView]:
    with UnitOfWork() as uow:
        return [product_view(p) for p in uow.products.list(category)]


class _NameIndex:
    """Names and aliases of all products, refreshed at most every `ttl` seconds."""

    def __init__(self, ttl: float = 30.0) -> None:
        self.ttl, self._at, self._lock = ttl, 0.0, Lock()
        self._names: list[tuple[str, str]] = []

    def names(self) -> list[tuple[str, str]]:
        with self._lock:
            if time.monotonic() - self._at > self.ttl or not self._names:
                pairs = []
                for p in list_products():
                    pairs += [(n.lower(), p.sku) for n in (p.name, *p.aliases)]
                self._names = sorted(pairs, key=lambda pair: -len(pair[0]))
                self._at = time.monotonic()
            return self._names

    def clear(self) -> None:
        with self._lock:
            self._names, self._at = [], 0.0


NAME_INDEX = _NameIndex()


def find_product(mention: str | None) -> ProductView | None:
    """Resolve a product mention: exact name or alias, then the longest name inside it or containing it."""
    if not mention:
        return None
    text = mention.strip().lower()
    names = NAME_INDEX.names()
    for name, sku in names:
        if name == text:
            return get_product(sku)
    for name, sku in names:
        if name in text:
            return get_product(sku)
    for name, sku in names:
        if len(text) >= 2 and text in name:
            return get_product(sku)
    return None
