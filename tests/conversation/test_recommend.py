"""Related-item selling through the trained agent: the seed examples, product cards and never being pushy."""
from __future__ import annotations

import pytest

from bot.db.uow import run_in_unit_of_work as in_uow
from bot.recommendations import metrics
from bot.rules.negatives import find_flat_refusals

pytestmark = pytest.mark.agent


def cards(messages: list[dict]) -> list[dict]:
    return [card for m in messages for card in (m.get("custom") or {}).get("cards", [])]


def card_skus(messages: list[dict]) -> set[str]:
    return {card["sku"] for card in cards(messages)}


def text_of(messages: list[dict]) -> str:
    return "\n".join(m.get("text") or "" for m in messages)


def test_disliking_the_round_collar_brings_v_neck_and_stand_collar_tshirts(chat) -> None:
    c = chat(page_sku="TSHIRT-ROUND-001")
    messages = c.say("圆领的不适合我")
    assert c.responses()[-1] == "utter_suggest_substitute"
    assert {"TSHIRT-VNECK-001", "TSHIRT-STAND-001"} <= card_skus(messages)
    assert "V领T恤" in text_of(messages)
    assert not find_flat_refusals(text_of(messages))


def test_buying_the_trolley_case_brings_the_backpack_and_packing_cubes(chat) -> None:
    c = chat(page_sku="LUGGAGE-20-001")
    messages = c.say("就要这个了")
    assert "utter_confirm_purchase" in c.responses()
    found = cards(messages)
    assert {"BAG-BACKPACK-001", "TRAVEL-POUCH-6P"} & {card["sku"] for card in found}
    for card in found:
        assert card["name"] and card["price"] > 0 and card["image"] and card["reason"]
        assert isinstance(card["reason"], str) and card["name"] in card["text"]   # worded at the NLG endpoint
        assert card["payload"].startswith("/want_buy")


def test_a_swimsuit_for_the_beach_brings_sunscreen(chat) -> None:
    c = chat(page_sku="SWIM-ONEPIECE-001")
    messages = c.say("去海边玩还需要买点什么")
    assert "SUNSCREEN-SPF50-001" in card_skus(messages)
    assert not find_flat_refusals(text_of(messages))


def test_an_out_of_stock_item_brings_an_in_stock_substitute(chat) -> None:
    c = chat(page_sku="LUGGAGE-24-001")
    messages = c.say("我要这个")
    assert "LUGGAGE-20-001" in card_skus(messages)
    assert "LUGGAGE-24-001" not in card_skus(messages)
    assert "utter_confirm_purchase" not in c.responses()


def test_dresses_are_offered_by_the_scene_where_they_are_worn(chat) -> None:
    c = chat()
    messages = c.say("连衣裙有适合上班和去海边穿的吗")
    assert {"DRESS-OFFICE-001", "DRESS-BOHO-001"} & card_skus(messages)


def test_one_volunteered_suggestion_then_quiet_and_a_declined_item_never_comes_back(chat) -> None:
    c = chat(page_sku="LUGGAGE-20-001")
    first = card_skus(c.say("我要这个"))
    assert first
    c.say("不用了")
    assert c.responses()[-1] == "utter_suggestion_declined"
    assert set(in_uow(metrics.declined_skus, c.sender)) == first
    assert not cards(c.say("我再考虑一下"))                      # too soon after the last suggestion
    again = card_skus(c.say("还有什么推荐的吗"))                 # asked for: answered, without the declined
    assert not (again & first)


def test_no_suggestion_in_the_middle_of_a_complaint(chat) -> None:
    c = chat(page_sku="TSHIRT-ROUND-001")
    c.say("你们发错货了")
    messages = c.say("我要这个")
    assert not cards(messages)


def test_an_accepted_suggestion_is_counted(chat) -> None:
    c = chat(page_sku="TSHIRT-ROUND-001")
    shown = card_skus(c.say("圆领的不适合我"))
    assert shown
    c.say("好的")
    accepted = [sku for sku, _kind in in_uow(metrics.events, c.sender, "accepted")]
    assert accepted and accepted[0] in shown
