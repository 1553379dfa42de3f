"""An edit to the hand dictionary alone retrains the model (Rasa's training cache keys on the fingerprint)."""
from __future__ import annotations

import shutil

import yaml
from rasa.engine.training.fingerprinting import calculate_fingerprint_key

from bot.nlu.jieba import StoreJiebaTokenizer
from bot.settings import PROJECT_ROOT


def _key(directory) -> str:
    config = {**StoreJiebaTokenizer.get_default_config(), "dictionary_path": str(directory)}
    return calculate_fingerprint_key(StoreJiebaTokenizer, config, {"training_data": "same data"})


def test_a_dictionary_edit_changes_the_tokenizer_fingerprint(tmp_path) -> None:
    dictionary = tmp_path / "dict"
    shutil.copytree(PROJECT_ROOT / "data" / "dict", dictionary)
    before = _key(dictionary)
    assert _key(dictionary) == before  # nothing changed: the cache may serve it
    first = sorted(dictionary.iterdir())[0]
    first.write_text(first.read_text(encoding="utf-8") + "冰丝阔腿裤 50 n\n", encoding="utf-8")
    assert _key(dictionary) != before


def test_the_pipeline_uses_the_fingerprinted_tokenizer() -> None:
    pipeline = yaml.safe_load((PROJECT_ROOT / "config.yml").read_text(encoding="utf-8"))["pipeline"]
    tokenizers = [step for step in pipeline if "Tokenizer" in step["name"]]
    assert [t["name"] for t in tokenizers] == ["bot.nlu.jieba.StoreJiebaTokenizer"]
    assert tokenizers[0]["dictionary_path"] == "data/dict"
