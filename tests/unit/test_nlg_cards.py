"""Product cards reach the shopper worded by the NLG endpoint: reasons and plain-text lines from the library."""
from __future__ import annotations

from bot.scripts.loader import load_library
from bot.scripts.render import render
from bot.settings import PROJECT_ROOT
from bot.store.config import load_store
from bot.web.nlg import CARDS_ARGUMENT, to_rasa_message, to_render_request

LIBRARY = load_library(PROJECT_ROOT / "scripts_library")[0]


def nlg(arguments: dict) -> dict:
    body = {"response": "utter_suggest_complementary", "arguments": arguments, "channel": {"name": "rest"},
            "tracker": {"sender_id": "nlg-cards", "events": [], "slots": {}, "latest_message": {"text": "就要这个"}}}
    return to_rasa_message(render(LIBRARY, to_render_request(body, load_store())), body, LIBRARY)


def test_card_reasons_and_lines_are_worded_and_store_reasons_kept_when_polite() -> None:
    cards = [{"sku": "BAG-BACKPACK-001", "name": "双肩包", "price": 119.0, "reason": {"kind": "co_purchase"},
              "reason_code": "co_purchase"},
             {"sku": "TRAVEL-POUCH-6P", "name": "旅行收纳袋六件套", "price": 39.9, "reason": "衣服分类装更整齐",
              "reason_code": "curated"}]
    reply = nlg({"product": "20寸拉杆箱", "suggestion": "双肩包", "reason": {"kind": "co_purchase"},
                 "suggestions": [{"name": "双肩包", "price": "119"}],
                 CARDS_ARGUMENT: {"type": "product_cards", "cards": cards}})
    worded = reply["custom"]["cards"]
    assert worded[0]["reason"] == LIBRARY.fragments["reason_co_purchase"]
    assert worded[0]["text"] == f"双肩包 ¥119：{LIBRARY.fragments['reason_co_purchase']}"
    assert worded[1]["reason"] == "衣服分类装更整齐" and "39.9" in worded[1]["text"]
    assert LIBRARY.fragments["reason_co_purchase"] in reply["text"]     # the record is worded in the text too


def test_a_message_without_cards_has_no_custom_payload() -> None:
    assert "custom" not in nlg({"product": "20寸拉杆箱", "suggestion": "双肩包", "reason": "很搭",
                                "suggestions": [{"name": "双肩包", "price": "119"}]})
