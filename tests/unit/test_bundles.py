"""Bundle pricing against AOV: property tests for the band, floors and saving; the price check; the YAML rules."""
from __future__ import annotations

from dataclasses import dataclass

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from bot.recommendations.bundles import (
    BundleConfig,
    BundleRule,
    check_bundle_price,
    load_bundle_config,
    price_bundle,
)

CATEGORIES = ["箱包", "旅行", "T恤", "日用", "泳衣"]


@dataclass(frozen=True)
class Item:
    price: float
    floor_price: float
    category: str


prices = st.floats(min_value=1, max_value=3000, allow_nan=False, allow_infinity=False)
items = st.builds(
    lambda price, share, category: Item(round(price, 2), round(price * share, 2), category),
    prices, st.floats(min_value=0.3, max_value=1.0), st.sampled_from(CATEGORIES),
)


@st.composite
def configs(draw) -> BundleConfig:
    low = draw(st.floats(min_value=0.8, max_value=1.6))
    min_discount = draw(st.floats(min_value=0.0, max_value=0.2))
    return BundleConfig(
        band=(low, low + draw(st.floats(min_value=0.0, max_value=1.0))),
        min_discount=min_discount,
        max_discount=min_discount + draw(st.floats(min_value=0.0, max_value=0.4)),
        default_discount=draw(st.floats(min_value=0.0, max_value=0.6)),
        rules=(BundleRule(frozenset(draw(st.sets(st.sampled_from(CATEGORIES), max_size=2))),
                          draw(st.floats(min_value=0.0, max_value=0.6))),),
    )


@settings(max_examples=400, deadline=None)
@given(st.lists(items, min_size=2, max_size=2), st.floats(min_value=5, max_value=2000), configs())
def test_a_bundle_is_inside_the_band_above_the_floors_and_saves_money(pair, aov, config):
    bundle = price_bundle(pair, aov, config)
    if bundle is None:
        return
    list_price = sum(i.price for i in pair)
    assert config.band[0] * aov <= bundle.price <= config.band[1] * aov
    assert bundle.price >= sum(i.floor_price for i in pair)
    assert bundle.saving > 0
    assert bundle.price < list_price
    assert bundle.saving == pytest.approx(list_price - bundle.price, abs=0.01)
    assert config.min_discount - 1e-9 <= 1 - bundle.price / list_price <= config.max_discount + 1e-9
    assert check_bundle_price(bundle.price, aov, config.band) == "ok"


@settings(max_examples=300, deadline=None)
@given(st.floats(min_value=20, max_value=2000), st.floats(min_value=0.3, max_value=0.7),
       st.floats(min_value=0.05, max_value=0.95), st.sampled_from(CATEGORIES), st.sampled_from(CATEGORIES))
def test_a_bundle_is_found_whenever_the_rules_leave_room(aov, split, floor_share, first, second):
    """Liveness: list prices whose default discount lands mid-band, with floors well below, always bundle."""
    config = BundleConfig()
    list_price = 1.35 * aov / (1 - config.discount_for([first, second]))
    high = Item(round(list_price * max(split, 1 - split), 2), 0.0, first)
    low = Item(round(list_price - high.price, 2), 0.0, second)
    assume(high.price > low.price)
    pair = [Item(high.price, round(high.price * floor_share * 0.8, 2), first),
            Item(low.price, round(low.price * floor_share * 0.8, 2), second)]
    bundle = price_bundle(pair, aov, config)
    assert bundle is not None
    assert 1.2 * aov <= bundle.price <= 1.5 * aov


def test_worked_example_with_default_band():
    # AOV 100 -> band 120-150. Swimsuit 129 + straw hat 39 = 168, rule discount 10% -> 151.2, above the band:
    # the price is pulled down to 150, still above the floors (109 + 33) and at most 15% off (142.8).
    pair = [Item(129, 109, "泳衣"), Item(39, 33, "配饰")]
    config = BundleConfig(rules=(BundleRule(frozenset({"泳衣"}), 0.1),))
    bundle = price_bundle(pair, 100, config)
    assert (bundle.price, bundle.list_price, bundle.saving) == (150, 168, 18)


def test_no_bundle_when_floors_or_list_prices_miss_the_band():
    config = BundleConfig()
    assert price_bundle([Item(269, 229, "箱包"), Item(119, 99, "箱包")], 100, config) is None   # too dear
    assert price_bundle([Item(39, 33, "旅行"), Item(35, 30, "旅行")], 100, config) is None     # too cheap
    assert price_bundle([Item(100, 100, "T恤"), Item(40, 40, "T恤")], 100, config) is None     # no room below floor
    assert price_bundle([Item(100, 50, "T恤")], 100, config) is None                           # a single item


@pytest.mark.parametrize("price, expected", [
    (90, "below_aov_adjust"), (100, "below_aov_adjust"), (119.9, "below_aov_adjust"),
    (120, "ok"), (135, "ok"), (150, "ok"), (150.5, "too_high_adjust"), (300, "too_high_adjust"),
])
def test_check_bundle_price_against_aov(price, expected):
    assert check_bundle_price(price, 100, (1.2, 1.5)) == expected


def test_check_bundle_price_with_the_briefs_plain_rule():
    # band (1.0, 1.5): below AOV -> adjust or withdraw; more than 50% above AOV -> adjust.
    assert check_bundle_price(99, 100, (1.0, 1.5)) == "below_aov_adjust"
    assert check_bundle_price(110, 100, (1.0, 1.5)) == "ok"
    assert check_bundle_price(151, 100, (1.0, 1.5)) == "too_high_adjust"
    with pytest.raises(ValueError):
        check_bundle_price(100, 0)


def test_manager_rules_from_yaml(tmp_path):
    path = tmp_path / "bundles.yml"
    path.write_text(
        "bundles:\n  band: [1.1, 1.4]\n  min_discount: 0.03\n  max_discount: 0.2\n  default_discount: 0.04\n"
        "  rules:\n    - {categories: [箱包, 旅行], discount: 0.12}\n    - {categories: [日用], discount: 0.5}\n",
        encoding="utf-8")
    config = load_bundle_config(path)
    assert config.band == (1.1, 1.4)
    assert config.discount_for(["旅行", "T恤"]) == 0.12
    assert config.discount_for(["日用"]) == 0.2          # clamped to max_discount
    assert config.discount_for(["T恤"]) == 0.04          # default
    assert load_bundle_config(tmp_path / "missing.yml") == BundleConfig()


def test_shipped_bundle_rules_are_valid():
    from bot.settings import PROJECT_ROOT

    config = load_bundle_config(PROJECT_ROOT / "data" / "store" / "bundles.yml")
    assert config.band == (1.2, 1.5)
    assert config.rules and all(0 <= r.discount < 1 for r in config.rules)


def test_invalid_configuration_is_rejected():
    with pytest.raises(ValueError):
        BundleConfig(band=(1.5, 1.2))
    with pytest.raises(ValueError):
        BundleConfig(min_discount=0.2, max_discount=0.1)
