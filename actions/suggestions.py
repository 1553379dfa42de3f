"""Conversation-side helpers for suggestions: context from the tracker, pacing, and sending product cards."""
from __future__ import annotations

from typing import Any, Sequence

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.context import call, entity
from bot.catalog.index import shopper_wearer
from bot.catalog.products import ProductView
from bot.conversation.events import cards_of, last_shown_skus, recent_shown_skus, shopper_events
from bot.handoff import service as handoff
from bot.recommendations import metrics, pacing, present
from bot.recommendations.types import Recommendation, RecommendationContext, Suggestion

CARDS_TYPE = present.CARDS_TYPE
# The script response for each kind of suggestion message.
SUGGESTION_RESPONSES = {
    "substitute": "utter_suggest_substitute",
    "in_stock_alternative": "utter_suggest_in_stock_alternative",
    "restock_alternative": "utter_suggest_restock_alternative",
    "alternative_after_notice": "utter_suggest_alternative_after_notice",
    "complementary": "utter_suggest_complementary",
    "latent": "utter_suggest_latent",
    "scene": "utter_scene_collection",
    "scene_groups": "utter_scene_groups",
    "multibuy": "utter_suggest_multibuy",
    "popular": "utter_recommend_popular",
    "offered_best": "utter_recommend_among_offered",
    "bundle": "utter_bundle_offer",
}


def cards_payload(suggestions: Sequence[Suggestion]) -> dict[str, Any]:
    """Product cards in the widget's format (reasons and lines are worded by the NLG endpoint)."""
    return {"type": CARDS_TYPE, "cards": present.cards(suggestions)}


def shopper_turns(tracker: Tracker) -> list[pacing.Turn]:
    """The shopper's turns so far (the current one last) and whether each got suggestions."""
    turns: list[pacing.Turn] = []
    for event in tracker.events:
        if event.get("event") == "user":
            name = (event.get("parse_data") or {}).get("intent", {}).get("name")
            if not (name or "").startswith("EXTERNAL_"):
                turns.append(pacing.Turn(name))
        elif turns and not turns[-1].suggested and cards_of(event):
            turns[-1] = pacing.Turn(turns[-1].intent, True)
    return turns


def last_suggested_skus(tracker: Tracker) -> list[str]:
    """SKUs on the cards of the bot's reply to the shopper's previous message (what "yes"/"no" refers to)."""
    return last_shown_skus(tracker.events)


async def may_volunteer(tracker: Tracker, min_gap: int = pacing.MIN_GAP, handed_over: bool | None = None) -> bool:
    """Pacing: at most one unsolicited suggestion per few turns, none near complaints or during a handoff
    (`handed_over` when the caller already read it in its own step)."""
    if handed_over is None:
        handed_over = await call(handoff.is_handed_over, tracker.sender_id)
    return pacing.may_volunteer(shopper_turns(tracker), handed_over, min_gap=min_gap)


def _cart(tracker: Tracker) -> tuple[str, ...]:
    metadata = tracker.latest_message.get("metadata") or {}
    cart = metadata.get("cart") or (metadata.get("customData") or {}).get("cart") or []
    return tuple(str(item["sku"]) for item in cart if isinstance(item, dict) and item.get("sku"))


def build_context(tracker: Tracker, product: ProductView | None, intent: str | None = None) -> RecommendationContext:
    """The turn's context; what the conversation was shown and declined is added by the service's own step
    (`recommend_in_conversation`, `substitutes_in_conversation`)."""
    return RecommendationContext(
        product_sku=product.sku if product else None,
        cart_skus=_cart(tracker),
        intent=intent or tracker.get_intent_of_latest_message(),
        text=tracker.latest_message.get("text") or "",
        disliked=entity(tracker, "feature") or entity(tracker, "color"),
        scene=entity(tracker, "scene") or tracker.get_slot("scene"),   # where they said it is for, earlier too
        wearer=shopper_wearer([e.get("text") or "" for e in shopper_events(tracker.events)]),   # 给老公买
        offered_skus=tuple(recent_shown_skus(tracker.events)),          # 那推荐哪个 after a list
    )


async def send(dispatcher: CollectingDispatcher, tracker: Tracker, rec: Recommendation,
               product: ProductView | None, prefer_bundle: bool = False) -> bool:
    """Send the recommendation as one message with product cards and record what was shown."""
    found = present.message(rec, product, prefer_bundle)
    if found is None:
        return False
    response = SUGGESTION_RESPONSES.get(found.kind, SUGGESTION_RESPONSES["popular"])
    dispatcher.utter_message(response=response, **found.values, product_cards=found.custom)
    await call(metrics.record_shown, tracker.sender_id, found.shown)
    return True
