"""Seamless text where fragments join: one punctuation mark between clauses, no doubled particles or emoji."""
from __future__ import annotations

import re

_MARKS = "，,、；;。！!？?~～"
_RUN = re.compile(rf"[{_MARKS}](?:\s*[{_MARKS}])+")
_PARTICLE = re.compile(r"(呢|哦|呀|啦|嘛|吧|哟)\1+")
# 不显随便。呢，材质: a value that ends its sentence met the template's particle; the particle closes the clause
_STRANDED_PARTICLE = re.compile(r"[。！!]\s*(呢|哦|呀|啦|哈|嘛|哟)(?=[，,。！!~～])")
_EMOJI = r"[\U0001F300-\U0001FAFF\u2600-\u27BF]\ufe0f?"
_DOUBLE_WORD = re.compile(r"([\u4e00-\u9fff]{2,4})\1")          # 建议建议手洗: a template word met its value
_DOUBLE_EMOJI = re.compile(rf"({_EMOJI})(?:\s*\1)+")
_LEADING = re.compile(rf"^[\s{_MARKS}]+")
_SPACE_BEFORE_MARK = re.compile(rf"\s+([{_MARKS}])")


def _one_mark(run: str) -> str:
    """The mark a run like "。，" or "！！" stands for: a question or exclamation wins, then a pause."""
    marks = run.replace(" ", "")
    for strong, mark in (("？?", "？"), ("！!", "！")):
        if any(ch in marks for ch in strong):
            return mark
    if any(ch in marks for ch in "~～"):
        return "~"
    if any(ch in marks for ch in "，,、；;"):
        return "，"
    return marks[-1]


def tidy(text: str) -> str:
    """Normalise the joins of a filled script: 得体。，您 → 得体，您; 呢呢 → 呢; 😊 😊 → 😊."""
    text = _SPACE_BEFORE_MARK.sub(r"\1", text)
    text = _RUN.sub(lambda m: _one_mark(m.group(0)), text)
    text = _PARTICLE.sub(r"\1", text)
    text = _STRANDED_PARTICLE.sub(r"\1", text)
    text = _DOUBLE_WORD.sub(r"\1", text)
    text = _DOUBLE_EMOJI.sub(r"\1", text)
    return _LEADING.sub("", text).strip()


_REPEATED_PHRASE = re.compile(r"([\u4e00-\u9fff]{5,}).*\1")


def repeats_a_phrase(text: str) -> bool:
    """上班通勤的时候…很适合上班通勤的时候用: a value said the template's words again (5+ characters twice; a shared 4-character part of two product names is fine)."""
    return bool(_REPEATED_PHRASE.search(text))


def join_list(parts: list[str], separator: str = "、", last: str | None = None) -> str:
    """A、B和C: the last pair joined by `last` when the library gives one."""
    parts = [p for p in parts if p]
    if last and len(parts) > 1:
        return separator.join(parts[:-1]) + last + parts[-1]
    return separator.join(parts)
