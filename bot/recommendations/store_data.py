"""What the recommender reads: products, curated relations, mined co-purchases, scenes and recent sales."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Iterable

from bot.catalog.products import ProductView, product_view
from bot.clock import as_utc, utcnow
from bot.settings import get_settings
from bot.store.files import parsed_when_changed

if TYPE_CHECKING:
    from bot.db.uow import AbstractUnitOfWork

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


def get_products(uow: AbstractUnitOfWork, skus: Iterable[str]) -> dict[str, ProductView]:
    wanted = list(dict.fromkeys(s for s in skus if s))
    if not wanted:
        return {}
    return {p.sku: product_view(p) for p in uow.products.by_skus(wanted)}


def category_products(uow: AbstractUnitOfWork, category: str) -> list[ProductView]:
    return [product_view(p) for p in uow.products.list(category)]


def categories(uow: AbstractUnitOfWork) -> list[str]:
    return uow.products.categories()


def relations(uow: AbstractUnitOfWork, sku: str, type_: str) -> list[tuple[str, str]]:
    """Curated relations of one type from a product: (to_sku, reason), in file order."""
    return [(r.to_sku, r.reason or "") for r in uow.relations.from_product(sku, type_)]


def co_purchases(uow: AbstractUnitOfWork, sku: str, limit: int = 10) -> list[tuple[str, float, float]]:
    """Mined rules sku -> other: (other, confidence, lift), strongest first."""
    return uow.co_purchases.from_sku(sku, limit)


def best_sellers(uow: AbstractUnitOfWork, days: int = 30, now: datetime | None = None,
                 limit: int = 20) -> list[tuple[str, int]]:
    """SKUs by units sold in paid orders of the last `days` days."""
    return uow.sales.best_sellers(utc(now) - timedelta(days=days), limit)
