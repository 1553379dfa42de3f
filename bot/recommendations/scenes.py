"""Scene collections (环境导入式): items grouped by the scene where they are used."""
from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from bot.catalog.index import mention_in
from bot.catalog.products import ProductView
from bot.recommendations import store_data as data
from bot.recommendations.types import RecommendationContext, SceneCollection, SceneGroup, Suggestion

if TYPE_CHECKING:
    from bot.db.uow import AbstractUnitOfWork


def _group(scene: data.Scene, products: list[ProductView], limit: int) -> SceneGroup:
    suggestions = tuple(
        Suggestion("scene", p, "", f"scene:{scene.id}", round(1.0 - i * 0.01, 4))
        for i, p in enumerate(products[:limit])
    )
    return SceneGroup(scene.id, scene.name, scene.intro, suggestions)


def category_in(uow: AbstractUnitOfWork, word: str) -> str | None:
    """The product category the words name (longest first), if any."""
    names = sorted((c for c in data.categories(uow) if c), key=len, reverse=True)
    return next((c for c in names if c.lower() in word.lower()), None)


def named_kinds(uow: AbstractUnitOfWork, words: str, ctx: RecommendationContext | None) -> list[frozenset[str]]:
    """Each kind of product the words name (泳衣、防晒、还有拖鞋), in order; never one holding the item discussed."""
    own = ctx.excluded if ctx else set()
    kinds: list[frozenset[str]] = []
    for skus in mention_in(uow, words).strong:
        if not skus & own and skus not in kinds:
            kinds.append(skus)
    return kinds


def _one_of_each(uow: AbstractUnitOfWork, kinds: list[frozenset[str]], scene_items: list[ProductView],
                 fits: Callable[[ProductView], bool]) -> list[ProductView]:
    """The scene's items of each kind named, a kind at a time; a kind the scene lacks from the whole catalog."""
    per_kind = []
    for kind in kinds:
        own = [p for p in scene_items if p.sku in kind]
        per_kind.append(own or sorted((p for p in data.get_products(uow, kind).values() if fits(p)),
                                      key=lambda p: p.sku))
    width = max((len(k) for k in per_kind), default=0)
    picked = [k[i] for i in range(width) for k in per_kind if i < len(k)]
    return list({p.sku: p for p in picked}.values())


def scene_collection(uow: AbstractUnitOfWork, scene_id_or_word: str | None, ctx: RecommendationContext | None = None,
                     per_group: int = 4) -> SceneCollection | None:
    """The items of a scene ("海边", "beach", "去三亚度假穿什么"), or a category grouped by scene ("连衣裙").

    A scene and a category together ("海边穿的连衣裙") narrow the scene to that category when it has any.
    Out-of-stock and declined items are left out; None when the words name neither a scene nor a category.
    """
    word = (scene_id_or_word or "").strip()
    if not word:
        return None
    declined = set(ctx.declined_skus) if ctx else set()
    scenes = data.load_scenes()
    matched = [s for s in scenes if s.id == word] or data.scenes_in_text(word, scenes)
    category = category_in(uow, word)

    def fits(product: ProductView) -> bool:
        return product.in_stock and product.sku not in declined and (ctx is None or ctx.suits(product))

    if matched:
        scene = matched[0]
        products = data.get_products(uow, scene.products)
        items = [products[s] for s in scene.products if s in products and fits(products[s])]
        kinds = named_kinds(uow, word, ctx)
        if len(kinds) > 1:                        # 去三亚，泳衣、防晒还有拖鞋: one of each kind first
            items = _one_of_each(uow, kinds, items, fits) or items
        elif category:
            items = [p for p in items if p.category == category] or items
        return SceneCollection(scene.id, scene.name, scene.intro, (_group(scene, items, per_group),))

    if category is None:
        return None
    items = [p for p in data.category_products(uow, category) if fits(p)]
    groups: list = []
    used: set[str] = set()
    for scene in scenes:
        rank = {sku: i for i, sku in enumerate(scene.products)}
        members = sorted((p for p in items if p.sku not in used and (p.sku in rank or scene.tag in p.scenes)),
                         key=lambda p: (rank.get(p.sku, len(rank)), p.sku))
        if members:
            group = _group(scene, members, min(per_group, 2))
            used.update(s.product.sku for s in group.suggestions)
            groups.append(group)
    if not groups:
        return None
    return SceneCollection(f"category:{category}", category, "", tuple(groups))
