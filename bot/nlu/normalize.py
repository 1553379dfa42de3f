"""First component of the NLU pipeline: the message text as shoppers write it, normalised (bot/nlu/text.py).

Runs in training too, so the training examples go through the same rewriting as live messages (entity spans
of annotated examples are moved with their words). The rules file (config `rules`, default
data/text/normalize.yml) is read at training time and stored in the model: a model always normalises the way
its training data was normalised. The original text stays in the message as `text_original`.
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.constants import INTENT_MESSAGE_PREFIX
from rasa.shared.nlu.constants import (
    ENTITIES,
    ENTITY_ATTRIBUTE_END,
    ENTITY_ATTRIBUTE_START,
    ENTITY_ATTRIBUTE_VALUE,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu import text as shopper_text

RULES_FILE = "normalize_rules.json"
ORIGINAL = "text_original"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER], is_trainable=True)
class TextNormalizer(GraphComponent):
    """Rewrites TEXT: half-width forms, collapsed punctuation, no emoji, typos fixed, leading greetings dropped."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"rules": str(shopper_text.RULES_FILE), "strip_pleasantries": True}

    @classmethod
    def fingerprint_addon(cls, config: dict[str, Any]) -> str | None:
        """The rules file's content: an edit of normalize.yml retrains this component instead of reusing its cache."""
        path = Path(config.get("rules") or shopper_text.RULES_FILE)
        return hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else None

    def __init__(self, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
                 rules: dict | None = None) -> None:
        self._config, self._model_storage, self._resource = config, model_storage, resource
        self.rules = rules if rules is not None else shopper_text.load_rules(self._rules_path(config))

    @staticmethod
    def _rules_path(config: dict[str, Any]) -> Path:
        path = Path(config.get("rules") or shopper_text.RULES_FILE)
        return path if path.is_absolute() or path.exists() else shopper_text.RULES_FILE.parent.parent.parent / path

    @classmethod
    def create(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> TextNormalizer:
        return cls(config, model_storage, resource)

    @classmethod
    def load(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
             execution_context: ExecutionContext, **kwargs: Any) -> TextNormalizer:
        try:
            with model_storage.read_from(resource) as directory:
                rules = json.loads((directory / RULES_FILE).read_text(encoding="utf-8"))
        except (ValueError, FileNotFoundError):
            rules = None
        return cls(config, model_storage, resource, rules)

    def train(self, training_data: TrainingData) -> Resource:
        with self._model_storage.write_to(self._resource) as directory:
            (directory / RULES_FILE).write_text(json.dumps(self.rules, ensure_ascii=False), encoding="utf-8")
        return self._resource

    def _rewrite(self, text: str) -> str:
        text = shopper_text.normalize(text, self.rules)
        return shopper_text.strip_pleasantries(text, self.rules) if self._config.get("strip_pleasantries", True) \
            else text

    def _apply(self, message: Message) -> None:
        original = message.get(TEXT)
        if not original or not isinstance(original, str) or original.startswith(INTENT_MESSAGE_PREFIX):
            return                        # /greet, /provide_info{...}: button payloads Rasa reads itself
        entities = message.get(ENTITIES) or []
        if entities:
            spans = [(e[ENTITY_ATTRIBUTE_START], e[ENTITY_ATTRIBUTE_END]) for e in entities]
            if self._config.get("strip_pleasantries", True):
                new_text, new_spans = shopper_text.normalize_with_spans(original, spans, self.rules)
            else:
                new_text, new_spans = shopper_text.normalize_with_spans(original, spans, {**self.rules, "pleasantries": [], "address_terms": []})
            moved = []
            for entity, (start, end) in zip(entities, new_spans, strict=False):
                typed = original[entity[ENTITY_ATTRIBUTE_START]:entity[ENTITY_ATTRIBUTE_END]]
                entity = {**entity, ENTITY_ATTRIBUTE_START: start, ENTITY_ATTRIBUTE_END: end}
                if entity.get(ENTITY_ATTRIBUTE_VALUE) == typed:
                    entity[ENTITY_ATTRIBUTE_VALUE] = new_text[start:end]
                moved.append(entity)
            message.set(ENTITIES, moved)
        else:
            new_text = self._rewrite(original)
        if new_text and new_text != original:
            message.set(ORIGINAL, original)
            message.set(TEXT, new_text)

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        for message in training_data.training_examples:
            self._apply(message)
        return training_data

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            self._apply(message)
        return messages
