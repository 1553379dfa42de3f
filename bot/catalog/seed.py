"""Load the demo store from data/store/*.yml and a seeded order history into an empty database."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import yaml

from bot.catalog.history import generate_history
from bot.db.models import Customer, Order, OrderLine, Product, ProductRelation
from bot.db.uow import AbstractUnitOfWork


@dataclass(frozen=True)
class SeedReport:
    products: int
    relations: int
    orders: int
    skipped: bool


def read_yaml(path: Path, key: str) -> list[dict]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))[key]


def seed_demo_store(uow: AbstractUnitOfWork, data_dir: Path, seed: int, end: datetime | None = None) -> SeedReport:
    """Idempotent: does nothing when products already exist."""
    if uow.products.count():
        return SeedReport(uow.products.count(), 0, uow.orders.count(), skipped=True)
    products = read_yaml(data_dir / "products.yml", "products")
    relations = read_yaml(data_dir / "relations.yml", "relations")
    seeded_at = end or datetime.now(UTC)
    uow.products.add_all(
        Product(
            sku=p["sku"], name=p["name"], category=p["category"], price=float(p["price"]),
            floor_price=float(p.get("floor_price", p["price"])), stock=int(p.get("stock", 0)),
            attributes={**(p.get("attributes") or {}), **({"size_chart": p["size_chart"]} if p.get("size_chart") else {})},
            scenes=p.get("scenes") or [], aliases=p.get("aliases") or [],
            description=p.get("description", ""), image=p.get("image", ""),
            consumable_days=p.get("consumable_days"),
            restock_date=(seeded_at + timedelta(days=p["restock_in_days"])).date() if p.get("restock_in_days") else None,
        )
        for p in products
    )
    uow.relations.add_all(
        ProductRelation(from_sku=r["from"], to_sku=r["to"], type=r["type"], reason=r.get("reason", ""))
        for r in relations
    )
    history = generate_history(products, relations, seed=seed, end=end, customers=2500)
    uow.customers.add_all(Customer(id=customer_id) for customer_id in sorted({o.customer_id for o in history}))
    uow.orders.add_all(
        Order(id=generated.order_id, customer_id=generated.customer_id, agent_id=generated.agent_id,
              status=generated.status, created_at=generated.created_at, paid_at=generated.paid_at,
              total=round(sum(q * p for _, q, p in generated.lines), 2),
              lines=[OrderLine(sku=s, qty=q, unit_price=p) for s, q, p in generated.lines])
        for generated in history)
    uow.commit()
    return SeedReport(len(products), len(relations), len(history), skipped=False)
