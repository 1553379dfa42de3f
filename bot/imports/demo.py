"""Taking the demo store out of a database that a real store now uses (the console's 移除演示数据)."""
from __future__ import annotations

from dataclasses import dataclass

import yaml

from bot.db.uow import AbstractUnitOfWork
from bot.imports.refresh import after_orders, after_products
from bot.settings import get_settings

DEMO_BUYERS = "demo-buyer-%"     # the generated history's customers (bot.catalog.history)


@dataclass(frozen=True)
class DemoRemoval:
    orders: int
    products: int
    kept: tuple[str, ...]        # demo products a real order still contains


def demo_skus() -> list[str]:
    path = get_settings().store_data_dir / "products.yml"
    return [p["sku"] for p in yaml.safe_load(path.read_text(encoding="utf-8"))["products"]]


def remove_demo_data(uow: AbstractUnitOfWork) -> DemoRemoval:
    skus = demo_skus()
    removed_orders = uow.imports.remove_demo_orders(DEMO_BUYERS)
    kept = tuple(sorted(uow.imports.skus_on_orders(skus)))
    removed_products = uow.imports.remove_products([sku for sku in skus if sku not in kept], skus)
    uow.commit()
    after_products([])
    after_orders(uow)
    return DemoRemoval(removed_orders, removed_products, kept)
