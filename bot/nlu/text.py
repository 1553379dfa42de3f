"""Shopper text normalisation, without Rasa: used by the NLU component (bot.nlu.normalize) and by channel code.

    normalize(text)           full-width to half-width, repeated punctuation collapsed, emoji and decorative
                              symbols removed, typos / homophone slips and pinyin abbreviations corrected
    strip_pleasantries(text)  leading greetings and pleasantries (你好，/ 亲，/ 在吗？/ 老板过年好，/ 请问) dropped when
                              a real request follows; a message made only of them is returned unchanged
    prepare(text)             both, in that order (what the NLU sees)

The word lists live in data/text/normalize.yml (`load_rules`); every function takes an optional `rules` mapping
(the parsed file) so a trained model can carry its own copy. `normalize_with_spans` does the same to a training
example whose entity spans must stay on the same words.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Mapping, Sequence

import yaml

RULES_FILE = Path(__file__).resolve().parent.parent.parent / "data" / "text" / "normalize.yml"

# Emoji, pictographs, dingbats, arrows, box drawing and geometric shapes, variation selectors, zero-width joiner,
# keycaps, flags; plus a few decorative signs shoppers sprinkle in (❤ ★ ♪ ✿ ※ ◆ …).
_EMOJI = re.compile(
    "[\U0001F000-\U0001FAFF\U0001F1E6-\U0001F1FF\u2190-\u21FF\u2300-\u23FF\u2460-\u24FF\u2500-\u27BF"
    "\u2900-\u297F\u2B00-\u2BFF\u3030\u303D\u3297\u3299\uFE00-\uFE0F\u200B-\u200D\u20E3\u2060\u00A9\u00AE"
    "\u2122\u203B\u2605\u2606\u266A-\u266F]+")
_SPACE = re.compile(r"\s+")
# Runs of the same kind of punctuation (after full-width to half-width), longest pattern first.
_PUNCT_RUNS = [
    (re.compile(r"[?？][?？!！]*|[!！]+[?？][?？!！]*"), "?"),
    (re.compile(r"[!！]{2,}"), "!"),
    (re.compile(r"(?:…|\.{2,}|。{2,}|,{3,}|，{3,})+"), "…"),
    (re.compile(r",{2,}"), ","),
    (re.compile(r"。{2,}"), "。"),
    (re.compile(r"~{2,}"), "~"),
    (re.compile(r"、{2,}"), "、"),
]
# One Chinese character typed three or more times in a row (哈哈哈哈 -> 哈哈, 好好好好 -> 好好).
_REPEATED_HAN = re.compile(r"([\u4e00-\u9fff])\1{2,}")
_SEPARATORS = " ,.!?~:;…、。·\"'()-_/"
_PARTICLES = "呀啊哈呢哦嘛噢吖"


@lru_cache(maxsize=1)
def _default_rules() -> dict:
    return load_rules(RULES_FILE)


def load_rules(path: Path | str = RULES_FILE) -> dict:
    """The parsed rules file: typos, abbreviations (mappings), pleasantries and address_terms (lists)."""
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    return {"typos": {str(k): str(v) for k, v in (data.get("typos") or {}).items()},
            "abbreviations": {str(k).lower(): str(v) for k, v in (data.get("abbreviations") or {}).items()},
            "pleasantries": [str(p) for p in data.get("pleasantries") or []],
            "address_terms": [str(p) for p in data.get("address_terms") or []]}


@lru_cache(maxsize=8)
def _compiled(key: tuple) -> tuple[re.Pattern | None, dict, re.Pattern | None, dict]:
    typos, abbreviations = dict(key[0]), dict(key[1])
    typo_re = re.compile("|".join(re.escape(t) for t in sorted(typos, key=len, reverse=True))) if typos else None
    abbr_re = None
    if abbreviations:
        alternatives = "|".join(re.escape(a).replace(r"\ ", r"\s*") for a in sorted(abbreviations, key=len, reverse=True))
        abbr_re = re.compile(rf"(?<![A-Za-z])(?:{alternatives})(?![A-Za-z])", re.I)
    squashed = {re.sub(r"\s+", "", a): v for a, v in abbreviations.items()}
    return typo_re, typos, abbr_re, squashed


def _rules(rules: Mapping | None) -> Mapping:
    return _default_rules() if rules is None else rules


def to_halfwidth(text: str) -> str:
    """Full-width ASCII forms (Ｌ码 ２４寸 ？！，：) and the ideographic space to their half-width forms."""
    out = []
    for ch in text:
        code = ord(ch)
        if code == 0x3000:
            out.append(" ")
        elif 0xFF01 <= code <= 0xFF5E:
            out.append(chr(code - 0xFEE0))
        else:
            out.append(ch)
    return "".join(out)


def remove_emoji(text: str) -> str:
    """Emoji and decorative symbols removed (a removed run between two words leaves one space)."""
    return _EMOJI.sub(" ", text)


def collapse_punctuation(text: str) -> str:
    """？？？ -> ?, ！！ -> !, 。。。/……/... -> …, ~~~ -> ~, 哈哈哈哈 -> 哈哈."""
    for pattern, replacement in _PUNCT_RUNS:
        text = pattern.sub(replacement, text)
    return _REPEATED_HAN.sub(r"\1\1", text)


def fix_typos(text: str, rules: Mapping | None = None) -> str:
    """Typos, homophone slips and Latin/pinyin abbreviations replaced by the intended words."""
    rules = _rules(rules)
    typo_re, typos, abbr_re, abbreviations = _compiled(
        (tuple(sorted(rules["typos"].items())), tuple(sorted(rules["abbreviations"].items()))))
    if abbr_re is not None:
        text = abbr_re.sub(lambda m: abbreviations[re.sub(r"\s+", "", m.group(0).lower())], text)
    if typo_re is not None:
        text = typo_re.sub(lambda m: typos[m.group(0)], text)
    return text


def _tidy(text: str) -> str:
    text = _SPACE.sub(" ", text).strip()
    # A space left between two Chinese characters by a removed emoji carries nothing.
    return re.sub(r"(?<=[\u4e00-\u9fff]) (?=[\u4e00-\u9fff])", "", text)


def normalize(text: str, rules: Mapping | None = None) -> str:
    """The message as the NLU should read it (greetings kept: see strip_pleasantries)."""
    text = to_halfwidth(text)
    text = remove_emoji(text)
    text = collapse_punctuation(text)
    text = fix_typos(text, rules)
    return _tidy(text)


def _skip_separators(text: str, position: int, particles: bool = True) -> int:
    while position < len(text) and (text[position] in _SEPARATORS or particles and text[position] in _PARTICLES):
        position += 1
    return position


def pleasantry_prefix(text: str, rules: Mapping | None = None) -> int:
    """Length of the leading greetings/pleasantries to drop, or 0 when nothing but them is in the message."""
    rules = _rules(rules)
    free = sorted(rules["pleasantries"], key=len, reverse=True)
    bound = sorted(rules["address_terms"], key=len, reverse=True)
    lowered = text.lower()
    position = _skip_separators(text, 0, particles=False)
    matched_any = False
    while position < len(text):
        matched = None
        for term in free:
            end = position + len(term)
            if lowered.startswith(term.lower(), position) and not (
                    term.isascii() and end < len(text) and text[end].isascii() and text[end].isalpha()):
                matched = _skip_separators(text, end, particles=False)
                break
        if matched is None and matched_any and text[position] in _PARTICLES:
            # 你好呀 / 在吗哈: a particle after a pleasantry (but 哈喽 itself starts with one)
            matched = _skip_separators(text, position)
        if matched is None:
            for term in bound:
                if lowered.startswith(term.lower(), position):
                    end = position + len(term)
                    after = _skip_separators(text, end)
                    follows_pleasantry = any(lowered.startswith(t.lower(), after) for t in free)
                    if after > end and after < len(text) and text[end] not in _PARTICLES or follows_pleasantry:
                        matched = after
                        break
                    if after >= len(text):
                        matched = after  # ends the message (在吗亲): the message is only pleasantries
                        break
        if matched is None:
            break
        position, matched_any = matched, True
    rest = text[position:].strip(_SEPARATORS)
    # Nothing (or a single character, 亲们好 -> 好) left: the message is a greeting, keep it whole.
    return position if len(rest) >= 2 else 0


def strip_pleasantries(text: str, rules: Mapping | None = None) -> str:
    """你好，我买了这款泳衣，明天能到吗 -> 我买了这款泳衣，明天能到吗; 你好，在吗？ stays as it is."""
    return text[pleasantry_prefix(text, rules):]


def prepare(text: str, rules: Mapping | None = None) -> str:
    """normalize, then strip_pleasantries: what the NLU pipeline classifies."""
    return strip_pleasantries(normalize(text, rules), rules)


def normalize_with_spans(text: str, spans: Sequence[tuple[int, int]], rules: Mapping | None = None
                         ) -> tuple[str, list[tuple[int, int]]]:
    """`prepare` for a training example with entity spans: the text between and inside the spans is normalised
    piece by piece, so every span still covers its (normalised) words; new (start, end) pairs in the same order.
    Leading pleasantries are dropped only when they end before the first span."""
    order = sorted(range(len(spans)), key=lambda i: spans[i])
    pieces: list[str] = []
    new_spans: dict[int, tuple[int, int]] = {}
    cursor, length = 0, 0

    def add(piece: str) -> None:
        nonlocal length
        pieces.append(piece)
        length += len(piece)

    for index in order:
        start, end = spans[index]
        if start < cursor:  # overlapping spans: leave the example as it is
            return text, list(spans)
        add(_piece(text[cursor:start], rules))
        span_start = length
        add(normalize(text[start:end], rules))
        new_spans[index] = (span_start, length)
        cursor = end
    add(_piece(text[cursor:], rules))
    joined = "".join(pieces)
    # Spaces at the joins: trim the edges, keep inner ones (tokenization of mixed text depends on them).
    lead = len(joined) - len(joined.lstrip())
    joined = joined.strip()
    result = [(s - lead, e - lead) for s, e in (new_spans[i] for i in range(len(spans)))]
    first = min((s for s, _ in result), default=len(joined))
    cut = pleasantry_prefix(joined, rules)
    if cut and cut <= first:
        joined = joined[cut:]
        result = [(s - cut, e - cut) for s, e in result]
    return joined, result


def _piece(text: str, rules: Mapping | None) -> str:
    """normalize() for a fragment: inner edges keep one space if they had whitespace."""
    if not text:
        return ""
    core = normalize(text, rules)
    left = " " if text[:1].isspace() and core else ""
    right = " " if text[-1:].isspace() and core else ""
    return left + core + right if core else (" " if text.strip() == "" and text else "")



def _only_pleasantries(text: str, rules: Mapping | None) -> bool:
    """True for 你好, / 在吗? : the text is nothing but greetings (strip_pleasantries keeps those whole)."""
    return pleasantry_prefix(text + "x好", rules) >= len(text.rstrip(_SEPARATORS))


def prepare_all(texts: Iterable[str], rules: Mapping | None = None) -> list[str]:
    return [prepare(t, rules) for t in texts]
