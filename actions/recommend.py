"""Related-item suggestions as product cards: substitute, complementary, latent, scene, multi-buy."""
from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.context import call, entity, product_in_context
from actions.suggestions import cards_payload, suggestion_turn_gap, unsolicited_allowed
from bot.recommendations import RecommendationContext, recommend, scene_collection, substitutes
from bot.recommendations import metrics

KIND_RESPONSES = {
    "substitute": "utter_suggest_substitute",
    "complementary": "utter_suggest_complementary",
    "latent": "utter_suggest_latent",
    "scene": "utter_scene_collection",
    "multibuy": "utter_suggest_multibuy",
    "popular": "utter_recommend_popular",
}


async def build_context(tracker: Tracker, product_sku: str | None) -> RecommendationContext:
    metadata = tracker.latest_message.get("metadata") or {}
    declined = await call(metrics.declined_skus, tracker.sender_id)
    return RecommendationContext(
        product_sku=product_sku,
        cart_skus=tuple(item.get("sku") for item in metadata.get("cart") or [] if isinstance(item, dict)),
        intent=tracker.get_intent_of_latest_message(),
        text=tracker.latest_message.get("text") or "",
        disliked=entity(tracker, "feature") or entity(tracker, "color"),
        scene=entity(tracker, "scene"),
        declined_skus=tuple(declined),
    )


async def send_suggestions(dispatcher: CollectingDispatcher, tracker: Tracker, kind: str, suggestions: list,
                           values: dict[str, Any]) -> None:
    if not suggestions:
        return
    first = suggestions[0]
    dispatcher.utter_message(
        response=KIND_RESPONSES[kind],
        suggestions=[s.product.name for s in suggestions],
        reason=first.reason,
        custom=cards_payload(suggestions),
        **values,
    )
    await call(metrics.record_shown, tracker.sender_id, [(s.product.sku, s.kind) for s in suggestions])


class ActionSuggestSubstitute(Action):
    def name(self) -> str:
        return "action_suggest_substitute"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[dict[str, Any]]:
        product, events = await product_in_context(tracker)
        context = await build_context(tracker, product.sku if product else None)
        found = await call(substitutes, context)
        name = product.name if product else ""
        if not found:
            dispatcher.utter_message(response="utter_no_substitute", product=name)
            return events
        await send_suggestions(dispatcher, tracker, "substitute", found, {"product": name})
        return events


class ActionRecommendProducts(Action):
    def name(self) -> str:
        return "action_recommend_products"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[dict[str, Any]]:
        product, events = await product_in_context(tracker)
        context = await build_context(tracker, product.sku if product else None)
        result = await call(recommend, context)
        if not result.suggestions:
            dispatcher.utter_message(response="utter_no_substitute", product=product.name if product else "")
            return events
        values = {"product": product.name if product else "", "scene": result.scene_name or ""}
        await send_suggestions(dispatcher, tracker, result.kind, list(result.suggestions), values)
        return events


class ActionRecommendForScene(Action):
    def name(self) -> str:
        return "action_recommend_for_scene"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[dict[str, Any]]:
        word = entity(tracker, "scene") or tracker.latest_message.get("text") or ""
        collection = await call(scene_collection, word)
        if collection is None or not collection.suggestions:
            dispatcher.utter_message(response="utter_ask_scene_details")
            return []
        await send_suggestions(dispatcher, tracker, "scene", list(collection.suggestions),
                               {"scene": collection.name})
        return [SlotSet("scene", collection.name)]


class ActionConfirmPurchase(Action):
    def name(self) -> str:
        return "action_confirm_purchase"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[dict[str, Any]]:
        product, events = await product_in_context(tracker)
        if product is None:
            dispatcher.utter_message(response="utter_ask_which_product")
            return events
        dispatcher.utter_message(response="utter_confirm_purchase", product=product.name, sku=product.sku)
        await call(metrics.record_accepted_if_suggested, tracker.sender_id, product.sku)
        if unsolicited_allowed(tracker):
            context = await build_context(tracker, product.sku)
            result = await call(recommend, context)
            await send_suggestions(dispatcher, tracker, result.kind, list(result.suggestions),
                                   {"product": product.name, "scene": result.scene_name or ""})
        return events


class ActionRespondHesitation(Action):
    def name(self) -> str:
        return "action_respond_hesitation"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[dict[str, Any]]:
        product, events = await product_in_context(tracker)
        dispatcher.utter_message(response="utter_hesitation_reassure", product=product.name if product else "")
        if product is not None and suggestion_turn_gap(tracker) >= 2:
            context = await build_context(tracker, product.sku)
            result = await call(recommend, context)
            await send_suggestions(dispatcher, tracker, result.kind, list(result.suggestions),
                                   {"product": product.name, **result.values})
        return events
