"""Related-item suggestions: substitute, complementary, latent and popular items.

Curated relations (relations.yml) always come first; the other candidates fill up to `limit`. A suggestion is
never the product under discussion, an item in the cart, a declined item or an out-of-stock item; items
already shown in the conversation are ranked last.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Callable, Iterable

from bot.catalog.products import ProductView, get_product, list_products
from bot.recommendations import store_data as data
from bot.recommendations.types import Kind, RecommendationContext, Suggestion

if TYPE_CHECKING:
    from bot.db.uow import AbstractUnitOfWork

PRICE_BAND = 0.4                       # substitutes cost within ±40% of the product
# Free-text attributes that say nothing about how the product looks or feels.
IGNORED_ATTRIBUTES = {"size_chart", "washing", "size_tip", "size_guide", "description"}

Candidate = tuple[str, str, str, float]          # (sku, reason, reason_code, score)


def _values(attribute: object) -> list[str]:
    if isinstance(attribute, dict):
        return []
    if isinstance(attribute, (list, tuple)):
        return [str(v) for v in attribute]
    return [str(attribute)]


def has_only(product: ProductView, value: str) -> bool:
    """True when the product has the disliked value: in its name, a plain attribute, or every listed option."""
    if not value:
        return False
    if value in product.name:
        return True
    for key, attribute in product.attributes.items():
        options = [] if key in IGNORED_ATTRIBUTES else _values(attribute)
        if options and all(value in option for option in options):
            return True
    return False


def disliked_value(ctx: RecommendationContext, base: ProductView | None) -> str | None:
    """The disliked value: the entity, else an attribute value of the product the shopper's words name."""
    if ctx.disliked and ctx.disliked.strip():
        return ctx.disliked.strip()
    if base is None or not ctx.text:
        return None
    for key, attribute in base.attributes.items():
        if key in IGNORED_ATTRIBUTES:
            continue
        for value in _values(attribute):
            if len(value) >= 2 and value in ctx.text:
                return value
    return None


def finish(uow: AbstractUnitOfWork, kind: Kind, candidates: Iterable[Candidate], ctx: RecommendationContext, limit: int,
           keep: Callable[[ProductView, str], bool] | None = None) -> list[Suggestion]:
    """Candidates to suggestions: first occurrence wins; excluded, out-of-stock and unkept ones dropped."""
    excluded, seen, ordered = ctx.excluded, set(), []
    for candidate in candidates:
        if candidate[0] not in seen and candidate[0] not in excluded:
            seen.add(candidate[0])
            ordered.append(candidate)
    products = data.get_products(uow, (sku for sku, *_ in ordered))
    found = []
    for sku, reason, code, score in ordered:
        product = products.get(sku)
        if product is None or not product.in_stock or not ctx.suits(product) or (
                keep is not None and not keep(product, code)):
            continue
        found.append(Suggestion(kind, product, reason, code, round(score, 4)))
    shown = set(ctx.shown_skus)
    found.sort(key=lambda s: s.product.sku in shown)     # stable: already shown ones last
    return found[:max(limit, 0)]


def _curated(uow: AbstractUnitOfWork, sku: str, type_: str, code: str, top: float = 2.0) -> list[Candidate]:
    return [(to, reason, code, top - i * 0.01) for i, (to, reason) in enumerate(data.relations(uow, sku, type_))]


def substitutes(uow: AbstractUnitOfWork, ctx: RecommendationContext, limit: int = 3) -> list[Suggestion]:
    """Same kind of item without the disliked value, in stock, in a similar price band; curated ones first.

    For an out-of-stock product every suggestion carries reason_code "in_stock_alternative".
    """
    base = get_product(uow, ctx.product_sku)
    if base is None:
        return []
    disliked = disliked_value(ctx, base)
    out_of_stock = not base.in_stock
    price = max(base.price, 0.01)
    low, high = price * (1 - PRICE_BAND), price * (1 + PRICE_BAND)
    curated = _curated(uow, base.sku, "substitute", "in_stock_alternative" if out_of_stock else "curated")
    peers = sorted((p for p in data.category_products(uow, base.category) if low <= p.price <= high),
                   key=lambda p: (abs(p.price - price), p.sku))
    code = "in_stock_alternative" if out_of_stock else "same_category"
    fallback = [(p.sku, "", code, 1.0 - abs(p.price - price) / price) for p in peers]

    def keep(product: ProductView, _code: str) -> bool:
        return not (disliked and has_only(product, disliked))

    return finish(uow, "substitute", curated + fallback, ctx, limit, keep)


def _bases(ctx: RecommendationContext) -> list[str]:
    return list(dict.fromkeys(s for s in (ctx.product_sku, *ctx.cart_skus) if s))


def complements(uow: AbstractUnitOfWork, ctx: RecommendationContext, limit: int = 3) -> list[Suggestion]:
    """Curated complementary items first, then mined co-purchases of another category (worded with a curated
    latent reason when the store gave one); in stock, not in the cart."""
    bases = _bases(ctx)
    if not bases:
        return []
    curated = [c for sku in bases for c in _curated(uow, sku, "complementary", "curated")]
    known = {to: reason for sku in bases for to, reason in data.relations(uow, sku, "latent") if reason}
    mined = [(other, known.get(other, ""), "co_purchase", confidence)
             for sku in bases for other, confidence, _lift in data.co_purchases(uow, sku, limit=max(limit, 1) * 4)]
    categories = {p.category for p in data.get_products(uow, bases).values()}

    def keep(product: ProductView, code: str) -> bool:
        return code != "co_purchase" or product.category not in categories   # same category = a substitute

    return finish(uow, "complementary", curated + mined, ctx, limit, keep)


def inferred_scenes(ctx: RecommendationContext, base: ProductView | None = None) -> list[data.Scene]:
    """Scenes named by the scene entity or the shopper's words, then those of the product, in that order."""
    scenes = data.load_scenes()
    found: list[data.Scene] = []
    if ctx.scene:
        found += [s for s in scenes if s.id == ctx.scene.strip()] + data.scenes_in_text(ctx.scene, scenes)
    found += data.scenes_in_text(ctx.text, scenes)
    if base is not None:
        found += [s for tag in base.scenes for s in scenes if tag in (s.tag, s.id, s.name)]
    by_id = {s.id: s for s in found}
    return [by_id[scene_id] for scene_id in dict.fromkeys(s.id for s in found)]


def latent(uow: AbstractUnitOfWork, ctx: RecommendationContext, limit: int = 3) -> list[Suggestion]:
    """Practical items for the shopper's situation: curated latent relations, then the inferred scenes' items."""
    base = get_product(uow, ctx.product_sku)
    candidates = _curated(uow, base.sku, "latent", "curated") if base else []
    for rank, scene in enumerate(inferred_scenes(ctx, base)):
        candidates += [(sku, "", f"scene:{scene.id}", 1.0 - rank * 0.1 - i * 0.001)
                       for i, sku in enumerate(scene.products)]

    def keep(product: ProductView, code: str) -> bool:
        return base is None or code == "curated" or product.category != base.category

    return finish(uow, "latent", candidates, ctx, limit, keep)


def best_of_offered(uow: AbstractUnitOfWork, ctx: RecommendationContext, limit: int = 2) -> list[Suggestion]:
    """The best sellers among the choice just offered (那推荐哪个), the offer's order breaking ties."""
    sold = dict(data.best_sellers(uow, limit=200))
    ranked = sorted(ctx.offered_skus, key=lambda sku: -sold.get(sku, 0))
    return finish(uow, "popular", [(sku, "", "popular", float(sold.get(sku, 0))) for sku in ranked], ctx, limit)


def popular(uow: AbstractUnitOfWork, ctx: RecommendationContext, limit: int = 3) -> list[Suggestion]:
    """Best sellers of the last 30 days (in-stock products by stock when nothing sold)."""
    sellers = data.best_sellers(uow, limit=max(limit, 1) * 4 + len(ctx.excluded))
    candidates = [(sku, "", "popular", float(units)) for sku, units in sellers]
    if not candidates:
        products = sorted(list_products(uow), key=lambda p: (-p.stock, p.sku))
        candidates = [(p.sku, "", "popular", 0.0) for p in products]
    return finish(uow, "popular", candidates, ctx, limit)
