"""Choosing the fitting suggestion type for the conversation, and the multi-buy offer for hesitant buyers."""
from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

from bot.bargain.ladder import multi_buy_deal, multi_buy_rule
from bot.catalog.products import ProductView, get_product
from bot.recommendations import metrics
from bot.recommendations.bundles import store_aov, suggest_bundle
from bot.recommendations.candidates import best_of_offered, complements, inferred_scenes, latent, popular, substitutes
from bot.recommendations.scenes import category_in, scene_collection
from bot.recommendations.types import Recommendation, RecommendationContext, Suggestion
from bot.store.config import load_store

if TYPE_CHECKING:
    from bot.db.uow import AbstractUnitOfWork

BUNDLE_INTENTS = {"want_buy"}
# Shopper words asking for items like the current one rather than items that go with it.
MATCH_WORDS = ("搭配", "配什么", "怎么配", "搭什么", "配点什么", "怎么搭")
LIKING_WORDS = ("好看", "喜欢", "不错", "挺好", "满意", "心动")
SIMILAR_WORDS = ("类似", "差不多", "同类", "相似", "别的款", "其他款", "换一款", "换个款", "还有别的")


def _perks(product: ProductView, total: float) -> dict[str, Any]:
    """Store promotions that taking several pieces reaches and one piece does not."""
    store = load_store()
    reached = lambda threshold: product.price < float(threshold) <= total   # noqa: E731
    perks: dict[str, Any] = {}
    free = store.shipping.get("free_shipping_threshold")
    if free and reached(free):
        perks["free_shipping_threshold"] = f"{float(free):g}"
    tiers = [t for t in store.promotions.get("full_reduction") or [] if reached(t["threshold"])]
    if tiers:
        perks["threshold"] = f"{float(tiers[-1]['threshold']):g}"
    coupons = [c for c in store.promotions.get("coupons") or [] if reached(c.get("min_spend", 0))]
    if coupons:
        perks["coupon"] = {"amount": coupons[0]["amount"], "min_spend": coupons[0]["min_spend"]}
    gift = store.promotions.get("pay_now_gift")
    if gift and reached(gift.get("min_spend", 0)):
        perks["gift"] = gift["name"]
    return perks


def multibuy_offer(uow: AbstractUnitOfWork, ctx: RecommendationContext,
                   aov: float | None = None) -> tuple[Suggestion, dict[str, Any]] | None:
    """Take several of the same style: for a cheap item (price < store AOV) when the store's multi-buy rule
    or a promotion threshold rewards it. Returns the suggestion and its script values."""
    base = get_product(uow, ctx.product_sku)
    if base is None or base.sku in ctx.declined_skus:
        return None
    rule = multi_buy_rule()
    deal = multi_buy_deal(base, int(rule.get("min_qty", 2)), float(rule.get("discount_per_item", 0)))
    aov = aov if aov is not None else store_aov(uow)
    if base.stock < deal.qty or not aov or base.price >= aov:
        return None
    total = round(deal.price * deal.qty, 2)
    perks = _perks(base, total)
    if deal.price >= base.price and not perks:
        return None
    values = {**deal.values(), "total": f"{total:g}", **perks}
    return Suggestion("multibuy", base, "", "multibuy", 1.0), values


def _scene_name(ctx: RecommendationContext, base: ProductView | None) -> str | None:
    scenes = inferred_scenes(ctx, base)
    return scenes[0].name if scenes else None


def _merge(first: list[Suggestion], then: list[Suggestion], limit: int) -> list[Suggestion]:
    taken = {s.product.sku for s in first}
    return (first + [s for s in then if s.product.sku not in taken])[:max(limit, 0)]


def _related(uow: AbstractUnitOfWork, ctx: RecommendationContext, base: ProductView | None,
             limit: int) -> Recommendation:
    """Complementary items filled up with latent ones (latent first when the shopper's words name a scene),
    with a bundle offer when the shopper decided to buy and one fits the AOV band."""
    matching = any(word in ctx.text for word in MATCH_WORDS)   # 怎么搭配: what goes with it comes first
    if inferred_scenes(RecommendationContext(text=ctx.text, scene=ctx.scene)) and not matching:
        found = _merge(latent(uow, ctx, limit), complements(uow, ctx, limit), limit)
    else:
        found = _merge(complements(uow, ctx, limit), latent(uow, ctx, limit), limit)
    scene = _scene_name(ctx, base)
    values: dict[str, Any] = {"scene": scene} if scene else {}
    bundle = None
    if base is not None and (ctx.intent or "") in BUNDLE_INTENTS:
        bundle = suggest_bundle(uow, base.sku, exclude=(*ctx.declined_skus, *ctx.cart_skus))
        if bundle is not None:
            values.update(bundle.values())
    kind = found[0].kind if found else "none"
    return Recommendation(kind, tuple(found), bundle=bundle, scene_name=scene, values=values)


def _scene(uow: AbstractUnitOfWork, ctx: RecommendationContext, base: ProductView | None, limit: int) -> Recommendation:
    """The scene collection the words name, led by latent items for the product under discussion (unless the
    words name a whole category: then the shopper is choosing within it, not adding to one item)."""
    words = " ".join(w for w in (ctx.scene, ctx.text) if w)
    if base is not None and category_in(uow, words):
        base, ctx = None, replace(ctx, product_sku=None)
    collection = scene_collection(uow, words, ctx)
    items = list(latent(uow, ctx, limit)) if base is not None else []
    excluded = ctx.excluded | {s.product.sku for s in items}
    if collection is not None:
        items += [s for s in collection.suggestions if s.product.sku not in excluded]
    cap = max(limit, len(collection.groups) if collection else 0)
    scene = collection.name if collection else _scene_name(ctx, base)
    kind = "scene" if collection else "latent"
    return Recommendation(kind if items else "none", tuple(items[:cap]), collection=collection,
                          scene_name=scene, values={"scene": scene} if scene else {})


def recommend(uow: AbstractUnitOfWork, ctx: RecommendationContext, limit: int = 3) -> Recommendation:
    """The fitting type for the situation: dislike or out of stock -> substitute; want_buy -> complementary
    and latent items, with a bundle when one fits; hesitate -> multi-buy or substitute; ask_recommendation ->
    substitutes when the words ask for similar items, else complementary and latent items for the current
    product or cart, else the scene the words name, else popular items; ask_scene -> scene collection."""
    intent = ctx.intent or ""
    base = get_product(uow, ctx.product_sku)
    if intent == "dislike_product" or (base is not None and not base.in_stock and intent != "ask_scene"):
        found = substitutes(uow, ctx, limit)
        return Recommendation("substitute" if found else "none", tuple(found))
    if intent == "hesitate":
        offer = multibuy_offer(uow, ctx)
        if offer is not None:
            return Recommendation("multibuy", (offer[0],), values=offer[1])
        if any(word in ctx.text for word in LIKING_WORDS):
            return Recommendation("none")           # 挺好看的，再考虑考虑: she likes it; other items would contradict
        found = substitutes(uow, ctx, limit)
        return Recommendation("substitute" if found else "none", tuple(found))
    if intent == "ask_scene":
        return _scene(uow, ctx, base, limit)
    if base is not None and any(word in ctx.text for word in SIMILAR_WORDS):
        found = substitutes(uow, ctx, limit)
        if found:
            return Recommendation("substitute", tuple(found))
    if base is not None or ctx.cart_skus:
        return _related(uow, ctx, base, limit)
    if ctx.scene or ctx.text:
        by_scene = _scene(uow, ctx, None, limit)
        if by_scene.suggestions:
            return by_scene
    if ctx.offered_skus and (best := best_of_offered(uow, ctx)):
        return Recommendation("offered_best", tuple(best))   # 那推荐哪个, right after a choice: one of those
    found = popular(uow, ctx, limit)
    return Recommendation("popular" if found else "none", tuple(found))


def in_conversation(uow: AbstractUnitOfWork, conversation_id: str, ctx: RecommendationContext) -> RecommendationContext:
    """The context with what this conversation was already shown and declined (read in the same step)."""
    shown, declined = metrics.memory(uow, conversation_id)
    return replace(ctx, shown_skus=shown, declined_skus=declined)


def recommend_in_conversation(uow: AbstractUnitOfWork, conversation_id: str, ctx: RecommendationContext,
                              limit: int = 3) -> Recommendation:
    """`recommend` for a conversation: its memory and the recommendation in one unit-of-work step."""
    return recommend(uow, in_conversation(uow, conversation_id, ctx), limit)


def substitutes_in_conversation(uow: AbstractUnitOfWork, conversation_id: str, ctx: RecommendationContext,
                                limit: int = 3) -> list[Suggestion]:
    return substitutes(uow, in_conversation(uow, conversation_id, ctx), limit)
