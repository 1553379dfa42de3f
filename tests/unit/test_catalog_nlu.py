"""The NLU lookups generated from the catalog (bot.ops.catalog_nlu) are committed and current."""
from __future__ import annotations

import shutil
from pathlib import Path

import yaml

from bot.ops import catalog_nlu
from bot.settings import PROJECT_ROOT


def test_generated_lookups_match_the_catalog() -> None:
    stale = catalog_nlu.stale()
    assert not stale, f"run `python -m bot.ops.catalog_nlu` and commit: {[str(p) for p in stale]}"


def _copy_inputs(root: Path) -> None:
    for part in (catalog_nlu.CATALOG, catalog_nlu.HAND_LOOKUPS, catalog_nlu.HAND_DICT, catalog_nlu.VOCABULARY):
        (root / part).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(PROJECT_ROOT / part, root / part)


def test_category_words_come_from_the_one_vocabulary_file(tmp_path: Path) -> None:
    """A manager's new word for a category (in vocabulary.yml) reaches the NLU lookup at the next training."""
    _copy_inputs(tmp_path)
    vocabulary = yaml.safe_load((tmp_path / catalog_nlu.VOCABULARY).read_text(encoding="utf-8"))
    vocabulary["categories"]["外套"].append("风衣")
    vocabulary["nlu_words"]["配饰"].append("围脖")
    (tmp_path / catalog_nlu.VOCABULARY).write_text(yaml.safe_dump(vocabulary, allow_unicode=True), encoding="utf-8")
    lookups, _ = catalog_nlu.build(tmp_path)
    category = next(t["examples"] for t in yaml.safe_load(lookups)["nlu"] if t["lookup"] == "category")
    assert {"风衣", "围脖", "外套", "裙"} <= {line[2:] for line in category.splitlines()}


def test_a_new_catalog_product_reaches_the_lookup_and_the_dictionary(tmp_path: Path) -> None:
    _copy_inputs(tmp_path)
    catalog = yaml.safe_load((tmp_path / catalog_nlu.CATALOG).read_text(encoding="utf-8"))
    catalog["products"].append({"sku": "NEW-001", "name": "羊绒围巾", "aliases": ["围巾"], "category": "配饰",
                                "attributes": {"colors": ["驼色"]}})
    (tmp_path / catalog_nlu.CATALOG).write_text(yaml.safe_dump(catalog, allow_unicode=True), encoding="utf-8")
    lookups, dictionary = catalog_nlu.build(tmp_path)
    tables = {t["lookup"]: [l[2:] for l in t["examples"].splitlines()] for t in yaml.safe_load(lookups)["nlu"]}
    assert {"羊绒围巾", "围巾"} <= set(tables["product"]) and "驼色" in tables["color"]
    assert "羊绒围巾 3000 nz" in dictionary.splitlines()
    for words in tables.values():
        assert [len(w) for w in words] == sorted((len(w) for w in words), reverse=True)


def test_generic_words_stay_out_of_the_product_lookup() -> None:
    lookups, _ = catalog_nlu.build()
    tables = {t["lookup"]: t["examples"] for t in yaml.safe_load(lookups)["nlu"]}
    assert "- 伞\n" not in tables["product"] and "- 防晒\n" not in tables["product"]
    assert "- 白的\n" not in tables["color"]
