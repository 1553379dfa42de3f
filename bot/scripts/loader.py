"""Load and validate the script library (scripts_library/*.yml and the question bank) with exact file:line errors."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jsonschema

from bot.knowledge.bank import Bank, load_bank
from bot.scripts.documents import LibraryError, LineDict, parse_file
from bot.scripts.responses import SCHEMA, ScriptResponse, build_response, check_response

VALIDATOR = jsonschema.Draft7Validator(SCHEMA)


@dataclass(frozen=True)
class ScriptLibrary:
    responses: dict[str, ScriptResponse] = field(default_factory=dict)
    fragments: dict[str, str] = field(default_factory=dict)
    knowledge: Bank | None = None           # the question bank (knowledge/*.yml), answers are in `responses`

    def fragment(self, key: str, **values: Any) -> str:
        return self.fragments.get(key, "").format(**values) if values else self.fragments.get(key, "")


def load_library(directory: Path) -> tuple[ScriptLibrary, list[LibraryError]]:
    """Load every top-level *.yml and the question bank (knowledge/); training scenarios are loaded elsewhere."""
    responses: dict[str, ScriptResponse] = {}
    fragments: dict[str, str] = {}
    errors: list[LibraryError] = []
    for path in sorted(directory.glob("*.yml")):
        display = f"{directory.name}/{path.name}"
        document, file_errors = parse_file(path, display, VALIDATOR)
        errors.extend(file_errors)
        if document is None or any(e.reason.startswith("schema") for e in file_errors):
            continue
        if not document.get("responses") and not document.get("fragments"):
            errors.append(LibraryError(display, 1, "-", "file is empty: no responses and no fragments"))
            continue
        raw_responses = document.get("responses") or LineDict()
        for name, raw in raw_responses.items():
            line = raw_responses.lines.get(name, 1)
            if name in responses:
                errors.append(LibraryError(display, line, name, f"duplicate response, first in {responses[name].file}"))
                continue
            built = build_response(name, raw, display)
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
