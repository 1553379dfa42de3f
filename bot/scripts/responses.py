"""Script-library responses: the schema of a library file, the typed response with its variants, and the checks
every response passes (placeholders, unique variants, the service rules)."""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from bot.rules.checks import ReplyContext, check_reply
from bot.scripts.documents import LibraryError, LineDict
from bot.scripts.placeholders import PLACEHOLDERS, placeholders_in

SCHEMA = json.loads((Path(__file__).parent / "schema.json").read_text(encoding="utf-8"))


@dataclass(frozen=True)
class Variant:
    text: str
    style: str | None = None
    channel: str | None = None
    buttons: tuple[dict, ...] = ()
    line: int = 0


@dataclass(frozen=True)
class ScriptResponse:
    name: str
    variants: tuple[Variant, ...]
    buttons: tuple[dict, ...] = ()
    situation: str | None = None
    tone: tuple[str, ...] = ()
    file: str = ""
    line: int = 0


def build_response(name: str, raw: LineDict, display: str) -> ScriptResponse:
    variants = tuple(
        Variant(
            text=v["text"].strip(),
            style=v.get("style"),
            channel=v.get("channel"),
            buttons=tuple(v.get("buttons", ())),
            line=min(v.lines.values()) if getattr(v, "lines", None) else 0,
        )
        for v in raw["variants"]
    )
    return ScriptResponse(
        name=name,
        variants=variants,
        buttons=tuple(raw.get("buttons", ())),
        situation=raw.get("situation"),
        tone=tuple(raw.get("tone", ())),
        file=display,
        line=0,
    )


MIN_VARIANTS = 3


def check_response(response: ScriptResponse, min_variants: int = MIN_VARIANTS) -> list[LibraryError]:
    """Placeholder, uniqueness and service-rule checks for one response."""
    errors: list[LibraryError] = []
    seen: set[str] = set()
    context = ReplyContext(situation=response.situation, check_warmth=response.situation != "system")
    if response.situation != "system" and len(response.variants) < min_variants:
        errors.append(LibraryError(response.file, response.line, response.name,
                                   f"needs at least {min_variants} variants so replies rotate"))
    for index, variant in enumerate(response.variants):
        key = f"{response.name}.variants[{index}]"
        texts = [variant.text] + [b["title"] for b in variant.buttons + response.buttons]
        for text in texts:
            for name in sorted(placeholders_in(text) - PLACEHOLDERS.keys()):
                errors.append(LibraryError(response.file, variant.line, key, f"unknown placeholder {{{name}}}"))
        if variant.text in seen:
            errors.append(LibraryError(response.file, variant.line, key, "same text as another variant"))
        seen.add(variant.text)
        for violation in check_reply(variant.text, context):
            errors.append(
                LibraryError(response.file, variant.line, key, f"rule {violation.rule}: {violation.message}",
                             severity=violation.severity)
            )
    return errors
