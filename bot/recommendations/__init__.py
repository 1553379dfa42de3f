"""Related-item recommendations (关联销售): substitute, complementary, latent, scene and multi-buy suggestions,
bundles priced against AOV, mined co-purchases, pacing and measurement. Plain Python, no Rasa imports.

    from bot.recommendations import RecommendationContext, recommend
    result = recommend(RecommendationContext(product_sku="LUGGAGE-20-001", intent="want_buy"))
    result.kind, result.suggestions, result.bundle
    message = present.message(result, product)   # kind, values, cards (the action names the response)
"""
from bot.recommendations.engine import multibuy_offer, recommend
from bot.recommendations.scenes import scene_collection
from bot.recommendations.service import complements, latent, popular, substitutes
from bot.recommendations.types import (
    KINDS,
    Recommendation,
    RecommendationContext,
    SceneCollection,
    SceneGroup,
    Suggestion,
)

__all__ = [
    "KINDS", "Recommendation", "RecommendationContext", "SceneCollection", "SceneGroup", "Suggestion",
    "complements", "latent", "multibuy_offer", "popular", "recommend", "scene_collection",
    "substitutes",
]
