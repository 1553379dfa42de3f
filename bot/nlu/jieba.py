"""Rasa's Jieba tokenizer, retrained when the hand dictionary changes.

`JiebaTokenizer` has no `fingerprint_addon`, so an edit to `data/dict/` alone was served from Rasa's training
cache: the model kept cutting words the old way. The addon here is a hash of the dictionary files, which Rasa adds
to the fingerprint of the tokenizer and so of everything trained on its tokens.
"""
from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.tokenizers.jieba_tokenizer import JiebaTokenizer


def dictionary_digest(directory: str | None) -> str | None:
    """A hash of the names and contents of the dictionary files (None without a dictionary)."""
    if directory is None:
        return None
    digest = hashlib.sha256()
    for path in sorted(p for p in Path(directory).glob("*") if p.is_file()):
        digest.update(path.name.encode("utf-8") + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER, is_trainable=True)
class StoreJiebaTokenizer(JiebaTokenizer):
    """`JiebaTokenizer` whose training fingerprint includes its dictionary."""

    @classmethod
    def fingerprint_addon(cls, config: dict[str, Any]) -> str | None:
        return dictionary_digest(config.get("dictionary_path"))
