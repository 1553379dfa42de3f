"""Pacing of proactive messages and the handoff summary."""
from __future__ import annotations

from bot.engagement import asks_question, should_nudge
from bot.handoff.service import summarize


def test_a_question_or_buttons_invite_a_nudge_later() -> None:
    assert asks_question([{"text": "亲,您平时穿什么码呢?"}])
    assert asks_question([{"text": "好的呢", "buttons": [{"title": "转人工", "payload": "/request_human"}]}])
    assert not asks_question([{"text": "已经帮您备注好啦~"}])
    assert not asks_question([])


def test_nudges_are_capped_and_never_during_complaints_or_handoff() -> None:
    assert should_nudge(0, 1, "ask_size", handed_over=False)
    assert not should_nudge(1, 1, "ask_size", handed_over=False)
    assert not should_nudge(0, 1, "complain", handed_over=False)
    assert not should_nudge(0, 1, "ask_price", handed_over=True)


def user(text: str, intent: str, metadata: dict | None = None) -> dict:
    return {"event": "user", "text": text, "parse_data": {"intent": {"name": intent}}, "metadata": metadata or {}}


def test_summary_lists_intents_products_cart_order_and_last_words() -> None:
    events = [
        user("在吗", "greet"),
        user("圆领T恤多少钱", "ask_price"),
        {"event": "slot", "name": "product_sku", "value": "TSHIRT-ROUND-001"},
        user("太贵了", "bargain"),
        user("太贵了吧", "bargain", {"cart": [{"sku": "TSHIRT-ROUND-001", "qty": 1}]}),
        user("发错货了", "complain"),
        {"event": "slot", "name": "product_sku", "value": "TSHIRT-ROUND-001"},
    ]
    summary = summarize(events, "2611221200001234")
    assert summary["intents"] == ["greet", "ask_price", "bargain", "complain"]
    assert summary["products"] == ["TSHIRT-ROUND-001"]
    assert summary["cart"] == [{"sku": "TSHIRT-ROUND-001", "qty": 1}]
    assert summary["order_id"] == "2611221200001234"
    assert summary["last_messages"] == ["太贵了", "太贵了吧", "发错货了"]
