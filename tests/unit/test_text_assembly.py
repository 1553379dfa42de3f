"""Every response of the shipped library, filled with demo values, reads without seams where fragments join."""
from __future__ import annotations

import re

import pytest
import yaml

from bot.catalog.answers import product_values
from bot.catalog.products import ProductView
from bot.scripts.loader import load_library
from bot.scripts.placeholders import PLACEHOLDERS, placeholders_in
from bot.scripts.punctuation import join_list, tidy
from bot.scripts.render import RenderRequest, render
from bot.settings import PROJECT_ROOT

SEAMS = re.compile(r"[。！？!?][，,、；]|[，,、；][。，,、；]|(呢|哦|呀|啦)\1|^[，。、！？]|([\u4e00-\u9fff]{2,4})\2")
EMOJI = re.compile(r"([\U0001F300-\U0001FAFF\u2600-\u27BF])\ufe0f?\s*\1")


@pytest.fixture(scope="module")
def library():
    found, errors = load_library(PROJECT_ROOT / "scripts_library")
    assert not errors
    return found


def demo_values() -> dict[str, object]:
    """Real demo-catalog values (descriptions end with 。, lists have several items) for every placeholder."""
    products = yaml.safe_load((PROJECT_ROOT / "data/store/products.yml").read_text(encoding="utf-8"))["products"]
    item = products[0]
    product = ProductView(sku=item["sku"], name=item["name"], category=item["category"], price=item["price"],
                          floor_price=item["floor_price"], stock=item["stock"], attributes=item["attributes"],
                          description=item["description"])
    values: dict[str, object] = {name: "示例" for name in PLACEHOLDERS}
    values.update(product_values(product))
    values.update({
        "options": [{"kind": "in_stock", "name": "通勤连衣裙", "price": "189"},
                    {"kind": "sold_out", "name": "亮片吊带连衣裙", "price": "199"}],
        "suggestions": [{"name": "V领T恤", "price": "65"}, {"name": "立领T恤", "price": "79"}],
        "reason": "小V领更显脸小。", "summary": "顾客询问尺码。", "pay_reason": "今天下单今天发。",
        "items": [{"name": "V领T恤", "qty": "1"}], "count": "4", "restock_month": "12", "restock_day": "6",
        "categories": ["T恤", "外套", "连衣裙"],
    })
    return values


def test_every_variant_reads_without_seams(library):
    values = demo_values()
    offenders = []
    for response in library.responses.values():
        for index, variant in enumerate(response.variants):
            if placeholders_in(variant.text) - values.keys():
                continue
            text = render(library, RenderRequest(response=response.name, values=values,
                                                 conversation_id=f"seams-{index}")).text
            if SEAMS.search(text) or EMOJI.search(text) or "{" in text:
                offenders.append(f"{response.name}: {text}")
    assert not offenders, "\n".join(offenders)


def test_description_ending_with_a_full_stop_joins_with_a_comma():
    assert tidy("亲，圆领T恤：单穿叠穿都好看。，您眼光真好呢 😊") == "亲，圆领T恤：单穿叠穿都好看，您眼光真好呢 😊"
    assert tidy("真的吗？？？") == "真的吗？"
    assert tidy("好的呢呢~~ 😊 😊") == "好的呢~ 😊"
    assert tidy("哈哈哈，好……") == "哈哈哈，好……"
    assert tidy("日常保养建议建议手洗，平铺晾干") == "日常保养建议手洗，平铺晾干"
    assert tidy("上班穿也不显随便。呢，材质用的是精梳棉") == "上班穿也不显随便呢，材质用的是精梳棉"


def test_lists_read_naturally(library):
    assert join_list(["白色", "黑色", "灰色"], "、", "和") == "白色、黑色和灰色"
    assert join_list(["白色"], "、", "和") == "白色"
    rendered = render(library, RenderRequest(response="utter_product_colors",
                                             values={"product": "T恤", "colors": ["白色", "黑色", "灰色"]}))
    assert "白色、黑色和灰色" in rendered.text


def test_likely_readings_become_quick_replies_worded_by_the_library(library):
    buttons = ({"fragment": "reading_ask_price", "payload": "/ask_price"},
               {"fragment": "reading_unknown_intent", "payload": "/x"},
               {"title": "20寸拉杆箱", "payload": '/provide_info{"product":"20寸拉杆箱"}'})
    rendered = render(library, RenderRequest(response="utter_rephrase_options", extra_buttons=buttons))
    assert {"title": library.fragments["reading_ask_price"], "payload": "/ask_price"} in rendered.buttons
    assert {"title": "20寸拉杆箱", "payload": '/provide_info{"product":"20寸拉杆箱"}'} in rendered.buttons
    assert all(b["payload"] != "/x" for b in rendered.buttons)


def test_a_reply_does_not_say_the_same_phrase_twice_when_another_variant_fits(library):
    values = {"scene": "上班通勤", "product": "立领T恤", "suggestions": [{"name": "休闲直筒裤", "price": "99"}],
              "suggestion": "休闲直筒裤", "reason": {"kind": "scene", "scene": "上班通勤"}}
    for conversation in ("a", "b", "c", "d", "e", "f"):
        text = render(library, RenderRequest("utter_suggest_latent", values, conversation_id=conversation)).text
        assert text.count("上班通勤的时候") <= 1, text


def test_a_name_ending_in_a_number_never_runs_into_its_price() -> None:
    from bot.scripts.placeholders import fill
    from bot.scripts.punctuation import tidy

    assert tidy(fill("有的亲~ {product}{price}元", {"product": "防晒霜SPF50", "price": "69"})) == "有的亲~ 防晒霜SPF50 69元"
    assert fill("{product}{price}元", {"product": "保温杯", "price": "79"}) == "保温杯79元"
    assert fill("满{threshold}减{saving}", {"threshold": "199", "saving": "20"}) == "满199减20"
