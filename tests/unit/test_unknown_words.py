"""Keyboard mash goes to the fallback; short real answers (a size, a height, a number) do not."""
import pytest
from rasa.nlu.constants import TOKENS_NAMES
from rasa.nlu.tokenizers.tokenizer import Token
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.unknown_words import UnknownWordsGuard

VOCABULARY = frozenset({"亲", "在", "吗", "l", "码", "多少", "钱", "好", "的"})


def message(*words: str, intent: str = "provide_info") -> Message:
    tokens, offset = [], 0
    for word in words:
        tokens.append(Token(word, offset))
        offset += len(word) + 1
    return Message(data={TEXT: " ".join(words), TOKENS_NAMES[TEXT]: tokens,
                         INTENT: {"name": intent, "confidence": 0.9}})


@pytest.mark.parametrize("words", [("asdkjh", "qweoiu"), ("阿巴阿巴",), ("zxcvb",)])
def test_only_unknown_words_means_fallback(words):
    guard = UnknownWordsGuard(None, None, VOCABULARY)
    [processed] = guard.process([message(*words)])
    assert processed.get(INTENT)["name"] == "nlu_fallback"


@pytest.mark.parametrize("words", [("L",), ("168",), ("175", "65kg"), ("亲", "在", "吗"), ("多少", "qwe")])
def test_a_known_word_or_a_number_keeps_the_prediction(words):
    guard = UnknownWordsGuard(None, None, VOCABULARY)
    [processed] = guard.process([message(*words)])
    assert processed.get(INTENT)["name"] == "provide_info"
