"""The service rules hold on every reply the bot sends."""
from __future__ import annotations

import pytest

from bot.rules.negatives import find_flat_refusals
from bot.rules.repeats import is_repeat

pytestmark = pytest.mark.agent

# (page product, what the shopper asks): requests whose honest answer is "no".
REFUSAL_PROVOKING = [
    ("TSHIRT-ROUND-001", "30块卖不卖"),
    ("TSHIRT-ROUND-001", "便宜到20行不行"),
    ("TSHIRT-ROUND-001", "有红色的吗"),
    ("TSHIRT-ROUND-001", "有粉色吗"),
    ("TSHIRT-ROUND-001", "有XXXL码吗"),
    ("TSHIRT-ROUND-001", "有4XL吗"),
    ("COAT-TRENCH-001", "有红色的风衣吗"),
    ("COAT-TRENCH-001", "100块卖给我吧"),
    ("LUGGAGE-24-001", "24寸的还有货吗"),
    ("TSHIRT-STRIPE-001", "这个有货吗"),
    ("TSHIRT-MODAL-001", "打底衫还有吗"),
    (None, "新疆能发货吗"),
    (None, "西藏包邮吗"),
    (None, "今天能送到北京吗"),
    (None, "能当天到吗"),
    (None, "可以货到付款吗"),
    (None, "能到付吗"),
    ("TSHIRT-ROUND-001", "可以定制印字吗"),
    ("TSHIRT-ROUND-001", "能印logo吗"),
    ("TSHIRT-ROUND-001", "能不能再便宜点"),
    ("TSHIRT-ROUND-001", "不便宜就不买了"),
    ("DOG-FOOD-10KG", "狗粮能便宜50吗"),
    ("DOG-FOOD-10KG", "别家才卖150"),
    (None, "拼多多上更便宜"),
    (None, "能给我打个五折吗"),
    (None, "你们这什么破店"),
    (None, "用了三天就坏了 退钱"),
    (None, "过了七天还能退吗"),
    (None, "花呗付不了款"),
    (None, "能不能送点赠品"),
    ("SHOE-HEEL-001", "有35码的吗"),
    ("DRESS-SEQUIN-001", "这个还有吗 要3件"),
]


@pytest.mark.parametrize("page, text", REFUSAL_PROVOKING)
def test_no_flat_refusal_and_something_offered(chat, page, text) -> None:
    c = chat(page_sku=page)
    messages = c.say(text)
    reply = "\n".join(m.get("text") or "" for m in messages)
    assert reply.strip(), f"no reply to {text}"
    assert not find_flat_refusals(reply), reply
    offered = any(m.get("buttons") or m.get("custom") for m in messages) or len(reply) >= 20
    assert offered, reply


def test_twenty_turns_without_a_repeated_sentence(chat) -> None:
    c = chat(page_sku="TSHIRT-ROUND-001")
    turns = ["亲 在吗", "这个多少钱", "太贵了", "便宜点吧", "再便宜点", "什么材质的", "能机洗吗", "有XL码吗",
             "还有货吗", "发什么快递", "几天能到", "七天无理由吗", "有优惠券吗", "我再考虑一下", "太贵了",
             "有什么推荐", "这个配什么好看", "好的", "谢谢", "拜拜"]
    for turn in turns:
        c.say(turn)
    sent = [t for t in c.bot_texts() if t]
    assert len(sent) >= 20
    for index, text in enumerate(sent):
        assert not is_repeat(text, sent[:index]), text


def test_bargaining_never_goes_below_the_floor_and_stays_conditional(chat) -> None:
    from bot.catalog.products import get_product

    product = get_product("TSHIRT-ROUND-001")
    c = chat(page_sku=product.sku)
    for turn in ["太贵了", "便宜点吧", "30卖不卖", "再便宜点嘛", "能少点吗", "最低多少"]:
        reply = c.text(turn)
        assert not find_flat_refusals(reply), reply
    bargains = [e for e in c.bot_events() if (e.get("metadata") or {}).get("utter_action", "").startswith("utter_bargain")]
    assert len(bargains) >= 6
    deals = [float(e["metadata"]["deal_price"]) for e in bargains if "deal_price" in e.get("metadata", {})]
    assert deals and all(product.floor_price <= d < product.price for d in deals)
    assert {(e.get("metadata") or {}).get("utter_action") for e in bargains} >= {
        "utter_bargain_multi_buy", "utter_bargain_pay_now_gift"}
