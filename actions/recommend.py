"""Related-item suggestions as product cards: substitutes, complements, latent items, scenes, multi-buy, bundles."""
from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.browse import show_products
from actions.choose import offer_choice
from actions.complaint import continue_complaint
from actions.context import call, mention_text, page_product_sku, product_in_context, resolve_subject
from actions.details import answer_details
from actions.knowledge import answer_first
from actions.sold_out import answer_sold_out
from actions.suggestions import build_context, last_suggested_skus, may_volunteer, send
from bot.catalog.products import get_product
from bot.conversation.asks import asks_what_goes_with, count_taken, is_question, joins_items, quantity_in, takes_all
from bot.conversation.events import latest_cards
from bot.db.uow import AbstractUnitOfWork
from bot.handoff import service as handoff
from bot.recommendations import metrics
from bot.recommendations.basket import take_named, take_pieces, take_shown
from bot.recommendations.engine import recommend_in_conversation, substitutes_in_conversation
from bot.recommendations.pacing import MIN_GAP
from bot.recommendations.types import Recommendation
from bot.store.config import load_store

PIECES_RESPONSES = {
    "deal": "utter_confirm_purchase_pieces_deal",
    "plain": "utter_confirm_purchase_pieces",
    "short": "utter_confirm_purchase_pieces_short",
}


def accept_if_suggested(uow: AbstractUnitOfWork, conversation_id: str, sku: str) -> bool:
    """Count the purchase of a suggested item, and read whether a human has the chat (pacing needs it next):
    one worker step for both."""
    metrics.record_accepted_if_suggested(uow, conversation_id, sku)
    return handoff.is_handed_over(uow, conversation_id)


async def suggest_substitutes(dispatcher: CollectingDispatcher, tracker: Tracker, product) -> None:
    found = await call(substitutes_in_conversation, tracker.sender_id, build_context(tracker, product))
    if not await send(dispatcher, tracker, Recommendation("substitute", tuple(found)), product):
        dispatcher.utter_message(response="utter_no_substitute", product=product.name)


class ActionSuggestSubstitute(Action):
    """The shopper dislikes the item, or it is out of stock: better-fitting in-stock items."""

    def name(self) -> str:
        return "action_suggest_substitute"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[dict[str, Any]]:
        found, events = await resolve_subject(tracker)
        # 圆领的他不喜欢 about a list: the disliked feature fits several shown items; any of them stands for it
        product = found.product or (found.products[0] if found.kind == "choice" else None)
        if product is None:
            dispatcher.utter_message(response="utter_no_substitute")
            return events
        asking = is_question(tracker.latest_message.get("text") or "")
        if asking and tracker.get_intent_of_latest_message() == "dislike_product":
            answer_details(dispatcher, tracker, product)      # 会不会容易皱？ asks about it, it rejects nothing
            return events
        await suggest_substitutes(dispatcher, tracker, product)
        return events


class ActionRecommendProducts(Action):
    """The shopper asks what else to buy or what fits: related items, a scene the words name, or best sellers."""

    def name(self) -> str:
        return "action_recommend_products"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[dict[str, Any]]:
        found, events = await resolve_subject(tracker, single_in_stock=False)
        if found.kind == "choice":
            return await show_products(dispatcher, tracker)    # 有没有适合夏天穿的裙子: the kind they named
        product = found.product
        subject = page_product_sku(tracker) or tracker.get_slot("product_sku")
        newly_named = product is not None and found.mention.strong and product.sku != subject
        if newly_named and not asks_what_goes_with(mention_text(tracker)):
            return await show_products(dispatcher, tracker)    # 我想买个保温杯，有没有推荐: the item itself first
        result = await call(recommend_in_conversation, tracker.sender_id,
                            build_context(tracker, product, "ask_recommendation"))
        if not await send(dispatcher, tracker, result, product):
            dispatcher.utter_message(response="utter_ask_scene_details")
        return events


class ActionRecommendForScene(Action):
    """Items grouped by the scene where they are used (海边, 上班, ...) or a category by scene (连衣裙)."""

    def name(self) -> str:
        return "action_recommend_for_scene"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[dict[str, Any]]:
        if (answered := await answer_first(dispatcher, tracker)) is not None:
            return answered                                   # 拉杆箱能登机吗 asks about the item, not a scene
        product, events = await product_in_context(tracker)
        result = await call(recommend_in_conversation, tracker.sender_id, build_context(tracker, product, "ask_scene"))
        found, _ = await resolve_subject(tracker, single_in_stock=False)
        named = {p.sku for p in found.products} if found.mention.strong else set()
        scene = [SlotSet("scene", result.scene_name)] if result.scene_name else []
        if named and not named & {s.product.sku for s in result.suggestions}:
            return await show_products(dispatcher, tracker) + scene   # 有拉杆箱吗出差用的: the item they named
        if not await send(dispatcher, tracker, result, product):
            if found.kind == "choice":
                return await show_products(dispatcher, tracker)  # no scene we know, but a kind they named
            dispatcher.utter_message(response="utter_ask_scene_details")
            return events
        return events + scene


async def confirm_several(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[dict[str, Any]] | None:
    """都要了 right after several items were shown, or 保温杯和雨伞 named together: all of them, with the total
    and the 满减 it reaches."""
    text = tracker.latest_message.get("text") or ""
    basket = None
    if takes_all(text):
        basket = await call(take_shown, tracker.sender_id, last_suggested_skus(tracker), load_store(),
                            count_taken(text))
    if basket is None and joins_items(text):         # 保温杯和雨伞都要: the items named, not those shown
        basket = await call(take_named, tracker.sender_id, text, load_store())
    if basket is None:
        return None
    response = "utter_confirm_purchase_reduction" if basket.reduction else "utter_confirm_purchase_all"
    dispatcher.utter_message(response=response, **basket.values())
    return [SlotSet("product_sku", basket.products[0].sku)]


async def confirm_purchase(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[dict[str, Any]]:
    if (taken := await confirm_several(dispatcher, tracker)) is not None:
        return taken
    found, events = await resolve_subject(tracker)
    if found.total > 1 and found.mention.strong and not found.mention.reference:
        return await show_products(dispatcher, tracker)    # 我想买个拉杆箱: a kind, not yet an item
    product = found.product
    if product is None:
        if found.kind == "choice":
            offer_choice(dispatcher, found)
        elif not continue_complaint(dispatcher, tracker):
            dispatcher.utter_message(response="utter_ask_which_product")
        return [*events, SlotSet("pending_detail", "want_buy")]
    if not product.in_stock and not found.mention.strong:
        offered = await call(get_product, next(iter(last_suggested_skus(tracker)), None))
        if offered is not None and offered.in_stock:     # 好吧那我要了, right after the alternative
            product, events = offered, [SlotSet("product_sku", offered.sku)]
    if not product.in_stock:
        return events + await answer_sold_out(dispatcher, tracker, product)
    if (qty := quantity_in(tracker.latest_message.get("text") or "")) is not None:
        pieces = take_pieces(product, qty)                    # 要两双: the number, its price, the multi-buy saving
        dispatcher.utter_message(response=PIECES_RESPONSES[pieces.kind], **pieces.values())
        await call(accept_if_suggested, tracker.sender_id, product.sku)
        return events
    dispatcher.utter_message(response="utter_confirm_purchase", product=product.name, sku=product.sku)
    handed_over = await call(accept_if_suggested, tracker.sender_id, product.sku)
    # a substitute the shopper switched to replaced her item, so what goes with it is no second offer
    switched = any(card.get("sku") == product.sku and card.get("kind") == "substitute"
                   for card in latest_cards(tracker.events))
    if await may_volunteer(tracker, min_gap=1 if switched else MIN_GAP, handed_over=handed_over):
        context = build_context(tracker, product, "want_buy")
        result = await call(recommend_in_conversation, tracker.sender_id, context)
        # once the shopper said where it is for (三亚), the practical item for that beats a bundle discount
        await send(dispatcher, tracker, result, product, prefer_bundle=result.kind != "latent")
    return events


class ActionConfirmPurchase(Action):
    """The shopper decided: confirm, and when pacing allows, offer a bundle or what goes with it."""

    def name(self) -> str:
        return "action_confirm_purchase"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[dict[str, Any]]:
        return await confirm_purchase(dispatcher, tracker)


async def respond_hesitation(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[dict[str, Any]]:
    product, events = await product_in_context(tracker)
    dispatcher.utter_message(response="utter_hesitation_reassure", product=product.name if product else "")
    if product is not None and await may_volunteer(tracker):
        context = build_context(tracker, product, "hesitate")
        result = await call(recommend_in_conversation, tracker.sender_id, context)
        await send(dispatcher, tracker, result, product)
    return events


class ActionRespondHesitation(Action):
    """No pressure; when pacing allows, a multi-buy deal for a cheap item or a better-fitting one."""

    def name(self) -> str:
        return "action_respond_hesitation"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[dict[str, Any]]:
        return await respond_hesitation(dispatcher, tracker)
