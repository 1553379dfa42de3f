"""Features of a Chinese question for retrieval: jieba words (store dictionary), synonyms, character bigrams."""
from __future__ import annotations

import re
import threading
from functools import lru_cache
from typing import Iterable, Mapping

import jieba

from bot.settings import PROJECT_ROOT

# Particles, pronouns and question frames: they say how something is asked, not what.
STOPWORDS = frozenset(
    ["吗", "呢", "啊", "呀", "哦", "喔", "吧", "的", "地", "得", "了", "么", "嘛", "哈", "啦", "呗", "哟", "亲", "亲亲", "请问", "问下", "问一下", "一下", "你们", "你家", "我们", "我", "你", "您", "他", "她", "它", "这个", "那个", "这", "那", "这边", "那边", "是", "就", "都", "也", "还", "和", "跟", "与", "及", "或", "要", "想", "会", "能", "可以", "可不可以", "能不能", "怎么", "怎么样", "怎样", "如何", "什么", "啥", "咋", "吗", "么", "不", "没", "不能", "能否", "是否", "行不行", "可否", "有没有", "有", "没有", "在", "给", "把", "被", "让", "对", "到", "去", "来", "上", "下", "个", "些", "呃", "嗯", "恩", "老板", "客服", "掌柜", "店家", "一个", "宝贝", "商品", "产品", "东西"]
)
_CJK_RUN = re.compile(r"[\u4e00-\u9fff]+")
_LATIN = re.compile(r"[a-z0-9]+")
_DICTIONARY = PROJECT_ROOT / "data" / "dict" / "store_terms.txt"
_LOCK = threading.Lock()


@lru_cache(maxsize=1)
def _tokenizer() -> jieba.Tokenizer:
    tokenizer = jieba.Tokenizer()
    if _DICTIONARY.exists():
        tokenizer.load_userdict(str(_DICTIONARY))
    return tokenizer


def add_words(words: Iterable[str]) -> None:
    """Teach the tokenizer words of the bank (synonyms), so they are cut whole."""
    tokenizer = _tokenizer()
    with _LOCK:
        for word in words:
            if len(word) > 1:
                tokenizer.add_word(word, freq=2000)


def words(text: str, synonyms: Mapping[str, str] | None = None) -> list[str]:
    """Content words, each mapped to its canonical synonym."""
    synonyms = synonyms or {}
    with _LOCK:
        cut = list(_tokenizer().cut(text.lower()))
    found = []
    for word in (w.strip() for w in cut):
        if not word or word in STOPWORDS or not (_CJK_RUN.fullmatch(word) or _LATIN.fullmatch(word)):
            continue
        found.append(synonyms.get(word, word))
    return found


def bigrams(text: str) -> list[str]:
    """Character bigrams of the Chinese runs; marked so they never equal a word."""
    grams: list[str] = []
    for run in _CJK_RUN.findall(text):
        grams.extend("#" + run[i:i + 2] for i in range(len(run) - 1))
    return grams


def unify(text: str, synonyms: Mapping[str, str]) -> str:
    """Each synonym written as its canonical word (longest first), so words and bigrams agree."""
    text = text.lower()
    for variant in sorted((v for v in synonyms if v in text), key=len, reverse=True):
        text = text.replace(variant, synonyms[variant])
    return text


def features(text: str, synonyms: Mapping[str, str] | None = None) -> list[str]:
    """What retrieval compares: content words (synonyms unified) and the character bigrams of the words read
    as one run, so 开发票 and 发票 still meet where jieba cuts them differently."""
    text = unify(text, synonyms or {})
    found = words(text, synonyms)
    return found + bigrams("".join(found))


def similarity(a: Iterable[str], b: Iterable[str]) -> float:
    """Jaccard overlap of two feature sets (0..1)."""
    left, right = set(a), set(b)
    return len(left & right) / len(left | right) if left and right else 0.0


def overlap(a: Iterable[str], b: Iterable[str]) -> float:
    """Share of the smaller feature set found in the other (0..1): a short rewording still overlaps."""
    left, right = set(a), set(b)
    return len(left & right) / min(len(left), len(right)) if left and right else 0.0
