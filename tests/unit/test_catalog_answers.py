"""Reading a shopper's product question: height and weight given for a size."""
from __future__ import annotations

from bot.catalog.answers import gives_body_measures


def test_height_or_weight_in_a_follow_up_asks_for_a_size() -> None:
    assert gives_body_measures("有XL吗？他175，150斤") and gives_body_measures("身高165")
    assert gives_body_measures("我60kg穿什么码")
    assert not gives_body_measures("那20寸的呢") and not gives_body_measures("第2个多少钱")


def test_a_question_about_one_detail_names_that_detail() -> None:
    import yaml

    from bot.catalog.answers import asked_attribute
    from bot.catalog.products import ProductView
    from bot.settings import PROJECT_ROOT

    cues = yaml.safe_load((PROJECT_ROOT / "data" / "store" / "vocabulary.yml").read_text(encoding="utf-8"))
    cues = cues["attribute_questions"]
    cream = ProductView(sku="S", name="防晒霜SPF50", category="护肤", price=69, floor_price=59, stock=5,
                        attributes={"spf": "SPF50+ PA++++", "skin": "各种肤质", "volume": "50ml"})
    cup = ProductView(sku="C", name="保温杯", category="日用", price=89, floor_price=79, stock=5,
                      attributes={"capacity": "500ml", "keep_warm": "约12小时", "colors": ["白色"]})
    assert asked_attribute("敏感肌能用吗", cream, cues) == "skin"
    assert asked_attribute("防晒指数多少", cream, cues) == "spf"
    assert asked_attribute("能保温多久", cup, cues) == "keep_warm"
    assert asked_attribute("能装多少水", cup, cues) == "capacity"
    assert asked_attribute("敏感肌能用吗", cup, cues) is None     # a detail the item does not have: no such answer
    assert asked_attribute("质量怎么样", cup, cues) is None
    bag = ProductView(sku="B", name="双肩包", category="箱包", price=149, floor_price=129, stock=5,
                      attributes={"material": "防泼水牛津布", "laptop": "可放15.6寸电脑"})
    assert asked_attribute("下雨天骑车防不防水", bag, cues) == "material"
    assert asked_attribute("能放下15.6寸的电脑吗", bag, cues) == "laptop"


def test_a_size_is_found_in_a_listed_range() -> None:
    from bot.catalog.answers import listed_size

    assert listed_size(["35-36", "37-38", "39-40"], "37") == "37-38"
    assert listed_size(["均码35-40"], "38") == "均码35-40"
    assert listed_size(["S", "M", "L"], "m") == "M"
    assert listed_size(["35", "36"], "41") is None and listed_size(["S", "M"], "XL") is None


def test_a_shoe_size_is_read_from_the_text() -> None:
    from bot.catalog.answers import shoe_size_in

    assert shoe_size_in("41码呢") == "41" and shoe_size_in("那36号的有吗") == "36"
    assert shoe_size_in("41块") is None and shoe_size_in("满199") is None


def test_the_sizes_of_several_items_are_said_shortly() -> None:
    from bot.catalog.answers import sizes_offered
    from bot.catalog.products import ProductView

    def item(*sizes: str) -> ProductView:
        return ProductView(sku="X", name="x", category="鞋", price=1, floor_price=1, stock=1,
                           attributes={"sizes": list(sizes)})

    assert sizes_offered([item("35-36", "37-38", "39-40"), item("35", "36", "40")]) == ["35-40"]
    assert sizes_offered([item("S", "M", "L"), item("M", "XL")]) == ["S", "M", "L", "XL"]


def test_a_one_line_size_guide_advises_by_weight() -> None:
    from bot.catalog.answers import size_answer
    from bot.catalog.products import ProductView

    diapers = ProductView(sku="D", name="婴儿纸尿裤", category="母婴", price=89, floor_price=79, stock=9,
                          attributes={"sizes": ["S", "M", "L", "XL"],
                                      "size_guide": "S 4-8kg, M 6-11kg, L 9-14kg, XL 12-17kg"})
    advice = size_answer(diapers, None, "宝宝10公斤 穿什么码")
    assert advice.kind == "advice" and advice.size == "M" and "6-11kg" in (advice.advice or "")
    assert size_answer(diapers, None, "宝宝13kg").size == "L"
