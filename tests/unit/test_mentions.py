"""Product mentions resolved as a shop assistant would: category, alias, attribute, superlative, reference."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot.catalog.mentions import resolve
from bot.catalog.products import ProductView
from bot.catalog.vocabulary import build_vocabulary

STORE = Path(__file__).resolve().parents[2] / "data" / "store"


@pytest.fixture(scope="module")
def catalog() -> list[ProductView]:
    products = yaml.safe_load((STORE / "products.yml").read_text(encoding="utf-8"))["products"]
    return [ProductView(sku=p["sku"], name=p["name"], category=p["category"], price=p["price"],
                        floor_price=p["floor_price"], stock=p["stock"], attributes=p["attributes"],
                        aliases=tuple(p.get("aliases") or ())) for p in products]


@pytest.fixture(scope="module")
def ask(catalog):
    vocabulary = build_vocabulary(catalog, yaml.safe_load((STORE / "vocabulary.yml").read_text(encoding="utf-8")))

    def _ask(text, subject=None, offered=(), browsing=False):
        return resolve(text, catalog, vocabulary, subject, offered, single_in_stock=not browsing)
    return _ask


def names(found) -> list[str]:
    return [p.name for p in found.products]


def test_category_with_one_in_stock_proceeds_with_it(ask):
    found = ask("我想买个拉杆箱")
    assert found.kind == "one" and names(found) == ["20寸拉杆箱"]


def test_attribute_picks_the_sold_out_size_not_the_subject(ask):
    assert names(ask("24寸的拉杆箱还有吗")) == ["24寸拉杆箱"]
    assert names(ask("24寸的有吗", subject="LUGGAGE-20-001")) == ["24寸拉杆箱"]
    assert names(ask("24寸那个多少钱", subject="LUGGAGE-20-001")) == ["24寸拉杆箱"]   # a pointer with a name word
    assert names(ask("这个黑色的有吗", subject="LUGGAGE-20-001")) == ["20寸拉杆箱"]   # a colour asks about it


def test_browsing_a_category_lists_every_product_in_stock_first(ask):
    found = ask("有连衣裙吗", browsing=True)
    assert found.kind == "choice" and found.total == 4
    assert {p.category for p in found.products} == {"连衣裙"}
    stock = [p.in_stock for p in found.products]
    assert stock == sorted(stock, reverse=True)


def test_pattern_and_category_narrow_to_one(ask):
    assert names(ask("那个条纹的T恤还有吗")) == ["条纹圆领T恤"]
    assert names(ask("V领的呢", subject="TSHIRT-ROUND-001")) == ["V领T恤"]


def test_cheaper_ones_come_cheapest_first_and_in_stock(ask, catalog):
    found = ask("有没有便宜点的T恤")
    assert found.kind == "choice"
    prices = [p.price for p in found.products if p.in_stock]
    assert prices == sorted(prices) and all(p.category == "T恤" for p in found.products)
    cheaper = ask("有便宜点的吗", subject="TSHIRT-VNECK-001")
    assert all(p.price < 65 for p in cheaper.products)


def test_words_that_narrow_a_category(ask):
    assert set(names(ask("想看看女士外套", browsing=True))) == {"女士风衣外套", "女士牛仔外套"}


def test_superlative_tells_the_truth_even_when_sold_out(ask):
    assert names(ask("最大的行李箱")) == ["24寸拉杆箱"]
    assert names(ask("最大的", offered=["LUGGAGE-20-001", "LUGGAGE-24-001"])) == ["24寸拉杆箱"]


def test_ordinals_and_attributes_pick_from_the_options_offered(ask):
    offered = ["DRESS-OFFICE-001", "DRESS-FLORAL-001"]
    assert names(ask("第二个", offered=offered)) == ["碎花连衣裙"]
    assert names(ask("最后一个", offered=offered)) == ["碎花连衣裙"]
    assert names(ask("黑色那款", offered=["TSHIRT-ROUND-001", "DRESS-FLORAL-001"])) == ["纯棉圆领T恤"]


def test_references_and_follow_ups_keep_the_subject(ask):
    for text in ("那就要刚才那个", "有什么颜色", "这个适合旅行用吗", "多少钱", "有红色的吗"):
        assert names(ask(text, subject="LUGGAGE-20-001")) == ["20寸拉杆箱"], text
    assert names(ask("拉杆箱多少钱", subject="LUGGAGE-24-001")) == ["24寸拉杆箱"]


def test_first_named_product_is_the_subject_of_a_pairing_question(ask):
    assert names(ask("风衣配什么裤子")) == ["女士风衣外套"]


def test_words_that_name_no_product(ask):
    for text in ("包邮吗", "多少钱", "明天能到吗", "在吗"):
        assert ask(text).kind == "none", text


def test_full_width_and_case_do_not_matter(ask):
    assert names(ask("２４寸拉杆箱")) == ["24寸拉杆箱"]
    assert names(ask("v领t恤多少钱")) == ["V领T恤"]


def test_in_stock_only_narrows_a_superlative(ask):
    assert names(ask("最便宜的T恤")) == ["莫代尔打底衫"]           # sold out, but the true answer
    assert names(ask("有现货的最便宜的T恤")) == ["速干运动T恤"]


def test_a_word_that_fits_nothing_on_offer_does_not_hide_the_one_that_does(ask):
    offered = ["TSHIRT-VNECK-001", "TSHIRT-STAND-001"]
    assert names(ask("V领的会不会太露了？上班穿合适吗？", subject="TSHIRT-ROUND-001", offered=offered)) == ["V领T恤"]


def test_a_feature_outside_the_last_list_names_the_item_elsewhere(ask):
    round_ones = ["TSHIRT-ROUND-001", "TSHIRT-SPORT-001"]      # what 圆领的 narrowed the list to
    found = ask("V领那个多少钱", offered=round_ones)
    assert found.kind == "one" and names(found) == ["V领T恤"]
    assert names(ask("圆领那个多少钱", offered=round_ones)) == ["纯棉圆领T恤", "速干运动T恤"]


def test_a_word_for_several_categories_offers_one_of_each_first(ask):
    found = ask("想给我妈买件衣服", browsing=True)
    assert found.kind == "choice" and found.total >= 10          # every T恤, coat, pair of trousers and dress fits
    assert [p.category for p in found.products] == ["T恤", "外套", "裤子", "连衣裙"]
    assert all(p.in_stock for p in found.products)


def test_a_budget_keeps_only_what_fits_it(ask):
    found = ask("有没有60以内的T恤", browsing=True)
    assert found.products and all(p.price <= 60 for p in found.products) and found.total == len(found.products)
    over = ask("有没有10块以内的T恤", browsing=True)             # nothing that cheap: the cheapest first, honestly
    assert over.products and over.products[0].price == min(p.price for p in over.products)
    assert ask("预算300左右的连衣裙", browsing=True).mention.budget is None   # 左右 is no ceiling


def test_a_budget_alone_narrows_the_list_just_offered(ask):
    offered = ["TSHIRT-ROUND-001", "CARDIGAN-KNIT-001", "PANTS-STRAIGHT-001", "DRESS-BOHO-001"]
    found = ask("有没有100以内的", offered=offered, browsing=True)
    assert found.products and {p.sku for p in found.products} <= set(offered)
    assert all(p.price <= 100 for p in found.products)
