"""Every contract journey through the trained agent, the action server and the NLG endpoint."""
from __future__ import annotations

import pytest

from bot.handoff import service as handoff
from bot.orders.service import create_order
from bot.rules.negatives import find_flat_refusals
from bot.rules.tone import has_apology
from tests.support.workspace import set_agents_online

pytestmark = pytest.mark.agent


def no_refusal(text: str) -> None:
    assert not find_flat_refusals(text), text


def test_greeting_comes_at_once_with_quick_replies(chat) -> None:
    c = chat()
    messages = c.say("亲 在吗")
    assert messages and messages[0]["text"]
    assert any(m.get("buttons") for m in messages)
    assert c.responses()[-1] == "utter_greet"


def test_price_of_a_named_product(chat) -> None:
    reply = chat().text("纯棉圆领T恤多少钱")
    assert "59" in reply
    no_refusal(reply)


def test_this_product_means_the_page_the_shopper_is_on(chat) -> None:
    c = chat(page_sku="TSHIRT-VNECK-001")
    assert "65" in c.text("这个多少钱")
    assert "V领" in c.text("是什么材质的")


def test_out_of_stock_answer_brings_an_in_stock_substitute(chat) -> None:
    c = chat(page_sku="LUGGAGE-24-001")
    messages = c.say("还有货吗")
    assert c.responses()[-1] == "utter_suggest_restock_alternative"   # the truth, the restock date, options
    assert "24寸拉杆箱" in c.bot_texts()[-1] and "月" in c.bot_texts()[-1]
    cards = [card for m in messages for card in (m.get("custom") or {}).get("cards", [])]
    assert cards and all(card["sku"] != "LUGGAGE-24-001" for card in cards)
    assert "LUGGAGE-20-001" in {card["sku"] for card in cards}


def test_size_advice_from_height_and_weight(chat) -> None:
    c = chat(page_sku="TSHIRT-ROUND-001")
    reply = c.text("身高168 体重120斤穿什么码")
    assert "L" in reply and c.responses()[-1] == "utter_size_advice"


def test_a_size_that_does_not_exist_gets_the_sizes_that_do(chat) -> None:
    c = chat(page_sku="TSHIRT-ROUND-001")
    reply = c.text("有XXXL码吗")
    assert "XXL" in reply
    no_refusal(reply)


def test_shipping_and_return_policies_come_from_store_settings(chat) -> None:
    c = chat()
    shipping = c.text("发什么快递")
    assert c.responses()[-1].startswith("utter_shipping")
    assert any(fact in shipping for fact in ("中通", "16:00", "59元", "2-4天")), shipping
    assert "7" in c.text("支持七天无理由退货吗")


def test_order_status_from_the_database(chat) -> None:
    c = chat()
    order = create_order(c.sender, [{"sku": "PAPER-ROLL-27", "qty": 2}])
    reply = c.text("我的快递到哪了")
    assert order.order_id in reply or "卷纸" in reply
    assert c.responses()[-1] == "utter_order_status_unpaid"


def test_complaint_gets_apology_remedy_and_a_human(chat) -> None:
    c = chat()
    messages = c.say("你们发错货了!")
    text = "\n".join(m.get("text") or "" for m in messages)
    assert has_apology(text)
    assert any(b["payload"] == "/request_human" for m in messages for b in m.get("buttons") or [])
    no_refusal(text)


def test_handoff_keeps_the_bot_silent_until_released(chat) -> None:
    set_agents_online("agent-journey")
    c = chat()
    c.say("纯棉圆领T恤多少钱")
    assert c.say("转人工")
    assert c.responses()[-2:] == ["utter_handoff", "utter_handoff_queue"]   # a human is coming; place in line
    assert handoff.is_handed_over(c.sender)
    summary = handoff.open_handoffs()[-1].summary
    assert "TSHIRT-ROUND-001" in summary["products"] and "ask_price" in summary["intents"]
    assert c.say("在吗 人呢") == []


def test_with_no_agent_online_the_shopper_may_leave_a_message_and_the_bot_keeps_answering(chat) -> None:
    set_agents_online()
    c = chat(page_sku="TSHIRT-ROUND-001")
    assert "留言" in c.text("转人工")
    assert c.responses()[-1] == "utter_handoff_offline"
    assert handoff.is_handed_over(c.sender)                      # the message waits in the agents' queue
    assert "59" in c.text("多少钱") and c.responses()[-1] == "utter_price"


def test_two_misunderstood_messages_in_a_row_reach_a_human(chat) -> None:
    set_agents_online("agent-journey")
    c = chat()
    first = c.text("qwpeoiru zxmcnv")
    assert first and c.responses()[-1] == "utter_rephrase"
    c.say("asdkjh qweoiu")
    assert c.responses()[-2:] == ["utter_handoff_after_failures", "utter_handoff_queue"]
    assert handoff.is_handed_over(c.sender)
