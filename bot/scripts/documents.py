"""YAML documents that remember the line of every key, and their problems as file:line errors: one parser for every
manager-edited YAML file (the script library, the question bank, training scenarios)."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jsonschema
import yaml


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


class LineDict(dict):
    """A mapping that remembers the line (1-based) of each key."""

    lines: dict[Any, int]


class _Loader(yaml.SafeLoader):
    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.duplicates: list[tuple[str, int]] = []


def _construct_mapping(loader: _Loader, node: yaml.MappingNode, deep: bool = False) -> LineDict:
    result, lines = LineDict(), {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in result:
            loader.duplicates.append((str(key), key_node.start_mark.line + 1))
        result[key] = loader.construct_object(value_node, deep=True)
        lines[key] = key_node.start_mark.line + 1
    result.lines = lines
    return result


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def line_of(document: Any, path: list) -> int:
    """Line of the deepest key along a JSON-schema error path."""
    line, node = 1, document
    for part in path:
        if isinstance(node, LineDict) and part in node:
            line = node.lines.get(part, line)
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and part < len(node):
            node = node[part]
            if isinstance(node, LineDict) and node.lines:
                line = min(node.lines.values())
        else:
            break
    return line


def schema_errors(document: Any, validator: jsonschema.Draft7Validator, display: str) -> list[LibraryError]:
    """Every JSON-schema error of a parsed document, at the line of the deepest key it names."""
    errors = []
    for err in sorted(validator.iter_errors(document), key=lambda e: list(e.absolute_path)):
        path_parts = list(err.absolute_path)
        key = ".".join(str(p) for p in path_parts) or "-"
        errors.append(LibraryError(display, line_of(document, path_parts), key, f"schema: {err.message}"))
    return errors


def parse_file(path: Path, display: str, validator: jsonschema.Draft7Validator | None = None
               ) -> tuple[dict | None, list[LibraryError]]:
    """Parse one YAML file; return the document and its syntax, duplicate-key and (with a validator) schema
    errors."""
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
    if validator is not None:
        errors += schema_errors(document, validator, display)
    return document, errors
