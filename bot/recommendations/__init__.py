"""Related-item recommendations (关联销售): substitute, complementary, latent, scene and multi-buy suggestions,
bundles priced against AOV, mined co-purchases, pacing and measurement. Plain Python, no Rasa imports.

    from bot.recommendations.engine import recommend
    from bot.recommendations.types import RecommendationContext
    result = recommend(uow, RecommendationContext(product_sku="LUGGAGE-20-001", intent="want_buy"))
    result.kind, result.suggestions, result.bundle
    message = present.message(result, product)   # kind, values, cards (the action names the response)
"""
