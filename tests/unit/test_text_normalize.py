"""bot/nlu/text.py: the shopper text normalisation the NLU component and channel code share (no Rasa needed)."""
from __future__ import annotations

import pytest

from bot.nlu.text import (
    collapse_punctuation,
    fix_typos,
    load_rules,
    normalize,
    normalize_with_spans,
    prepare,
    remove_emoji,
    strip_pleasantries,
    to_halfwidth,
)


def test_full_width_forms_become_half_width() -> None:
    assert to_halfwidth("Ｌ码还有吗？２４寸，ＯＫ！") == "L码还有吗?24寸,OK!"
    assert to_halfwidth("你好\u3000在吗") == "你好 在吗"
    assert to_halfwidth("。、“”") == "。、“”"  # Chinese-only punctuation keeps its form


def test_repeated_punctuation_collapses() -> None:
    assert collapse_punctuation("在吗？？？") == "在吗?"
    assert collapse_punctuation("怎么回事?!?!") == "怎么回事?"
    assert collapse_punctuation("太好了！！！") == "太好了!"
    assert collapse_punctuation("好吧。。。") == "好吧…"
    assert collapse_punctuation("嗯……") == "嗯…"
    assert collapse_punctuation("那个...") == "那个…"
    assert collapse_punctuation("好的~~~") == "好的~"
    assert collapse_punctuation("哈哈哈哈哈") == "哈哈"


def test_emoji_and_decorative_symbols_are_removed() -> None:
    assert normalize("亲亲在吗😊😊") == "亲亲在吗"
    assert normalize("好评👍👍❤️") == "好评"
    assert normalize("★超喜欢★") == "超喜欢"
    assert normalize("这个😭太贵了") == "这个太贵了"
    assert remove_emoji("ok👌").strip() == "ok"


@pytest.mark.parametrize("typed, meant", [
    ("包游吗", "包邮吗"), ("在嘛", "在吗"), ("多小钱", "多少钱"), ("有优慧吗", "有优惠吗"), ("快地到哪了", "快递到哪了"),
    ("有木有", "有没有"), ("拉干箱", "拉杆箱"), ("连衣群", "连衣裙"),
])
def test_typos_and_homophone_slips_are_fixed(typed: str, meant: str) -> None:
    assert fix_typos(typed) == meant


@pytest.mark.parametrize("typed, meant", [
    ("zai ma", "在吗"), ("zaima", "在吗"), ("duoshao qian", "多少钱"), ("kd到哪了", "快递到哪了"),
    ("KD到哪了", "快递到哪了"), ("yyds", "太好了"),
])
def test_pinyin_and_abbreviations_are_expanded(typed: str, meant: str) -> None:
    assert fix_typos(typed) == meant


def test_abbreviations_only_match_alone() -> None:
    assert fix_typos("kids") == "kids"
    assert fix_typos("SPF50") == "SPF50"


@pytest.mark.parametrize("text, rest", [
    ("你好，我买了这款泳衣，请问明天一定能送到吗?", "我买了这款泳衣,请问明天一定能送到吗?"),
    ("亲，这个多少钱", "这个多少钱"),
    ("亲亲 24寸的拉杆箱还有吗", "24寸的拉杆箱还有吗"),
    ("在吗？我想买个拉杆箱", "我想买个拉杆箱"),
    ("老板过年好，包邮吗", "包邮吗"),
    ("麻烦问一下什么时候发货", "什么时候发货"),
    ("请问有优惠券吗", "有优惠券吗"),
    ("您好您好，在吗，我要退货", "我要退货"),
    ("hi，这个多少钱", "这个多少钱"),
    ("你好，谢谢", "谢谢"),
    ("在的，刚刚在开会。我主要是不知道怎么搭配", "我主要是不知道怎么搭配"),   # back after the bot's 还在吗
])
def test_leading_pleasantries_are_dropped_before_a_request(text: str, rest: str) -> None:
    assert prepare(text) == rest


@pytest.mark.parametrize("text", ["你好", "您好！", "亲，在吗", "在吗在吗", "老板过年好", "你好呀,在吗?", "hi", "请问",
                                  "在嘛亲", "哈喽，有客服在线不"])
def test_a_bare_greeting_stays_a_greeting(text: str) -> None:
    # 有客服在线不 is a greeting too (asking whether someone is there): nothing but pleasantries here
    assert strip_pleasantries(normalize(text)) == normalize(text)


@pytest.mark.parametrize("text", ["亲子装有吗", "老板娘说包邮的", "客服电话多少", "早餐吃什么", "请客吃饭", "highlight是什么"])
def test_words_that_only_begin_like_a_greeting_are_kept(text: str) -> None:
    assert prepare(text) == text


def test_entity_spans_follow_their_words() -> None:
    text = "你好，那个Ｌ码的条纹T恤还有吗？？"
    spans = [(text.index("Ｌ"), text.index("Ｌ") + 1), (text.index("条纹T恤"), text.index("条纹T恤") + 4)]
    new, moved = normalize_with_spans(text, spans)
    assert new == "那个L码的条纹T恤还有吗?"
    assert [new[s:e] for s, e in moved] == ["L", "条纹T恤"]


def test_pleasantries_stay_when_a_span_is_inside_them() -> None:
    new, moved = normalize_with_spans("亲，在吗", [(0, 1)])
    assert new == "亲,在吗" and moved == [(0, 1)]


def test_rules_file_loads_and_can_be_passed_in() -> None:
    rules = load_rules()
    assert rules["typos"]["包游"] == "包邮" and "你好" in rules["pleasantries"]
    empty = {"typos": {}, "abbreviations": {}, "pleasantries": [], "address_terms": []}
    assert prepare("你好，包游吗", empty) == "你好,包游吗"
