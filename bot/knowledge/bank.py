"""Load and validate the question bank (scripts_library/knowledge/*.yml) with the library's linter machinery."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jsonschema

from bot.scripts.documents import LibraryError, parse_file
from bot.scripts.placeholders import placeholders_in
from bot.scripts.responses import SCHEMA as LIBRARY_SCHEMA
from bot.scripts.responses import ScriptResponse, Variant, check_response

SCHEMA = json.loads((Path(__file__).parent / "schema.json").read_text(encoding="utf-8"))
RESOLVER = jsonschema.RefResolver.from_schema(SCHEMA, store={LIBRARY_SCHEMA["$id"]: LIBRARY_SCHEMA})
VALIDATOR = jsonschema.Draft7Validator(SCHEMA, resolver=RESOLVER)
RESPONSE_PREFIX = "utter_kb_"
# Placeholders filled from the product under discussion: an answer using them needs an entry tied to products.
PRODUCT_PLACEHOLDERS = frozenset({"product", "sku", "price", "stock", "description", "material", "washing",
                                  "details", "colors", "sizes"})


@dataclass(frozen=True)
class Entry:
    id: str
    questions: tuple[str, ...]
    products: frozenset[str] = frozenset()
    categories: frozenset[str] = frozenset()
    file: str = ""
    line: int = 0

    @property
    def response(self) -> str:
        return RESPONSE_PREFIX + self.id

    @property
    def scoped(self) -> bool:
        return bool(self.products or self.categories)

    def applies_to(self, sku: str | None, category: str | None) -> bool:
        """Unscoped entries apply everywhere; scoped ones only to their products or categories."""
        return not self.scoped or (sku in self.products) or (category in self.categories)


@dataclass(frozen=True)
class Bank:
    entries: tuple[Entry, ...] = ()
    responses: dict[str, ScriptResponse] = field(default_factory=dict)
    synonyms: dict[str, str] = field(default_factory=dict)   # variant -> canonical word

    def get(self, entry_id: str) -> Entry | None:
        return next((e for e in self.entries if e.id == entry_id), None)


def _response(raw: Any, entry_id: str, display: str, line: int) -> ScriptResponse:
    if "variants" in raw:
        variants = tuple(Variant(text=v["text"].strip(), style=v.get("style"), channel=v.get("channel"),
                                 buttons=tuple(v.get("buttons", ())),
                                 line=min(v.lines.values()) if getattr(v, "lines", None) else line)
                         for v in raw["variants"])
    else:
        variants = (Variant(text=raw["answer"].strip(), line=raw.lines.get("answer", line)),)
    return ScriptResponse(name=RESPONSE_PREFIX + entry_id, variants=variants, buttons=tuple(raw.get("buttons", ())),
                          file=display, line=line)


def _entry_errors(entry: Entry, response: ScriptResponse) -> list[LibraryError]:
    errors = check_response(response, min_variants=1)
    needs_product = all(placeholders_in(v.text) & PRODUCT_PLACEHOLDERS for v in response.variants)
    if needs_product and not entry.scoped:
        errors.append(LibraryError(entry.file, entry.line, entry.id,
                                   "answer uses product placeholders but the entry has no products or categories"))
    return errors


def load_bank(directory: Path, root_name: str = "scripts_library") -> tuple[Bank, list[LibraryError]]:
    """Every knowledge/*.yml; errors carry file:line like the rest of the library."""
    entries: list[Entry] = []
    responses: dict[str, ScriptResponse] = {}
    synonyms: dict[str, str] = {}
    errors: list[LibraryError] = []
    for path in sorted(directory.glob("*.yml")) if directory.is_dir() else []:
        display = f"{root_name}/{directory.name}/{path.name}"
        document, file_errors = parse_file(path, display, VALIDATOR)
        errors.extend(file_errors)
        if document is None or any(e.reason.startswith("schema") for e in file_errors):
            continue
        for canonical, variants in (document.get("synonyms") or {}).items():
            for variant in variants:
                synonyms[str(variant).lower()] = str(canonical).lower()
        for raw in document.get("knowledge") or []:
            line = min(raw.lines.values()) if getattr(raw, "lines", None) else 1
            entry = Entry(id=raw["id"], questions=tuple(q.strip() for q in raw["questions"]),
                          products=frozenset(raw.get("products") or ()),
                          categories=frozenset(raw.get("categories") or ()), file=display, line=line)
            if entry.response in responses:
                errors.append(LibraryError(display, line, entry.id,
                                           f"duplicate knowledge id, first in {responses[entry.response].file}"))
                continue
            responses[entry.response] = _response(raw, entry.id, display, line)
            entries.append(entry)
            errors.extend(_entry_errors(entry, responses[entry.response]))
    return Bank(tuple(entries), responses, synonyms), errors
