"""Load and validate the script library (scripts_library/*.yml) with exact file:line errors."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jsonschema
import yaml

from bot.rules.checks import ReplyContext, check_reply
from bot.scripts.placeholders import PLACEHOLDERS, placeholders_in

SCHEMA = json.loads((Path(__file__).parent / "schema.json").read_text(encoding="utf-8"))

if TYPE_CHECKING:
    from bot.knowledge.bank import Bank


@dataclass(frozen=True)
class LibraryError:
    """One problem in the library; `severity` "error" blocks a reload, "warning" does not."""

    file: str
    line: int
    key: str
    reason: str
    severity: str = "error"

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.key}: {self.reason}"


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


@dataclass(frozen=True)
class ScriptLibrary:
    responses: dict[str, ScriptResponse] = field(default_factory=dict)
    fragments: dict[str, str] = field(default_factory=dict)
    knowledge: Bank | None = None           # the question bank (knowledge/*.yml), answers are in `responses`

    def fragment(self, key: str, **values: Any) -> str:
        return self.fragments.get(key, "").format(**values) if values else self.fragments.get(key, "")


class _LineDict(dict):
    """A mapping that remembers the line (1-based) of each key."""

    lines: dict[Any, int]


class _Loader(yaml.SafeLoader):
    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.duplicates: list[tuple[str, int]] = []


def _construct_mapping(loader: _Loader, node: yaml.MappingNode, deep: bool = False) -> _LineDict:
    result, lines = _LineDict(), {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in result:
            loader.duplicates.append((str(key), key_node.start_mark.line + 1))
        result[key] = loader.construct_object(value_node, deep=True)
        lines[key] = key_node.start_mark.line + 1
    result.lines = lines
    return result


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _line_of(document: Any, path: list) -> int:
    """Line of the deepest key along a JSON-schema error path."""
    line, node = 1, document
    for part in path:
        if isinstance(node, _LineDict) and part in node:
            line = node.lines.get(part, line)
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and part < len(node):
            node = node[part]
            if isinstance(node, _LineDict) and node.lines:
                line = min(node.lines.values())
        else:
            break
    return line


def parse_file(path: Path, display: str, validator: jsonschema.Draft7Validator | None = None
               ) -> tuple[dict | None, list[LibraryError]]:
    """Parse one YAML file; return the document and its syntax, duplicate-key and schema errors."""
    try:
        loader = _Loader(path.read_text(encoding="utf-8"))
        try:
            document = loader.get_single_data()
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        return None, [LibraryError(display, line, "-", f"YAML syntax: {exc.problem or exc}")]
    except (OSError, UnicodeDecodeError) as exc:
        return None, [LibraryError(display, 1, "-", f"unreadable: {exc}")]
    errors = [LibraryError(display, line, key, "duplicate key") for key, line in loader.duplicates]
    if document is None:
        return {}, errors
    validator = validator or jsonschema.Draft7Validator(SCHEMA)
    for err in sorted(validator.iter_errors(document), key=lambda e: list(e.absolute_path)):
        path_parts = list(err.absolute_path)
        key = ".".join(str(p) for p in path_parts) or "-"
        errors.append(LibraryError(display, _line_of(document, path_parts), key, f"schema: {err.message}"))
    return document, errors


def _build_response(name: str, raw: _LineDict, display: str) -> ScriptResponse:
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


def load_library(directory: Path) -> tuple[ScriptLibrary, list[LibraryError]]:
    """Load every top-level *.yml and the question bank (knowledge/); training scenarios are loaded elsewhere."""
    from bot.knowledge.bank import load_bank  # the bank builds on this module

    responses: dict[str, ScriptResponse] = {}
    fragments: dict[str, str] = {}
    errors: list[LibraryError] = []
    for path in sorted(directory.glob("*.yml")):
        display = f"{directory.name}/{path.name}"
        document, file_errors = parse_file(path, display)
        errors.extend(file_errors)
        if document is None or any(e.reason.startswith("schema") for e in file_errors):
            continue
        if not document.get("responses") and not document.get("fragments"):
            errors.append(LibraryError(display, 1, "-", "file is empty: no responses and no fragments"))
            continue
        raw_responses = document.get("responses") or _LineDict()
        for name, raw in raw_responses.items():
            line = raw_responses.lines.get(name, 1)
            if name in responses:
                errors.append(LibraryError(display, line, name, f"duplicate response, first in {responses[name].file}"))
                continue
            built = _build_response(name, raw, display)
            responses[name] = ScriptResponse(**{**built.__dict__, "line": line})
            errors.extend(check_response(responses[name]))
        for name, text in (document.get("fragments") or {}).items():
            if name in fragments:
                errors.append(LibraryError(display, 1, name, "duplicate fragment"))
            fragments[name] = text
    bank, bank_errors = load_bank(directory / "knowledge", directory.name)
    errors.extend(bank_errors)
    for name, response in bank.responses.items():
        if name in responses:
            errors.append(LibraryError(response.file, response.line, name, f"also defined in {responses[name].file}"))
        responses.setdefault(name, response)
    return ScriptLibrary(responses=responses, fragments=fragments, knowledge=bank), errors
