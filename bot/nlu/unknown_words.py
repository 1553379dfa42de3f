"""Send messages made only of words the assistant never saw in training to the fallback.

DIET is confident even on keyboard mash ("asdkjh qweoiu" scored 0.99 out_of_scope), because a message with no
known features still lands somewhere. This component learns the vocabulary of the training examples and, after
the FallbackClassifier, marks a message as `nlu_fallback` when none of its tokens is known. Tokens with a digit
count as known: bare heights, prices and order numbers are real answers.
"""
from __future__ import annotations

import json
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.fallback_classifier import _fallback_intent
from rasa.nlu.constants import TOKENS_NAMES
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

VOCABULARY_FILE = "vocabulary.json"


def _words(message: Message) -> list[str]:
    return [t.text.strip().lower() for t in message.get(TOKENS_NAMES[TEXT], []) if t.text.strip()]


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class UnknownWordsGuard(GraphComponent):
    """`nlu_fallback` for a message none of whose words occur in the training data."""

    def __init__(self, model_storage: ModelStorage, resource: Resource, vocabulary: frozenset = frozenset()) -> None:
        self._model_storage, self._resource, self.vocabulary = model_storage, resource, vocabulary

    @classmethod
    def create(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> UnknownWordsGuard:
        return cls(model_storage, resource)

    def train(self, training_data: TrainingData) -> Resource:
        vocabulary = sorted({word for example in training_data.training_examples for word in _words(example)})
        with self._model_storage.write_to(self._resource) as directory:
            (directory / VOCABULARY_FILE).write_text(json.dumps(vocabulary, ensure_ascii=False), encoding="utf-8")
        return self._resource

    @classmethod
    def load(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
             execution_context: ExecutionContext, **kwargs: Any) -> UnknownWordsGuard:
        try:
            with model_storage.read_from(resource) as directory:
                words = json.loads((directory / VOCABULARY_FILE).read_text(encoding="utf-8"))
        except ValueError:
            words = []
        return cls(model_storage, resource, frozenset(words))

    def is_unknown(self, message: Message) -> bool:
        words = _words(message)
        return bool(self.vocabulary) and bool(words) and not any(
            word in self.vocabulary or any(ch.isdigit() for ch in word) for word in words)

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            intent: dict | None = message.get(INTENT)
            if intent and intent.get("name") != "nlu_fallback" and self.is_unknown(message):
                message.data[INTENT] = _fallback_intent(1.0)
                message.data.setdefault(INTENT_RANKING_KEY, []).insert(0, _fallback_intent(1.0))
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data
