"""The same sentence is never sent twice in one conversation."""
from __future__ import annotations

import re
from collections.abc import Iterable

_NOISE = re.compile(r"[\s\W_～~]+", re.UNICODE)
_SENTENCE_END = re.compile(r"(?<=[。！!？?～~\n])")
LONG_SENTENCE = 10


def normalise(text: str) -> str:
    return _NOISE.sub("", text).lower()


def _sentences(text: str) -> set[str]:
    return {s for s in (normalise(part) for part in _SENTENCE_END.split(text)) if len(s) >= LONG_SENTENCE}


def is_repeat(text: str, previous_texts: Iterable[str]) -> bool:
    """True when the whole reply, or one of its longer sentences, was already sent."""
    whole = normalise(text)
    if not whole:
        return False
    sentences = _sentences(text)
    return any(normalise(previous) == whole or sentences & _sentences(previous) for previous in previous_texts)
