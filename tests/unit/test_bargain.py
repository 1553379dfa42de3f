"""Bargaining: every concession carries a condition and no price ever goes below the floor."""
from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.bargain.ladder import asked_price, next_concession
from bot.catalog.products import ProductView
from bot.store.config import StoreConfig

STORE = StoreConfig(
    id="t", name="t", style="lively", timezone="Asia/Shanghai", shipping={}, returns={},
    promotions={"full_reduction": [{"threshold": 199, "off": 20}, {"threshold": 299, "off": 40}],
                "pay_now_gift": {"name": "收纳小包"}, "review_cashback": 5},
    customisation=False, agents=({"id": "a", "name": "小美"},),
)
LADDER = ({"condition": "multi_buy", "min_qty": 2, "discount_per_item": 5}, {"condition": "full_reduction"},
          {"condition": "pay_now_gift"}, {"condition": "review_cashback"})


def product(price: float, floor: float) -> ProductView:
    return ProductView(sku="X", name="T恤", category="T恤", price=price, floor_price=floor, stock=10)


def test_ladder_walks_through_conditions_then_holds_on_value() -> None:
    item, step, kinds = product(59, 49), 0, []
    for _ in range(6):
        concession = next_concession(item, STORE, step, ladder=LADDER)
        kinds.append(concession.kind)
        step = concession.step
    assert kinds == ["multi_buy", "full_reduction", "pay_now_gift", "review_cashback", "final", "final"]


def test_multi_buy_is_conditional_on_quantity() -> None:
    concession = next_concession(product(59, 49), STORE, 0, ladder=LADDER)
    assert concession.values["condition"] == 2 and concession.values["deal_price"] == "54"


def test_full_reduction_names_the_gap() -> None:
    concession = next_concession(product(159, 140), STORE, 1, ladder=LADDER)
    assert concession.kind == "full_reduction" and concession.values["gap"] == "40"


def test_a_price_under_the_floor_is_flagged_and_still_answered_with_a_condition() -> None:
    concession = next_concession(product(59, 49), STORE, 0, proposed=30, ladder=LADDER)
    assert concession.below_floor and concession.kind == "multi_buy"


def test_asked_price_reads_the_number_the_shopper_typed() -> None:
    assert asked_price("30块卖不卖", None) == 30
    assert asked_price("便宜点吧", None) is None
    assert asked_price("", "¥45.5") == 45.5


@given(price=st.floats(min_value=1, max_value=5000), ratio=st.floats(min_value=0.5, max_value=1.0),
       step=st.integers(min_value=0, max_value=6), discount=st.floats(min_value=0, max_value=10000))
def test_no_concession_goes_below_the_floor(price: float, ratio: float, step: int, discount: float) -> None:
    floor = round(price * ratio, 2)
    ladder = ({"condition": "multi_buy", "min_qty": 2, "discount_per_item": discount},) + LADDER[1:]
    concession = next_concession(product(price, floor), STORE, step, ladder=ladder)
    if "deal_price" in concession.values:
        assert float(concession.values["deal_price"]) >= floor
        assert float(concession.values["deal_price"]) < price
    assert concession.kind in {"multi_buy", "full_reduction", "pay_now_gift", "review_cashback", "final"}


@pytest.mark.parametrize("text, entity, expected", [
    ("30卖不卖", None, 30.0), ("50块行不行", "50", 50.0), ("便宜10块吧", "10", None), ("能少20吗", None, None),
    ("再减5块呗", None, None), ("太贵了", None, None),
])
def test_a_named_price_is_not_confused_with_a_requested_cut(text, entity, expected):
    assert asked_price(text, entity) == expected
