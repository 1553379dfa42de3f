"""The recommendation service on the demo store, without Rasa: each suggestion type, bundles and declines."""
from __future__ import annotations

import pytest

from bot.catalog.index import shopper_wearer
from bot.catalog.products import get_product
from bot.db.uow import run_in_unit_of_work as in_uow
from bot.recommendations.bundles import load_bundle_config, store_aov, suggest_bundle
from bot.recommendations.candidates import complements, inferred_scenes, latent, substitutes
from bot.recommendations.engine import multibuy_offer, recommend
from bot.recommendations.mining import MiningConfig, recompute
from bot.recommendations.scenes import scene_collection
from bot.recommendations.tables import CoPurchase
from bot.recommendations.types import RecommendationContext as Ctx


@pytest.fixture(scope="module", autouse=True)
def demo(store_db):
    """The demo store with co-purchases mined from its order history."""
    in_uow(recompute, MiningConfig())
    return store_db


def skus(suggestions) -> list[str]:
    return [s.product.sku for s in suggestions]


def assert_sellable(suggestions, *not_these: str) -> None:
    for s in suggestions:
        assert s.product.in_stock, s.product.sku
        assert s.product.sku not in not_these


def test_disliking_the_round_collar_brings_v_neck_and_stand_collar_tshirts():
    found = in_uow(substitutes, Ctx(product_sku="TSHIRT-ROUND-001", intent="dislike_product", text="圆领的不适合我"))
    assert skus(found)[:2] == ["TSHIRT-VNECK-001", "TSHIRT-STAND-001"]
    assert all(s.kind == "substitute" and s.reason for s in found[:2])
    assert all(s.product.category == "T恤" and "圆领" not in (s.product.name, s.product.attributes.get("collar"))
               for s in found)
    assert_sellable(found, "TSHIRT-ROUND-001")


def test_a_disliked_value_named_by_the_entity_is_left_out_of_every_suggestion():
    found = in_uow(substitutes, Ctx(product_sku="TSHIRT-VNECK-001", intent="dislike_product", disliked="修身"))
    assert found
    assert all(s.product.attributes.get("fit") != "修身" for s in found)


def test_out_of_stock_24_inch_case_brings_the_in_stock_20_inch_one():
    result = in_uow(recommend, Ctx(product_sku="LUGGAGE-24-001", intent="ask_stock"))
    assert result.kind == "substitute"
    assert skus(result.suggestions)[0] == "LUGGAGE-20-001"
    assert result.suggestions[0].reason_code == "in_stock_alternative"
    assert_sellable(result.suggestions, "LUGGAGE-24-001")


def test_out_of_stock_substitutes_stay_in_the_category_and_price_band():
    base = in_uow(get_product, "TSHIRT-STRIPE-001")
    assert not base.in_stock
    found = in_uow(substitutes, Ctx(product_sku=base.sku), limit=5)
    assert len(found) >= 2
    for s in found:
        assert s.product.category == base.category and s.product.in_stock
        assert 0.6 * base.price <= s.product.price <= 1.4 * base.price


def test_buying_the_trolley_case_brings_curated_complements_first():
    result = in_uow(recommend, Ctx(product_sku="LUGGAGE-20-001", intent="want_buy"))
    assert result.kind == "complementary"
    assert skus(result.suggestions)[:2] == ["BAG-BACKPACK-001", "TRAVEL-POUCH-6P"]
    assert all(s.reason for s in result.suggestions)


def test_items_in_the_cart_are_not_suggested_again():
    found = in_uow(complements, Ctx(product_sku="LUGGAGE-20-001", cart_skus=("BAG-BACKPACK-001",)))
    assert "BAG-BACKPACK-001" not in skus(found)
    assert "TRAVEL-POUCH-6P" in skus(found)


@pytest.fixture
def planted_rule(demo):
    from bot.db.uow import UnitOfWork

    with UnitOfWork() as uow:
        uow.session.add(CoPurchase(sku_a="RICE-5KG", sku_b="SOFTENER-001", pair_count=50, support=0.01,
                                   confidence=0.9, lift=9.0))
        uow.session.add(CoPurchase(sku_a="RICE-5KG", sku_b="LUGGAGE-24-001", pair_count=50, support=0.01,
                                   confidence=0.95, lift=9.0))
        uow.commit()
    yield
    in_uow(recompute, MiningConfig())


def test_mined_co_purchases_follow_the_curated_complements(planted_rule):
    found = in_uow(complements, Ctx(product_sku="RICE-5KG"))
    assert "SOFTENER-001" in skus(found)
    assert "LUGGAGE-24-001" not in skus(found)                       # out of stock
    mined = next(s for s in found if s.product.sku == "SOFTENER-001")
    assert mined.reason_code == "co_purchase"


def test_stored_co_purchases_from_the_demo_history_feed_complements():
    found = in_uow(complements, Ctx(product_sku="PAPER-ROLL-27"), limit=5)
    assert skus(found)[0] == "PAPER-TISSUE-24"                       # curated
    assert len(found) >= 2


def test_a_swimsuit_brings_sunscreen_as_a_practical_latent_item():
    assert skus(in_uow(latent, Ctx(product_sku="SWIM-ONEPIECE-001")))[0] == "SUNSCREEN-SPF50-001"
    result = in_uow(recommend, Ctx(product_sku="SWIM-ONEPIECE-001", intent="ask_recommendation", text="去海边还要带什么"))
    assert result.kind == "latent"
    assert "SUNSCREEN-SPF50-001" in skus(result.suggestions)
    assert result.scene_name == "海边度假"


def test_a_scene_inferred_from_the_product_gives_practical_items_of_other_categories():
    hat = in_uow(get_product, "HAT-STRAW-001")
    found = in_uow(latent, Ctx(product_sku=hat.sku))
    assert found
    assert all(s.product.category != hat.category for s in found)
    assert all(s.reason_code.startswith("scene:") for s in found)


@pytest.mark.parametrize("words, scene_id, expected_sku", [
    ("周末去海边玩", "beach", "SWIM-ONEPIECE-001"),
    ("下个月去旅游", "travel", "LUGGAGE-20-001"),
    ("上班穿什么好", "office", "DRESS-OFFICE-001"),
    ("想去健身房练练", "fitness", "YOGA-MAT-001"),
    ("家里有宝宝了", "baby", "BABY-DIAPER-001"),
])
def test_scene_words_lead_to_that_scenes_items(words, scene_id, expected_sku):
    assert inferred_scenes(Ctx(text=words))[0].id == scene_id
    result = in_uow(recommend, Ctx(intent="ask_recommendation", text=words), limit=4)
    assert result.kind == "scene"
    assert expected_sku in skus(result.suggestions)
    assert_sellable(result.suggestions)


def test_dresses_are_grouped_by_the_scene_where_they_are_worn():
    collection = in_uow(scene_collection, "连衣裙")
    assert collection is not None and collection.id == "category:连衣裙"
    assert {g.scene_id for g in collection.groups} >= {"beach", "office", "street", "party"}
    assert all(s.product.category == "连衣裙" for s in collection.suggestions)


def test_a_trip_with_three_kinds_named_suggests_one_of_each_first():
    text = "我下个月要去三亚玩 想买点东西 泳衣 防晒 还有拖鞋 有推荐吗 预算300左右"
    result = in_uow(recommend, Ctx(intent="ask_recommendation", text=text))
    first = [s.product for s in result.suggestions[:3]]
    assert result.kind == "scene" and len(first) == 3
    assert "泳衣" in first[0].name and "防晒" in first[1].name and "拖鞋" in first[2].name
    assert_sellable(result.suggestions)
    one = in_uow(recommend, Ctx(intent="ask_recommendation", text="去海边穿的泳衣有推荐吗"))
    assert {s.product.category for s in one.suggestions} == {"泳衣"}       # one kind named: only that kind


def test_taking_all_shown_counts_the_total_and_the_reduction_it_reaches():
    from bot.recommendations.basket import take_shown
    from bot.store.config import load_store

    shown = ["SWIM-ONEPIECE-001", "SUNSCREEN-SPF50-001", "SHOE-FLIPFLOP-001"]
    basket = in_uow(take_shown, "basket-test", shown, load_store())
    assert [p.sku for p in basket.products] == shown and basket.total == 227.9
    assert basket.reduction == {"threshold": "199", "saving": "20", "deal_price": "207.9"}
    small = in_uow(take_shown, "basket-test", ["SHOE-FLIPFLOP-001", "SOCKS-COTTON-5P"], load_store())
    assert small is not None and small.reduction is None           # below the first tier: no saving claimed
    assert in_uow(take_shown, "basket-test", ["SHOE-FLIPFLOP-001"], load_store()) is None
    assert in_uow(take_shown, "basket-test", shown, load_store(), 2) is None    # 两个都要, three shown: not all


def test_two_items_named_together_are_taken_together_but_a_kind_with_choices_is_not():
    from bot.recommendations.basket import take_named
    from bot.store.config import load_store

    basket = in_uow(take_named, "basket-test", "想买个保温杯和雨伞", load_store())
    assert [p.sku for p in basket.products] == ["CUP-THERMOS-001", "UMBRELLA-001"]
    assert in_uow(take_named, "basket-test", "我要保温杯", load_store()) is None
    assert in_uow(take_named, "basket-test", "拉杆箱和保温杯都要", load_store()) is None   # which suitcase?


def test_a_recommendation_right_after_a_choice_picks_among_it():
    offered = ("DRESS-BOHO-001", "DRESS-FLORAL-001", "DRESS-OFFICE-001")
    result = in_uow(recommend, Ctx(intent="ask_recommendation", text="那推荐哪个", offered_skus=offered))
    assert result.kind == "offered_best" and {s.product.sku for s in result.suggestions} <= set(offered)
    assert in_uow(recommend, Ctx(intent="ask_recommendation", text="那推荐哪个")).kind == "popular"


def test_several_pieces_get_the_multi_buy_price_or_the_truth_about_stock():
    from bot.recommendations.basket import take_pieces

    flipflops = in_uow(get_product, "SHOE-FLIPFLOP-001")
    two = take_pieces(flipflops, 2)            # bargain.yml: from 2 pieces, 5 yuan off each, never below the floor
    assert two.kind == "deal" and two.unit_price == max(29.9 - 5, flipflops.floor_price) == 25.0
    assert two.total == 50.0 and two.saving == 9.8
    many = take_pieces(flipflops, flipflops.stock + 1)
    assert many.kind == "short" and many.values()["stock"] == str(flipflops.stock)


def test_a_hesitant_buyer_of_a_cheap_item_gets_a_multi_buy_of_the_same_style():
    result = in_uow(recommend, Ctx(product_sku="TSHIRT-ROUND-001", intent="hesitate"))
    assert result.kind == "multibuy"
    assert skus(result.suggestions) == ["TSHIRT-ROUND-001"]
    assert int(result.values["condition"]) >= 2
    assert float(result.values["deal_price"]) < 59 and float(result.values["saving"]) > 0


def test_no_multi_buy_for_an_expensive_item():
    assert in_uow(multibuy_offer, Ctx(product_sku="COAT-TRENCH-001", intent="hesitate")) is None
    assert in_uow(recommend, Ctx(product_sku="COAT-TRENCH-001", intent="hesitate")).kind == "substitute"


def test_the_demo_store_bundle_is_inside_the_aov_band_and_states_the_saving():
    aov, band = in_uow(store_aov), load_bundle_config().band
    assert aov and aov > 0
    bundle = in_uow(suggest_bundle, "SWIM-ONEPIECE-001")
    assert bundle is not None
    assert band[0] * aov <= bundle.price <= band[1] * aov
    assert bundle.main.price > bundle.addon.price
    assert bundle.saving == pytest.approx(bundle.main.price + bundle.addon.price - bundle.price, abs=0.01)
    assert bundle.saving > 0 and bundle.values()["saving"] == f"{bundle.saving:g}"


def test_every_demo_bundle_respects_the_band_and_floors():
    from bot.catalog.products import list_products

    aov, band = in_uow(store_aov), load_bundle_config().band
    found = [b for p in in_uow(list_products) if (b := in_uow(suggest_bundle, p.sku, aov=aov)) is not None]
    assert found
    for b in found:
        assert band[0] * aov <= b.price <= band[1] * aov
        assert b.price >= b.main.floor_price + b.addon.floor_price
        assert b.main.in_stock and b.addon.in_stock


def test_a_declined_suggestion_is_never_suggested_again():
    declined = ("TSHIRT-VNECK-001", "BAG-BACKPACK-001", "DRESS-BOHO-001", "TSHIRT-ROUND-001")
    tee = Ctx(product_sku="TSHIRT-ROUND-001", declined_skus=declined)
    assert "TSHIRT-VNECK-001" not in skus(in_uow(substitutes, tee))
    case = Ctx(product_sku="LUGGAGE-20-001", declined_skus=declined)
    assert "BAG-BACKPACK-001" not in skus(in_uow(complements, case))
    assert "DRESS-BOHO-001" not in skus(in_uow(scene_collection, "海边", Ctx(declined_skus=declined)).suggestions)
    assert in_uow(multibuy_offer, Ctx(product_sku="TSHIRT-ROUND-001", declined_skus=declined)) is None
    bundle = in_uow(suggest_bundle, "SWIM-ONEPIECE-001", exclude=("SHOE-FLIPFLOP-001",))
    assert bundle is None or "SHOE-FLIPFLOP-001" not in (bundle.main.sku, bundle.addon.sku)


def test_items_already_shown_go_last():
    first = in_uow(substitutes, Ctx(product_sku="TSHIRT-ROUND-001"))
    again = in_uow(substitutes, Ctx(product_sku="TSHIRT-ROUND-001", shown_skus=(first[0].product.sku,)))
    assert skus(again)[-1] == first[0].product.sku


def test_unknown_products_and_empty_words_give_no_suggestions_rather_than_errors():
    assert in_uow(substitutes, Ctx(product_sku="NO-SUCH-SKU")) == []
    assert in_uow(complements, Ctx()) == []
    assert in_uow(scene_collection, "") is None
    assert in_uow(recommend, Ctx(product_sku="NO-SUCH-SKU", intent="dislike_product")).kind == "none"
    assert in_uow(recommend, Ctx(intent="ask_recommendation")).kind == "popular"


def test_asking_for_similar_items_brings_substitutes_not_complements():
    result = in_uow(recommend, Ctx(product_sku="TSHIRT-ROUND-001", intent="ask_recommendation", text="有没有类似的款"))
    assert result.kind == "substitute"
    assert all(s.product.category == "T恤" for s in result.suggestions)


def test_a_scene_and_a_category_in_the_words_narrow_the_collection():
    result = in_uow(recommend, Ctx(intent="ask_scene", scene="上班", text="连衣裙有适合上班穿的吗"))
    assert result.kind == "scene" and result.scene_name == "上班通勤"
    assert skus(result.suggestions) == ["DRESS-OFFICE-001"]


def test_naming_a_whole_category_chooses_within_it_even_on_a_product_page():
    result = in_uow(recommend, Ctx(product_sku="DRESS-OFFICE-001", intent="ask_scene", text="连衣裙有适合上班穿的吗"))
    assert skus(result.suggestions) == ["DRESS-OFFICE-001"]


WOMEN_ONLY = {"COAT-TRENCH-001", "COAT-DENIM-001", "DRESS-FLORAL-001", "DRESS-OFFICE-001", "DRESS-BOHO-001",
              "SWIM-ONEPIECE-001", "SWIM-TWOPIECE-001", "SHOE-HEEL-001", "NECKLACE-PEARL-001"}


def test_a_shirt_for_her_husband_brings_nothing_only_women_wear():
    for_her = in_uow(recommend, Ctx(product_sku="TSHIRT-VNECK-001", intent="want_buy", text="就要V领的"))
    assert WOMEN_ONLY & set(skus(for_her.suggestions))          # without a word about him, dresses may come
    for_him = Ctx(product_sku="TSHIRT-VNECK-001", intent="want_buy", text="就要V领的", wearer="men")
    found = [*in_uow(recommend, for_him).suggestions, *in_uow(latent, for_him, 6), *in_uow(complements, for_him, 6)]
    assert found and not WOMEN_ONLY & set(skus(found))
    beach = in_uow(scene_collection, "海边", Ctx(wearer="men"))
    assert beach is not None and not WOMEN_ONLY & {s.product.sku for s in beach.suggestions}


def test_who_the_shopper_buys_for_is_the_latest_word_that_says_it():
    assert shopper_wearer(["想给老公买件T恤"]) == "men"
    assert shopper_wearer(["想给老公买件T恤", "再给我妈挑条丝巾"]) == "women"
    assert shopper_wearer(["给女朋友买，顺便老公也要一件"]) == "men"
    assert shopper_wearer(["有没有拉杆箱"]) is None
