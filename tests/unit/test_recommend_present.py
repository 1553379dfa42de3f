"""Suggestions as chat messages: the script response per type, product cards and what the shopper reads."""
from __future__ import annotations

import json
from types import SimpleNamespace

import pytest

from actions.suggestions import SUGGESTION_RESPONSES
from bot.catalog.products import get_product
from bot.db.uow import run_in_unit_of_work as in_uow
from bot.recommendations.candidates import substitutes
from bot.recommendations.engine import recommend
from bot.recommendations.mining import MiningConfig, recompute
from bot.recommendations.present import CARDS_TYPE, message
from bot.recommendations.present import cards as present_cards
from bot.recommendations.types import Recommendation, Suggestion
from bot.recommendations.types import RecommendationContext as Ctx
from bot.rules.negatives import find_flat_refusals
from bot.scripts.cards import word_cards
from bot.scripts.loader import load_library
from bot.scripts.render import RenderRequest, render
from bot.settings import PROJECT_ROOT


@pytest.fixture(scope="module")
def library(store_db):
    in_uow(recompute, MiningConfig())
    loaded, problems = load_library(PROJECT_ROOT / "scripts_library")
    assert not [p for p in problems if p.severity == "error"], problems
    return loaded


def shown(library, ctx: Ctx, prefer_bundle: bool = False):
    """The message as the shopper gets it: the action's response for its kind, rendered, cards worded (NLG)."""
    product = in_uow(get_product, ctx.product_sku)
    found = message(in_uow(recommend, ctx), product, prefer_bundle)
    assert found is not None
    response = SUGGESTION_RESPONSES[found.kind]
    text = render(library, RenderRequest(response, found.values, conversation_id="t")).text
    custom = {**found.custom, "cards": word_cards(library, found.custom["cards"])}
    return SimpleNamespace(response=response, values=found.values, custom=custom, shown=found.shown), text


def test_cards_carry_name_price_image_reason_and_an_add_to_cart_payload(library):
    found, _ = shown(library, Ctx(product_sku="LUGGAGE-20-001", intent="want_buy"))
    assert found.custom["type"] == CARDS_TYPE
    card = found.custom["cards"][0]
    assert card["name"] == "双肩包" and card["price"] == 119 and card["image"].endswith(".svg")
    assert card["reason"] and card["kind"] == "complementary"
    intent, _, entities = card["payload"].partition("{")
    assert intent == "/want_buy" and json.loads("{" + entities) == {"product": "双肩包"}
    assert "双肩包" in card["text"] and "119" in card["text"] and card["reason"] in card["text"]


def test_every_card_has_a_reason_even_without_curated_wording(library):
    found, _ = shown(library, Ctx(intent="ask_recommendation", text="有什么推荐"))
    assert found.response == "utter_recommend_popular"
    assert all(card["reason"] for card in found.custom["cards"])


@pytest.mark.parametrize("ctx, response, words", [
    (Ctx(product_sku="TSHIRT-ROUND-001", intent="dislike_product", text="圆领的不喜欢"),
     "utter_suggest_substitute", ["V领T恤", "立领T恤"]),
    (Ctx(product_sku="LUGGAGE-24-001", intent="ask_stock"), "utter_suggest_in_stock_alternative",
     ["24寸拉杆箱", "20寸拉杆箱"]),
    (Ctx(product_sku="LUGGAGE-20-001", intent="want_buy"), "utter_suggest_complementary", ["双肩包"]),
    (Ctx(product_sku="SWIM-ONEPIECE-001", intent="ask_recommendation", text="去海边玩还要买什么"),
     "utter_suggest_latent", ["防晒霜SPF50"]),
    (Ctx(intent="ask_scene", text="连衣裙适合什么场合"), "utter_scene_groups", ["通勤连衣裙", "碎花连衣裙"]),
    (Ctx(intent="ask_scene", text="去海边穿什么"), "utter_scene_collection", ["波西米亚度假长裙"]),
    (Ctx(product_sku="TSHIRT-ROUND-001", intent="hesitate"), "utter_suggest_multibuy", ["纯棉圆领T恤"]),
])
def test_each_type_is_worded_by_its_own_script(library, ctx, response, words):
    found, text = shown(library, ctx)
    assert found.response == response
    for word in words:
        assert word in text
    assert not find_flat_refusals(text), text
    assert "{" not in text


def test_the_plain_text_names_the_items_with_their_prices(library):
    _, text = shown(library, Ctx(product_sku="TSHIRT-ROUND-001", intent="dislike_product", disliked="圆领"))
    assert "V领T恤（65元）" in text


def test_a_bundle_offer_states_the_bundle_price_and_the_saving(library):
    found, text = shown(library, Ctx(product_sku="SWIM-ONEPIECE-001", intent="want_buy"), prefer_bundle=True)
    bundle = found.custom["bundle"]
    assert found.response == "utter_bundle_offer"
    assert f"{bundle['price']:g}" in text and f"{bundle['saving']:g}" in text
    assert [c["sku"] for c in found.custom["cards"]] == [s for s in bundle["skus"] if s != "SWIM-ONEPIECE-001"]
    assert found.shown == ((found.custom["cards"][0]["sku"], "bundle"),)


def test_nothing_to_show_gives_no_message(library):
    assert message(Recommendation("none")) is None
    assert in_uow(substitutes, Ctx(product_sku="NO-SUCH-SKU")) == []


def test_a_multi_buy_card_adds_the_offered_quantity_to_the_cart(library):
    found, _ = shown(library, Ctx(product_sku="TSHIRT-ROUND-001", intent="hesitate"))
    card = found.custom["cards"][0]
    qty = int(found.values["condition"])
    assert card["qty"] == qty >= 2
    assert json.loads(card["payload"].removeprefix("/want_buy")) == {"product": "纯棉圆领T恤", "quantity": str(qty)}


def test_a_store_reason_that_breaks_the_service_rules_is_replaced_on_the_card(library):
    product = in_uow(get_product, "TSHIRT-VNECK-001")
    rude = Suggestion("substitute", product, "不行就别买", "same_category", 0.5)
    polite = Suggestion("substitute", product, "领口更显脸小", "same_category", 0.5)
    [replaced, kept] = word_cards(library, present_cards([rude, polite]))
    assert replaced["reason"] == library.fragments["reason_same_category"]
    assert kept["reason"] == "领口更显脸小" and "领口更显脸小" in kept["text"]
