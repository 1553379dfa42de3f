"""The recommendation actions with hand-built trackers (no trained model): cards, pacing, yes and no."""
from __future__ import annotations

import asyncio
import uuid
from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.context import turn
from actions.feedback import ActionRespondAffirm, ActionRespondDeny
from actions.recommend import (
    ActionConfirmPurchase,
    ActionRecommendForScene,
    ActionRecommendProducts,
    ActionRespondHesitation,
    ActionSuggestSubstitute,
)
from bot.db.uow import run_in_unit_of_work as in_uow
from bot.recommendations import metrics


@pytest.fixture(autouse=True)
def demo(store_db):
    return store_db


class Conversation:
    """A shopper's events as Rasa records them, driving the actions directly."""

    def __init__(self, page_sku: str | None = None) -> None:
        self.sender = f"unit-{uuid.uuid4().hex[:8]}"
        self.page_sku = page_sku
        self.events: list[dict[str, Any]] = []

    def turn(self, action, intent: str, text: str = "", **entities: str) -> list[dict[str, Any]]:
        message = {
            "text": text, "intent": {"name": intent, "confidence": 1.0},
            "entities": [{"entity": k, "value": v} for k, v in entities.items()],
            "metadata": {"product_sku": self.page_sku} if self.page_sku else {},
        }
        self.events.append({"event": "user", "text": text, "parse_data": message})
        tracker = Tracker(self.sender, {}, message, list(self.events), False, None, {}, None)
        dispatcher = CollectingDispatcher()
        with turn():
            asyncio.run(action().run(dispatcher, tracker, {}))
        for sent in dispatcher.messages:
            self.events.append({"event": "bot", "text": "", "data": {"custom": sent.get("product_cards")},
                                "metadata": {"utter_action": sent.get("response")}})
        return dispatcher.messages


def responses(messages) -> list[str]:
    return [m.get("response") for m in messages]


def card_skus(messages) -> list[str]:
    return [c["sku"] for m in messages for c in (m.get("product_cards") or {}).get("cards", [])]


def test_dislike_gives_substitute_cards_and_records_them_as_shown():
    c = Conversation("TSHIRT-ROUND-001")
    messages = c.turn(ActionSuggestSubstitute, "dislike_product", "圆领的不适合我")
    assert responses(messages) == ["utter_suggest_substitute"]
    assert card_skus(messages)[:2] == ["TSHIRT-VNECK-001", "TSHIRT-STAND-001"]
    assert messages[0]["suggestions"][0]["name"] == "V领T恤"
    assert in_uow(metrics.memory, c.sender)[0][:2] == ("TSHIRT-VNECK-001", "TSHIRT-STAND-001")


def test_out_of_stock_answer_uses_the_in_stock_alternative_script():
    c = Conversation("LUGGAGE-24-001")
    messages = c.turn(ActionSuggestSubstitute, "ask_stock", "还有货吗")
    assert responses(messages) == ["utter_suggest_in_stock_alternative"]
    assert card_skus(messages)[0] == "LUGGAGE-20-001"


def test_buying_confirms_then_offers_once_and_the_yes_counts_as_accepted():
    c = Conversation("LUGGAGE-20-001")
    messages = c.turn(ActionConfirmPurchase, "want_buy", "我要这个")
    assert responses(messages)[0] == "utter_confirm_purchase"
    assert "BAG-BACKPACK-001" in card_skus(messages)
    assert responses(c.turn(ActionRespondAffirm, "affirm", "好的")) == ["utter_suggestion_accepted"]
    assert [sku for sku, _ in in_uow(metrics.events, c.sender, "accepted")] == ["BAG-BACKPACK-001"]
    again = c.turn(ActionConfirmPurchase, "want_buy", "双肩包也要", product="双肩包")
    assert responses(again) == ["utter_confirm_purchase"]                   # no second volunteered offer
    assert not card_skus(again)


def test_a_bundle_is_offered_when_one_fits_the_aov_band():
    c = Conversation("SWIM-ONEPIECE-001")
    messages = c.turn(ActionConfirmPurchase, "want_buy", "拍了")
    offer = next(m for m in messages if m.get("response") == "utter_bundle_offer")
    assert offer["product_cards"]["bundle"]["saving"] > 0 and offer["bundle_price"]


def test_declined_suggestions_are_recorded_and_left_out_afterwards():
    c = Conversation("LUGGAGE-20-001")
    shown = set(card_skus(c.turn(ActionConfirmPurchase, "want_buy", "我要这个")))
    assert responses(c.turn(ActionRespondDeny, "deny", "不用了")) == ["utter_suggestion_declined"]
    assert set(in_uow(metrics.declined_skus, c.sender)) == shown
    hesitation = c.turn(ActionRespondHesitation, "hesitate", "我再想想")
    assert responses(hesitation) == ["utter_hesitation_reassure"]          # too soon for another
    asked = c.turn(ActionRecommendProducts, "ask_recommendation", "还有什么推荐")
    assert not set(card_skus(asked)) & shown


def test_nothing_volunteered_right_after_a_complaint():
    c = Conversation("TSHIRT-ROUND-001")
    c.events.append({"event": "user", "text": "发错货了", "parse_data": {"intent": {"name": "complain"}}})
    messages = c.turn(ActionConfirmPurchase, "want_buy", "我要这个")
    assert responses(messages) == ["utter_confirm_purchase"]


def test_a_hesitant_buyer_of_a_cheap_item_gets_a_multi_buy_offer():
    c = Conversation("TSHIRT-ROUND-001")
    messages = c.turn(ActionRespondHesitation, "hesitate", "我再考虑一下")
    assert responses(messages) == ["utter_hesitation_reassure", "utter_suggest_multibuy"]
    assert messages[1]["deal_price"] and card_skus(messages) == ["TSHIRT-ROUND-001"]


def test_scene_words_bring_a_scene_collection_and_remember_the_scene():
    c = Conversation()
    message = {"text": "下周去海边穿什么", "intent": {"name": "ask_scene"}, "entities": [], "metadata": {}}
    c.events.append({"event": "user", "text": message["text"], "parse_data": message})
    tracker = Tracker(c.sender, {}, message, c.events, False, None, {}, None)
    dispatcher = CollectingDispatcher()
    with turn():
        events = asyncio.run(ActionRecommendForScene().run(dispatcher, tracker, {}))
    assert dispatcher.messages[0]["response"] == "utter_scene_collection"
    assert {"event": "slot", "name": "scene", "value": "海边度假", "timestamp": None} in events


def test_without_any_hint_the_shopper_is_asked_for_the_occasion():
    c = Conversation()
    messages = c.turn(ActionRecommendForScene, "ask_scene", "有什么适合的")
    assert responses(messages) == ["utter_ask_scene_details"]


def test_yes_and_no_without_a_suggestion_are_plain_acknowledgements():
    c = Conversation()
    assert responses(c.turn(ActionRespondAffirm, "affirm", "好的")) == ["utter_affirm_ack"]
    assert responses(c.turn(ActionRespondDeny, "deny", "不要")) == ["utter_deny_ack"]
