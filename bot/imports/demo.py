"""Taking the demo store out of a database that a real store now uses (the console's 移除演示数据)."""
from __future__ import annotations

from dataclasses import dataclass

import yaml
from sqlalchemy import delete, or_, select

from bot.db.models import Customer, Order, OrderLine, Product, ProductRelation
from bot.db.uow import UnitOfWork
from bot.recommendations.tables import CoPurchase
from bot.reminders.tables import Reminder
from bot.security.tables import Payment
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


def remove_demo_data() -> DemoRemoval:
    skus = demo_skus()
    with UnitOfWork() as uow:
        s = uow.session
        orders = select(Order.id).where(Order.customer_id.like(DEMO_BUYERS))
        removed_orders = len(s.scalars(orders).all())
        for model in (Reminder, Payment, OrderLine):
            s.execute(delete(model).where(model.order_id.in_(orders)).execution_options(synchronize_session=False))
        s.execute(delete(Order).where(Order.customer_id.like(DEMO_BUYERS)).execution_options(synchronize_session=False))
        s.execute(delete(Customer).where(Customer.id.like(DEMO_BUYERS)).execution_options(synchronize_session=False))
        kept = tuple(sorted(set(s.scalars(select(OrderLine.sku).where(OrderLine.sku.in_(skus)).distinct()))))
        gone = [sku for sku in skus if sku not in kept]
        s.execute(delete(ProductRelation).where(or_(ProductRelation.from_sku.in_(gone), ProductRelation.to_sku.in_(gone)))
                  .execution_options(synchronize_session=False))
        s.execute(delete(CoPurchase).where(or_(CoPurchase.sku_a.in_(skus), CoPurchase.sku_b.in_(skus)))
                  .execution_options(synchronize_session=False))
        removed_products = s.execute(delete(Product).where(Product.sku.in_(gone))
                                     .execution_options(synchronize_session=False)).rowcount or 0
        uow.commit()
    from bot.imports.refresh import after_orders, after_products

    after_products([])
    after_orders()
    return DemoRemoval(removed_orders, removed_products, kept)
