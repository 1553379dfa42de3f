"""A message with two asks gets both answered; one request stays whole; greetings never hide the question."""
from __future__ import annotations

import asyncio

import pytest
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage

from bot.conversation.asks import (
    asks_what_goes_with,
    count_taken,
    is_decision,
    joins_items,
    names_an_order,
    quantity_in,
    split_asks,
    takes_all,
    typed_order_number,
)
from channels.asks import handle_asks, merge_by_intent


@pytest.mark.parametrize("text, asks", [
    ("能开发票吗？明天能到吗", ["能开发票吗？", "明天能到吗"]),
    ("这个多少钱，包邮吗", ["这个多少钱", "包邮吗"]),
    ("你好，在吗？我想问一下这个裙子有M码吗？多少钱？", ["我想问一下这个裙子有M码吗？", "多少钱？"]),
    ("24寸的拉杆箱还有吗？没有的话20寸的多少钱？", ["24寸的拉杆箱还有吗？", "没有的话20寸的多少钱？"]),
])
def test_two_questions_become_two_asks(text, asks):
    assert split_asks(text) == asks


@pytest.mark.parametrize("text", [
    "你好，我买了这款泳衣，请问明天一定能送到吗?我后天需要用",
    "可以便宜点吗，两件呢",
    "在吗，这个多少钱",
    "有没有黑色的，L码的",
    "老板过年好，这个拉杆箱有24寸的吗",
    "你好",
    "好的谢谢",
    "",
])
def test_one_request_stays_whole(text):
    assert split_asks(text) == [text]


def test_context_clause_travels_with_its_question():
    asks = split_asks("我昨天拍的连衣裙，什么时候发货？能开发票吗？")
    assert asks == ["我昨天拍的连衣裙，什么时候发货？", "能开发票吗？"]


def test_never_more_than_three_asks():
    asks = split_asks("这个多少钱？有优惠吗？包邮吗？几天到？能开发票吗？")
    assert len(asks) == 3 and asks[-1].endswith("能开发票吗？")


def _parser(intents: dict[str, str]):
    async def parse(text: str) -> dict:
        return {"intent": {"name": intents.get(text, "out_of_scope")}}
    return parse


def test_asks_of_the_same_request_are_joined():
    parse = _parser({"我上周买的裙子还没到，怎么回事啊": "order_status", "能帮我查一下吗": "order_status"})
    merged = asyncio.run(merge_by_intent(["我上周买的裙子还没到，怎么回事啊", "能帮我查一下吗"], parse))
    assert merged == ["我上周买的裙子还没到，怎么回事啊能帮我查一下吗"]


def test_a_whole_question_the_nlu_does_not_know_still_gets_its_own_turn():
    parse = _parser({"能刻字吗？": "nlu_fallback", "多久能到": "ask_shipping", "嗯，": "nlu_fallback"})
    assert asyncio.run(merge_by_intent(["能刻字吗？", "多久能到"], parse)) == ["能刻字吗？", "多久能到"]
    assert asyncio.run(merge_by_intent(["嗯，", "多久能到"], parse)) == ["嗯，多久能到"]   # a fragment still joins


def test_each_ask_is_one_turn_with_the_same_output_and_metadata():
    seen: list[UserMessage] = []

    async def on_new_message(message: UserMessage) -> None:
        seen.append(message)

    parse = _parser({"能开发票吗？": "ask_invoice", "明天能到吗": "ask_shipping"})
    output = CollectingOutputChannel()
    message = UserMessage("能开发票吗？明天能到吗", output, "s1", metadata={"product_sku": "X"})
    asyncio.run(handle_asks(message, on_new_message, parse))
    assert [m.text for m in seen] == ["能开发票吗？", "明天能到吗"]
    assert all(m.output_channel is output and m.sender_id == "s1" for m in seen)
    assert all(m.metadata["product_sku"] == "X" and m.metadata["ask"]["of"] == 2 for m in seen)


def test_two_whole_questions_stay_two_even_with_one_intent():
    parse = _parser({"能开发票吗？": "ask_shipping", "明天能到吗": "ask_shipping"})
    assert asyncio.run(merge_by_intent(["能开发票吗？", "明天能到吗"], parse)) == ["能开发票吗？", "明天能到吗"]


@pytest.mark.parametrize("text, decided", [
    ("那我要20寸的", True), ("就要黑色的", True), ("好的，我要这个", True), ("来一件M码", True), ("拍黑色的", True),
    ("那20寸的呢", False), ("要不要买两件", False), ("我要退货吗", False), ("黑色的有吗", False), ("第二个", False),
])
def test_a_pick_that_takes_the_item_is_told_from_one_that_asks(text: str, decided: bool) -> None:
    assert is_decision(text) is decided


@pytest.mark.parametrize("text, about_order", [
    ("我的订单到哪了", True), ("单号多少", True), ("物流怎么不动了", True), ("我买的东西发货了吗", True),
    ("什么时候能到", False), ("明天能到上海吗", False), ("几天能到", False),
])
def test_an_order_placed_is_told_from_a_delivery_question_before_buying(text: str, about_order: bool) -> None:
    assert names_an_order(text) is about_order


@pytest.mark.parametrize("text, extras", [
    ("保温杯配什么好", True), ("这个裙子搭什么鞋", True), ("买了拉杆箱还需要什么", True),
    ("我想买个保温杯，有没有推荐", False), ("有什么好的防晒霜推荐", False),
])
def test_what_goes_with_an_item_is_told_from_asking_for_the_item(text: str, extras: bool) -> None:
    assert asks_what_goes_with(text) is extras


@pytest.mark.parametrize("text, number", [
    ("1234567890", "1234567890"), ("订单号是 2025010112345 谢谢", "2025010112345"), ("12345", None),
    ("身高175体重120", None), ("199元能买吗", None), ("单号 123456 还有 1234567890123456", "1234567890123456"),
])
def test_a_number_typed_as_an_order_number_is_read_even_when_mistyped(text: str, number: str | None) -> None:
    assert typed_order_number(text) == number


@pytest.mark.parametrize("text, everything", [
    ("都要了", True), ("三个都要", True), ("全都要", True), ("好的都买", True), ("那就一起下单吧", True),
    ("两个都来一份", True), ("都要多少钱", False), ("都不要", False), ("我要这个", False), ("都挺好看的", False),
])
def test_taking_everything_shown_is_told_from_asking_about_it(text: str, everything: bool) -> None:
    assert takes_all(text) is everything


def test_the_number_taken_is_read_when_the_shopper_gives_one() -> None:
    assert count_taken("两个都要") == 2 and count_taken("三样都买了") == 3 and count_taken("2件都要") == 2
    assert count_taken("都要了") is None


@pytest.mark.parametrize("text, several", [
    ("想买个保温杯和雨伞", True), ("泳衣、防晒还有拖鞋", True), ("就要这个", False), ("那我要20寸的", False),
])
def test_a_message_that_could_name_several_items_is_told_without_the_catalog(text: str, several: bool) -> None:
    assert joins_items(text) is several


@pytest.mark.parametrize("text, qty", [
    ("好的 要两双", 2), ("来3件", 3), ("拍俩", None), ("要一件", None), ("20寸的要了", None), ("2.5kg的来一袋", None),
])
def test_the_number_of_pieces_asked_is_read(text: str, qty: int | None) -> None:
    assert quantity_in(text) == qty
