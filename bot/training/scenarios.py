"""Training scenarios (scripts_library/training/*.yml): loader and validator with file:line errors (the typed model
is bot/training/types.py).

`_common.yml` holds the trainee-facing texts (finding explanations, labels); every other file is one scenario.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import jsonschema
import yaml

from bot.scripts.documents import LibraryError, parse_file, schema_errors
from bot.scripts.loader import ScriptLibrary
from bot.training.checks import check_common, check_scenario
from bot.training.types import (
    COMMON_FILE,
    COMMON_SCHEMA,
    INHERIT,
    SCENARIO_SCHEMA,
    Better,
    Checkpoint,
    Cue,
    Scenario,
    ScenarioSet,
    ScenarioTurn,
    TrainingTexts,
)


def _parse(path: Path, display: str, schema: dict) -> tuple[Any, list[LibraryError]]:
    """YAML syntax and duplicate keys via the library's line-aware parser, then this file's own schema."""
    document, errors = parse_file(path, display)
    if document is None:
        return None, errors
    return document, errors + schema_errors(document, jsonschema.Draft7Validator(schema), display)


def _better(raw: dict | None) -> Better | None:
    if not raw:
        return None
    return Better(raw["response"], raw.get("related"), dict(raw.get("values") or {}))


def _cue(raw: dict) -> Cue:
    return Cue(frozenset(raw["any"]), raw["finding"], raw.get("related"), _better(raw.get("better")),
               bool(raw.get("earlier_counts")))


def _turn(turn_id: str, raw: dict) -> ScenarioTurn:
    return ScenarioTurn(
        id=turn_id, shopper=raw.get("shopper"), note=raw.get("note"), silent=bool(raw.get("silent")),
        situation=raw.get("situation", INHERIT), better=_better(raw.get("better")),
        expect=tuple(_cue(c) for c in raw.get("expect") or ()), forbid=tuple(_cue(c) for c in raw.get("forbid") or ()),
        next=tuple((frozenset(b["when"]), b["goto"]) for b in raw.get("next") or ()),
        otherwise=raw.get("otherwise"), end=raw.get("end"),
    )


def build_scenario(raw: dict, display: str) -> Scenario:
    return Scenario(
        id=raw["id"], title=raw["title"], product=raw["product"], persona_name=raw["persona"]["name"],
        persona_profile=raw["persona"]["profile"], start=raw["start"],
        turns={tid: _turn(tid, t) for tid, t in raw["turns"].items()},
        checkpoints=tuple(
            Checkpoint(c["id"], c["title"], c["weight"], frozenset(c.get("require") or ()),
                       frozenset(c.get("avoid") or ()), tuple(c.get("turns") or ()), _better(c.get("better")))
            for c in raw["checkpoints"]
        ),
        skill=raw.get("skill", ""), situation=raw.get("situation"),
        on_product_page=bool(raw.get("on_product_page", True)), pass_mark=raw.get("pass_mark"),
        limits=dict(raw.get("limits") or {}), file=display,
    )


def store_facts(store_dir: Path) -> tuple[set[str], dict[str, set[str]]]:
    """SKUs of products.yml and, per SKU, the relation types it has in relations.yml."""
    products = yaml.safe_load((store_dir / "products.yml").read_text(encoding="utf-8")) or {}
    skus = {str(p["sku"]) for p in products.get("products") or ()}
    relations = yaml.safe_load((store_dir / "relations.yml").read_text(encoding="utf-8")) or {}
    types: dict[str, set[str]] = {}
    for relation in relations.get("relations") or ():
        types.setdefault(str(relation["from"]), set()).add(str(relation["type"]))
    return skus, types


def load_scenarios(directory: Path, store_dir: Path, library: ScriptLibrary | None = None
                   ) -> tuple[ScenarioSet, list[LibraryError]]:
    """Load and check every scenario; a scenario with errors is left out, the rest still load."""
    errors: list[LibraryError] = []
    texts = TrainingTexts()
    common_path = directory / COMMON_FILE
    display_root = f"{directory.parent.name}/{directory.name}"
    if not common_path.exists():
        errors.append(LibraryError(f"{display_root}/{COMMON_FILE}", 1, "-", "missing: trainee texts file"))
    else:
        display = f"{display_root}/{COMMON_FILE}"
        document, file_errors = _parse(common_path, display, COMMON_SCHEMA)
        file_errors += check_common(document, display) if document is not None and not file_errors else []
        errors += file_errors
        if document is not None and not file_errors:
            texts = TrainingTexts(**{k: document[k] for k in COMMON_SCHEMA["required"]})
    skus, relation_types = store_facts(store_dir)
    scenarios: dict[str, Scenario] = {}
    for path in sorted(directory.glob("*.yml")):
        if path.name.startswith("_"):
            continue
        display = f"{display_root}/{path.name}"
        document, file_errors = _parse(path, display, SCENARIO_SCHEMA)
        if document is not None and not file_errors:
            file_errors = check_scenario(document, path.stem, display, skus, relation_types, library)
        errors += file_errors
        if document is None or any(e.severity == "error" for e in file_errors):
            continue
        scenario = build_scenario(document["scenario"], display)
        scenarios[scenario.id] = scenario
    return ScenarioSet(scenarios, texts), errors

