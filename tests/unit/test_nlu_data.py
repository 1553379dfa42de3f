"""NLU training data: enough varied examples per intent, no ambiguity, and entities the bot can use.

Read with Rasa's own loader (entity offsets and synonyms exactly as training sees them); no training needed.
"""
from __future__ import annotations

import glob
import logging
import re
from collections import defaultdict
from pathlib import Path

import pytest
import yaml

from bot.db.uow import run_in_unit_of_work as in_uow
from bot.settings import PROJECT_ROOT

NLU_DIR = PROJECT_ROOT / "data" / "nlu"
DICT_DIR = PROJECT_ROOT / "data" / "dict"
STORE_DIR = PROJECT_ROOT / "data" / "store"
MIN_EXAMPLES = 45
LOOKUP_EXCLUDED = {"伞", "防晒"}  # too generic to match anywhere in a message (no word boundaries in Chinese)


@pytest.fixture(scope="module")
def training_data():
    from rasa.shared.nlu.training_data.loading import load_data

    return load_data(str(NLU_DIR), language="zh")


@pytest.fixture(scope="module")
def examples(training_data) -> list:
    return [m for m in training_data.training_examples if m.get("intent")]


@pytest.fixture(scope="module")
def jieba_like_rasa():
    """jieba with every file of the dictionary folder loaded, as JiebaTokenizer(dictionary_path=data/dict) does."""
    import jieba

    jieba.setLogLevel(logging.WARNING)
    for path in glob.glob(f"{DICT_DIR}/*"):
        jieba.load_userdict(path)
    return jieba


def entity_values(training_data, examples, name: str) -> list[tuple[str, str, str]]:
    """(text as typed, value after synonym mapping, example) for every annotation of entity `name`."""
    synonyms = {k.lower(): v for k, v in training_data.entity_synonyms.items()}
    found = []
    for message in examples:
        text = message.get("text")
        for entity in message.get("entities") or []:
            if entity["entity"] == name:
                typed = text[entity["start"]:entity["end"]]
                value = entity["value"] if entity["value"] != typed else synonyms.get(typed.lower(), typed)
                found.append((typed, value, text))
    return found


def catalog() -> list[dict]:
    return yaml.safe_load((STORE_DIR / "products.yml").read_text(encoding="utf-8"))["products"]


def normalise(text: str) -> str:
    return re.sub(r"[\s,.!?~。，！？、～…]+", "", text).lower()


def test_every_typed_intent_has_enough_distinct_examples(examples) -> None:
    domain = yaml.safe_load((PROJECT_ROOT / "domain" / "core.yml").read_text(encoding="utf-8"))
    typed = [i for i in domain["intents"] if not i.startswith("EXTERNAL_")]
    distinct: dict[str, set[str]] = defaultdict(set)
    for message in examples:
        distinct[message.get("intent")].add(normalise(message.get("text")))
    too_few = {i: len(distinct[i]) for i in typed if len(distinct[i]) < MIN_EXAMPLES}
    assert not too_few, f"intents with fewer than {MIN_EXAMPLES} distinct examples: {too_few}"
    assert set(distinct) <= set(typed), f"intents missing from the domain: {set(distinct) - set(typed)}"


def test_no_example_is_repeated_or_shared_between_intents(examples) -> None:
    seen: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for message in examples:
        seen[normalise(message.get("text"))].append((message.get("intent"), message.get("text")))
    repeated = {k: v for k, v in seen.items() if len(v) > 1}
    assert not repeated, f"examples repeated (ignoring case, spaces and punctuation): {repeated}"


def test_every_product_entity_resolves_to_its_catalog_product(training_data, examples, store_db) -> None:
    """A product entity names a product, or a kind of product the catalog has (连衣裙, 女士外套)."""
    from bot.catalog.index import CATALOG, resolve_mention

    CATALOG.clear()
    values = entity_values(training_data, examples, "product")
    assert len(values) >= 50
    for typed, value, text in values:
        found = in_uow(resolve_mention, value, single_in_stock=False)
        assert found.products, f"'{typed}' (value '{value}') in '{text}' names no catalog product"
        assert found.mention.strong, f"'{value}' in '{text}' names no product or category, only a detail"


def test_every_entity_span_lines_up_with_jieba_tokens(examples, jieba_like_rasa) -> None:
    misaligned = []
    for message in examples:
        text = message.get("text")
        tokens = list(jieba_like_rasa.tokenize(text))
        starts, ends = {t[1] for t in tokens}, {t[2] for t in tokens}
        for entity in message.get("entities") or []:
            if entity["start"] not in starts or entity["end"] not in ends:
                misaligned.append((text[entity["start"]:entity["end"]], text, [t[0] for t in tokens]))
    assert not misaligned, f"entity spans inside a jieba token (add words to data/dict): {misaligned}"


def test_catalog_names_are_single_tokens(jieba_like_rasa) -> None:
    names = {n for p in catalog() for n in (p["name"], *p.get("aliases", []))}
    split = {n: [t[0] for t in jieba_like_rasa.tokenize(n)] for n in names}
    assert not {n: t for n, t in split.items() if len(t) > 1}


def test_dictionary_folder_holds_only_files() -> None:
    # JiebaTokenizer loads and copies every entry of dictionary_path; a folder (e.g. __pycache__) breaks training.
    assert all(Path(p).is_file() for p in glob.glob(f"{DICT_DIR}/*"))


def test_scene_entities_name_a_store_scene(training_data, examples) -> None:
    from bot.recommendations.store_data import load_scenes, scenes_in_text

    scenes = load_scenes(STORE_DIR)
    values = entity_values(training_data, examples, "scene")
    assert len(values) >= 45
    unknown = [(v, t) for _, v, t in values if not scenes_in_text(v, scenes)]
    assert not unknown, f"scene values matching no keyword of scenes.yml: {unknown}"


def test_price_and_size_entities_carry_usable_values(training_data, examples) -> None:
    prices = entity_values(training_data, examples, "price")
    assert prices and all(re.fullmatch(r"\d+(\.\d+)?", v) for _, v, _ in prices), prices
    sizes = entity_values(training_data, examples, "size")
    pattern = r"(XXXL|XXL|XL|S|M|L|均码|大码|3[5-9]|40|20寸|24寸)"
    assert sizes and all(re.fullmatch(pattern, v, re.I) for _, v, _ in sizes), sizes


def test_product_lookup_lists_catalog_names_longest_first(training_data) -> None:
    tables = {t["name"]: t["elements"] for t in training_data.lookup_tables}
    names = {n for p in catalog() for n in (p["name"], *p.get("aliases", []))} - LOOKUP_EXCLUDED
    assert names <= set(tables["product"]), names - set(tables["product"])
    for name, elements in tables.items():
        lengths = [len(e) for e in elements]
        assert lengths == sorted(lengths, reverse=True), f"lookup {name} is not ordered longest first"


def test_lookup_matching_prefers_the_longer_name(training_data) -> None:
    from rasa.nlu.utils.pattern_utils import extract_patterns

    patterns = {p["name"]: p["pattern"] for p in extract_patterns(training_data, use_regexes=False,
                                                                     use_word_boundaries=False)}
    found = [m.group(0) for m in re.finditer(patterns["product"], "防晒衣和分体泳衣还有大号行李箱吗", re.I)]
    assert found == ["防晒衣", "分体泳衣", "大号行李箱"]
    assert [m.group(0) for m in re.finditer(patterns["color"], "米白色和黑色", re.I)] == ["米白色", "黑色"]


def regexes(training_data, name: str) -> list[str]:
    return [r["pattern"] for r in training_data.regex_features if r["name"] == name]


def extract(training_data, name: str, text: str) -> list[str]:
    return [m.group(0) for p in regexes(training_data, name) for m in re.finditer(p, text, re.I)]


def test_order_id_regex_matches_shop_and_history_ids(training_data) -> None:
    from bot.orders.service import _new_order_id

    shop_id = _new_order_id()
    assert extract(training_data, "order_id", f"订单{shop_id}到哪了") == [shop_id]
    assert extract(training_data, "order_id", "单号2026112200017") == ["2026112200017"]
    assert extract(training_data, "order_id", "电话13812345678，买2件") == []


def test_price_regex_reads_amounts_not_ids_or_quantities(training_data) -> None:
    assert extract(training_data, "price", "99块卖不卖") == ["99"]
    assert extract(training_data, "price", "人家才卖49") == ["49"]
    assert extract(training_data, "price", "39.9行吗") == ["39.9"]
    assert extract(training_data, "price", "才要2件，订单2611251230450001") == []


def test_size_regex_ignores_letters_inside_words(training_data) -> None:
    assert extract(training_data, "size", "L码有吗，xl呢") == ["L", "xl"]
    assert extract(training_data, "size", "防晒霜SPF50和2L水壶，iphone") == []
    assert extract(training_data, "size", "38码的鞋") == ["38"]
