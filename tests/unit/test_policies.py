"""Store policies and catalog answers for the situations where the honest answer is "no"."""
from __future__ import annotations

import pytest

from bot.catalog.answers import advise_size, size_answer, stock_answer
from bot.catalog.products import ProductView
from bot.complaints import classify_complaint
from bot.store.config import StoreConfig
from bot.store.policies import asks_for_coupon, return_answer, shipping_answer, wants_customisation

STORE = StoreConfig(
    id="t", name="t", style="lively", timezone="Asia/Shanghai",
    shipping={"carrier": "中通快递", "remote_areas": ["新疆", "西藏"], "same_day_delivery_cities": ["上海"],
              "same_day_cutoff": "16:00", "cash_on_delivery": False},
    returns={"no_reason_days": 7}, promotions={}, customisation=False, agents=({"id": "a", "name": "小美"},),
)
TEE = ProductView(
    sku="T1", name="纯棉圆领T恤", category="T恤", price=59, floor_price=49, stock=3,
    attributes={"colors": ["白色", "黑色"], "sizes": ["S", "M", "L", "XL"],
                "size_chart": {"S": "身高155-160 体重45-52kg", "M": "身高160-167 体重52-60kg",
                               "L": "身高167-173 体重60-68kg", "XL": "身高173-178 体重68-76kg"}},
)


@pytest.mark.parametrize("text, kind", [
    ("能货到付款吗", "cod_alternative"),
    ("新疆能发吗", "remote"),
    ("上海今天能到吗", "same_day"),
    ("北京当天到吗", "same_day_alternative"),
    ("发什么快递", "general"),
    ("发货快吗 我急用 后天要穿", "urgent"),
    ("我在上海，明天要用，来得及吗", "same_day"),
    ("新疆的，着急用", "remote"),
])
def test_shipping_answers(text: str, kind: str) -> None:
    assert shipping_answer(STORE, text).kind == kind


def test_free_shipping_is_said_when_asked_and_the_store_has_a_threshold() -> None:
    free = StoreConfig(**{**STORE.__dict__, "shipping": {**STORE.shipping, "free_shipping_threshold": 59}})
    assert shipping_answer(free, "另外包邮吗？").kind == "free_shipping"
    assert shipping_answer(free, "运费多少").kind == "free_shipping"
    assert shipping_answer(STORE, "包邮吗").kind == "general"       # no threshold: no promise of free shipping


def test_returns_distinguish_quality_and_exchange() -> None:
    assert return_answer(STORE, "质量有问题能退吗").kind == "quality"
    assert return_answer(STORE, "尺码不对能换吗").kind == "exchange"
    assert return_answer(STORE, "七天无理由吗").kind == "general"


def test_who_pays_the_return_shipping_is_answered_only_where_the_store_insures_it() -> None:
    from dataclasses import replace

    insured = replace(STORE, returns={"no_reason_days": 7, "return_shipping_insurance": True})
    text = "穿着有点大，想换小一码，怎么操作啊，还有运费谁出"
    assert return_answer(insured, text).kind == "exchange_insured"
    assert return_answer(insured, "退货运费谁出").kind == "general_insured"
    assert return_answer(STORE, text).kind == "exchange"             # no insurance: never promised


def test_customisation_is_recognised() -> None:
    assert wants_customisation("可以定制印字吗") and not wants_customisation("有黑色吗")


@pytest.mark.parametrize("color, size, kind", [
    ("红色", None, "color_missing"), (None, "XXXL", "size_missing"), ("白色", "M", "low"), (None, None, "low"),
])
def test_stock_answer_kinds(color, size, kind) -> None:
    assert stock_answer(TEE, color, size).kind == kind


def test_out_of_stock_is_reported() -> None:
    empty = ProductView(**{**TEE.__dict__, "stock": 0})
    assert stock_answer(empty).kind == "out"


@pytest.mark.parametrize("text, size", [("身高165 体重110斤", "M"), ("175cm 70kg", "XL"), ("158 体重50kg", "S")])
def test_size_advice_from_height_and_weight(text: str, size: str) -> None:
    assert advise_size(TEE, text)[0] == size
    assert size_answer(TEE, None, text).kind == "advice"


def test_size_answers() -> None:
    assert size_answer(TEE, "xl").kind == "available"
    assert size_answer(TEE, "XXXL").kind == "missing"
    assert size_answer(TEE).kind == "chart"
    case = ProductView(sku="C24", name="24寸拉杆箱", category="箱包", price=329, floor_price=299, stock=0,
                       attributes={"size": "24寸，需托运"})
    assert (size_answer(case).kind, size_answer(case).size) == ("dimensions", "24寸，需托运")   # never 均码
    socks = ProductView(sku="S5", name="船袜", category="配饰", price=29, floor_price=25, stock=9, attributes={})
    assert size_answer(socks).kind == "one_size"


@pytest.mark.parametrize("text, kind", [
    ("发错货了", "wrong_item"), ("质量太差了 起球", "quality"), ("快递太慢了还没到", "late"),
    ("客服态度太差", "service"), ("我很生气", "general"),
])
def test_complaint_kinds(text: str, kind: str) -> None:
    assert classify_complaint(text) == kind


def test_a_coupon_question_is_told_from_any_discount_question() -> None:
    assert asks_for_coupon("有优惠券吗") and asks_for_coupon("有没有红包")
    assert not asks_for_coupon("能便宜点吗") and not asks_for_coupon("有活动吗")
