"""What the recommender reads: products, curated relations, mined co-purchases, scenes and recent sales."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Iterable

from sqlalchemy import func, select

from bot.catalog.products import ProductView, product_view
from bot.clock import as_utc, utcnow
from bot.db.models import Order, OrderLine, Product
from bot.db.uow import UnitOfWork
from bot.recommendations.tables import CoPurchase
from bot.settings import get_settings
from bot.store.files import parsed_when_changed

PAID_STATUSES = ("paid", "shipped", "delivered")


@dataclass(frozen=True)
class Scene:
    id: str
    name: str
    keywords: tuple[str, ...]      # keywords[0] is the tag products carry in `scenes`
    products: tuple[str, ...]      # best shown first
    intro: str

    @property
    def tag(self) -> str:
        return self.keywords[0] if self.keywords else self.name

    def matches(self, word: str) -> bool:
        word = word.strip()
        return bool(word) and (word in (self.id, self.name) or any(k in word for k in (self.name, *self.keywords)))


def parse_scenes(raw: dict) -> tuple[Scene, ...]:
    return tuple(
        Scene(id=str(s["id"]), name=str(s.get("name", s["id"])), keywords=tuple(s.get("keywords") or ()),
              products=tuple(s.get("products") or ()), intro=str(s.get("intro", "")))
        for s in raw.get("scenes") or ()
    )


def load_scenes(directory: Path | None = None) -> tuple[Scene, ...]:
    """scenes.yml of the store, re-read when the file changes."""
    path = (directory or get_settings().store_data_dir) / "scenes.yml"
    return parsed_when_changed(path, parse_scenes) if path.exists() else ()


def scenes_in_text(text: str, scenes: Iterable[Scene] | None = None) -> list[Scene]:
    """Scenes whose id, name or a keyword occurs in the text, in order of first occurrence."""
    if not text:
        return []
    found: list[tuple[int, Scene]] = []
    for scene in scenes if scenes is not None else load_scenes():
        positions = [text.find(w) for w in (scene.name, *scene.keywords) if w and w in text]
        if text.strip() == scene.id:
            positions.append(0)
        if positions:
            found.append((min(positions), scene))
    return [scene for _, scene in sorted(found, key=lambda pair: pair[0])]


def scene_by_tag(tag: str) -> Scene | None:
    return next((s for s in load_scenes() if tag in (s.tag, s.id, s.name)), None)


def utc(moment: datetime | None) -> datetime:
    """Now, or the given time, in UTC (naive times are taken as UTC, as SQLite returns them)."""
    return as_utc(moment or utcnow()).astimezone(UTC)


def get_products(skus: Iterable[str]) -> dict[str, ProductView]:
    wanted = list(dict.fromkeys(s for s in skus if s))
    if not wanted:
        return {}
    with UnitOfWork() as uow:
        rows = uow.session.scalars(select(Product).where(Product.sku.in_(wanted))).all()
        return {p.sku: product_view(p) for p in rows}


def category_products(category: str) -> list[ProductView]:
    with UnitOfWork() as uow:
        return [product_view(p) for p in uow.products.list(category)]


def categories() -> list[str]:
    with UnitOfWork() as uow:
        return list(uow.session.scalars(select(Product.category).distinct()))


def relations(sku: str, type_: str) -> list[tuple[str, str]]:
    """Curated relations of one type from a product: (to_sku, reason), in file order."""
    with UnitOfWork() as uow:
        return [(r.to_sku, r.reason or "") for r in uow.relations.from_product(sku, type_)]


def co_purchases(sku: str, limit: int = 10) -> list[tuple[str, float, float]]:
    """Mined rules sku -> other: (other, confidence, lift), strongest first."""
    stmt = (
        select(CoPurchase.sku_b, CoPurchase.confidence, CoPurchase.lift)
        .where(CoPurchase.sku_a == sku)
        .order_by(CoPurchase.confidence.desc(), CoPurchase.lift.desc(), CoPurchase.sku_b)
        .limit(limit)
    )
    with UnitOfWork() as uow:
        return [(b, float(c), float(l)) for b, c, l in uow.session.execute(stmt)]


def best_sellers(days: int = 30, now: datetime | None = None, limit: int = 20) -> list[tuple[str, int]]:
    """SKUs by units sold in paid orders of the last `days` days."""
    since = utc(now) - timedelta(days=days)
    units = func.sum(OrderLine.qty)
    stmt = (
        select(OrderLine.sku, units)
        .join(Order, Order.id == OrderLine.order_id)
        .where(Order.status.in_(PAID_STATUSES), Order.paid_at >= since)
        .group_by(OrderLine.sku)
        .order_by(units.desc(), OrderLine.sku)
        .limit(limit)
    )
    with UnitOfWork() as uow:
        return [(sku, int(n)) for sku, n in uow.session.execute(stmt)]
