"""The script library: exact errors, hot reload that keeps the last good version, variant choice and guard."""
from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from bot.scripts.live import LiveLibrary
from bot.scripts.loader import load_library
from bot.scripts.render import RenderRequest, render

GOOD = """\
responses:
  utter_price:
    tone: [warm]
    variants:
      - text: "亲,{product}现在是{price}元哦~ 😊"
      - text: "{product}到手价{price}元呢,眼光真好 👍"
      - text: "这款{product}只要{price}元哦,性价比很高的呢~"
        style: calm
  utter_guard_fallback:
    situation: system
    variants:
      - text: "亲,我在认真帮您看呢,您想了解哪件宝贝呀?"
      - text: "亲亲,您可以告诉我想看的宝贝名字哦~"
fragments:
  list_separator: "、"
  items_item: "{name}×{qty}"
"""


def write(directory: Path, name: str, text: str) -> Path:
    path = directory / name
    path.write_text(text, encoding="utf-8")
    stamp = time.time() + 1
    os.utime(path, (stamp, stamp))
    return path


@pytest.fixture()
def library_dir(tmp_path: Path) -> Path:
    write(tmp_path, "main.yml", GOOD)
    return tmp_path


def test_good_library_loads_without_errors(library_dir: Path) -> None:
    library, errors = load_library(library_dir)
    assert [e for e in errors if e.severity == "error"] == []
    assert len(library.responses["utter_price"].variants) == 3


@pytest.mark.parametrize(
    "text, line, reason",
    [
        ("responses:\n  utter_a:\n    variants:\n      - text: \"亲,好的呢~\"\n     bad: [\n", 5, "YAML syntax"),
        ("responses:\n  utter_a:\n    variants:\n      - text: \"亲,您好呀~\"\n  utter_a:\n    variants:\n"
         "      - text: \"亲,在的呢~\"\n", 5, "duplicate key"),
        ("responses:\n  utter_a:\n    variants:\n      - text: \"亲,{nonsense}呢~\"\n", 4, "unknown placeholder"),
        ("responses:\n  utter_a:\n    tone: [angry]\n    variants:\n      - text: \"亲~\"\n", 3, "schema"),
        ("responses:\n  utter_a:\n    variants:\n      - text: \"亲,这个价格不行哦~\"\n", 4, "flat_refusal"),
        ("responses:\n  utter_a:\n    variants:\n      - text: \"亲,好的呢~\"\n", 2, "at least 3 variants"),
    ],
)
def test_errors_name_file_line_key_and_reason(tmp_path: Path, text: str, line: int, reason: str) -> None:
    write(tmp_path, "broken.yml", text)
    _, errors = load_library(tmp_path)
    matching = [e for e in errors if reason in e.reason]
    assert matching, errors
    assert matching[0].file.endswith("broken.yml") and matching[0].line == line
    assert str(matching[0]).startswith(f"{tmp_path.name}/broken.yml:{line}:")


def test_same_response_in_two_files_is_an_error(library_dir: Path) -> None:
    write(library_dir, "other.yml", "responses:\n  utter_price:\n    variants:\n      - text: \"亲,{price}元哦~\"\n")
    _, errors = load_library(library_dir)
    assert any("duplicate response" in e.reason and e.file.endswith("other.yml") for e in errors)


def test_hot_reload_serves_edits_and_keeps_last_good_version(library_dir: Path) -> None:
    live = LiveLibrary(library_dir, min_interval=0)
    assert "utter_price" in live.get().responses
    write(library_dir, "main.yml", GOOD.replace("现在是{price}元哦", "今天只要{price}元哦"))
    assert "今天只要" in live.get().responses["utter_price"].variants[0].text
    write(library_dir, "main.yml", GOOD + "  utter_broken: [\n")
    served = live.get()
    assert "今天只要" in served.responses["utter_price"].variants[0].text
    assert live.status.errors and live.status.errors[0].file.endswith("main.yml")
    write(library_dir, "main.yml", GOOD)
    assert live.get().responses["utter_price"].variants[0].text.startswith("亲,{product}现在是")
    assert live.status.errors == []


def test_render_fills_placeholders_and_never_repeats(library_dir: Path) -> None:
    library, _ = load_library(library_dir)
    sent: list[str] = []
    for _ in range(2):
        request = RenderRequest("utter_price", {"product": "V领T恤", "price": 65}, previous_texts=tuple(sent),
                                conversation_id="c1")
        rendered = render(library, request)
        assert "V领T恤" in rendered.text and "65" in rendered.text
        sent.append(rendered.text)
    assert sent[0] != sent[1]


def test_render_skips_variants_with_missing_placeholders(library_dir: Path) -> None:
    library, _ = load_library(library_dir)
    rendered = render(library, RenderRequest("utter_price", {"product": "V领T恤"}, conversation_id="c2"))
    assert rendered.response == "utter_price" and "{" not in rendered.text
    assert rendered.variant == -1  # nothing usable without a price: the guard fallback answered


def test_style_tagged_variants_only_serve_their_style(library_dir: Path) -> None:
    library, _ = load_library(library_dir)
    values = {"product": "A", "price": 1}
    lively = {render(library, RenderRequest("utter_price", values, conversation_id=f"c{i}")).variant
              for i in range(40)}
    calm = {render(library, RenderRequest("utter_price", values, style="calm", conversation_id=f"c{i}")).variant
            for i in range(40)}
    assert lively == {0, 1}
    assert 2 in calm


def test_guard_replaces_a_violating_variant(tmp_path: Path) -> None:
    write(tmp_path, "main.yml", GOOD.replace("现在是{price}元哦~ 😊", "{price}元,便宜不了哦"))
    library, errors = load_library(tmp_path)
    assert any("flat_refusal" in e.reason for e in errors)
    for conversation in ("a", "b", "c", "d"):
        rendered = render(library, RenderRequest("utter_price", {"product": "A", "price": 9},
                                                 conversation_id=conversation))
        assert "便宜不了" not in rendered.text


def test_lists_and_records_use_fragments(library_dir: Path) -> None:
    write(library_dir, "orders.yml", "responses:\n  utter_items:\n    variants:\n"
          "      - text: \"亲,您的订单有{items}哦~\"\n")
    library, _ = load_library(library_dir)
    rendered = render(library, RenderRequest("utter_items", {"items": [{"name": "卷纸", "qty": 2},
                                                                         {"name": "洗衣液", "qty": 1}]}))
    assert rendered.text == "亲,您的订单有卷纸×2、洗衣液×1哦~"


def test_a_quick_reply_with_when_shows_only_for_products_with_that_value() -> None:
    """尺码怎么选 under a suitcase's answer would ask about sizes it does not have."""
    library, errors = load_library(Path("scripts_library"))
    assert errors == []
    sized = render(library, RenderRequest("utter_show_product", {"product": "V领T恤", "price": 65,
                                                                  "description": "纯棉", "sizes": ["S", "M"]}))
    unsized = render(library, RenderRequest("utter_show_product", {"product": "拉杆箱", "price": 299,
                                                                    "description": "静音万向轮"}))
    assert "尺码怎么选" in [b["title"] for b in sized.buttons]
    assert "尺码怎么选" not in [b["title"] for b in unsized.buttons]
    assert "有优惠吗" in [b["title"] for b in unsized.buttons]
