"""Checks a schema cannot express: references between turns, real SKUs, weights, script-library responses."""
from __future__ import annotations

from bot.scripts.documents import LibraryError, line_of
from bot.scripts.loader import ScriptLibrary
from bot.scripts.placeholders import placeholders_in
from bot.training.moves import MOVES, RELATION_TYPES
from bot.training.types import FINDINGS, OUTCOMES

FINDING_PLACEHOLDERS = {"span", "seconds", "limit", "kind", "moves"}


def check_common(document: dict, display: str) -> list[LibraryError]:
    errors = []
    wanted = {"findings": FINDINGS, "moves": MOVES, "relation_kinds": RELATION_TYPES, "outcomes": OUTCOMES}
    for section, keys in wanted.items():
        for key in keys:
            if key not in document[section]:
                errors.append(LibraryError(display, line_of(document, [section]), f"{section}.{key}",
                                           "missing text"))
    for code, entry in document["findings"].items():
        for name in sorted(placeholders_in(entry["explain"]) - FINDING_PLACEHOLDERS):
            errors.append(LibraryError(display, line_of(document, ["findings", code, "explain"]),
                                       f"findings.{code}.explain", f"unknown placeholder {{{name}}}"))
    return errors


def _reachable(turns: dict, start: str) -> set[str]:
    seen, todo = set(), [start]
    while todo:
        turn_id = todo.pop()
        if turn_id in seen or turn_id not in turns:
            continue
        seen.add(turn_id)
        turn = turns[turn_id]
        todo += [b["goto"] for b in turn.get("next") or ()] + ([turn["otherwise"]] if turn.get("otherwise") else [])
    return seen


def check_scenario(document: dict, stem: str, display: str, skus: set[str], relation_types: dict[str, set[str]],
                   library: ScriptLibrary | None) -> list[LibraryError]:
    """Every problem with its file, line and key; unreachable turns are warnings."""
    raw = document["scenario"]
    errors: list[LibraryError] = []

    def error(path: list, reason: str, severity: str = "error") -> None:
        key = ".".join(str(p) for p in path)
        errors.append(LibraryError(display, line_of(document, ["scenario", *path]), key, reason, severity))

    if raw["id"] != stem:
        error(["id"], f"scenario id '{raw['id']}' must match the file name '{stem}'")
    product = raw["product"]
    if product not in skus:
        error(["product"], f"unknown SKU {product} (not in data/store/products.yml)")
    turns = raw["turns"]
    if raw["start"] not in turns:
        error(["start"], f"unknown turn '{raw['start']}'")
    for turn_id, turn in turns.items():
        where = ["turns", turn_id]
        if not (turn.get("shopper") or turn.get("silent")):
            error(where, "a turn needs a shopper line (or silent: true)")
        if turn.get("end"):
            for key in ("next", "otherwise", "expect", "forbid"):
                if key in turn:
                    error([*where, key], "an end turn closes the conversation; the trainee does not reply to it")
            if not turn.get("shopper"):
                error(where, "an end turn needs the shopper's closing line")
        elif not turn.get("otherwise"):
            error(where, "a turn the trainee replies to needs 'otherwise' (where to go when no branch matches)")
        for index, branch in enumerate(turn.get("next") or ()):
            if branch["goto"] not in turns:
                error([*where, "next", index, "goto"], f"unknown turn '{branch['goto']}'")
        if turn.get("otherwise") and turn["otherwise"] not in turns:
            error([*where, "otherwise"], f"unknown turn '{turn['otherwise']}'")
        for kind in ("expect", "forbid"):
            for index, cue in enumerate(turn.get(kind) or ()):
                _check_related(cue.get("related"), product, relation_types, [*where, kind, index], error)
                _check_better(cue.get("better"), product, relation_types, library, [*where, kind, index], error)
        _check_better(turn.get("better"), product, relation_types, library, where, error)
    if raw["start"] in turns:
        for turn_id in sorted(set(turns) - _reachable(turns, raw["start"])):
            error(["turns", turn_id], "unreachable turn (no branch leads here)", "warning")
    seen: set[str] = set()
    for index, checkpoint in enumerate(raw["checkpoints"]):
        where = ["checkpoints", index]
        if checkpoint["id"] in seen:
            error([*where, "id"], f"duplicate checkpoint '{checkpoint['id']}'")
        seen.add(checkpoint["id"])
        if not checkpoint.get("require") and not checkpoint.get("avoid"):
            error(where, "a checkpoint needs 'require' (moves) or 'avoid' (findings)")
        for turn_id in checkpoint.get("turns") or ():
            if turn_id not in turns:
                error([*where, "turns"], f"unknown turn '{turn_id}'")
        _check_better(checkpoint.get("better"), product, relation_types, library, where, error)
    total = sum(c["weight"] for c in raw["checkpoints"])
    if total != 100:
        error(["checkpoints"], f"checkpoint weights add up to {total}, they must add up to 100")
    return errors


def _check_related(related: str | None, product: str, relation_types: dict[str, set[str]], where: list,
                   error) -> None:
    if related and related not in relation_types.get(product, set()):
        error([*where, "related"], f"{product} has no {related} relation in data/store/relations.yml")


def _check_better(better: dict | None, product: str, relation_types: dict[str, set[str]],
                  library: ScriptLibrary | None, where: list, error) -> None:
    if not better:
        return
    _check_related(better.get("related"), product, relation_types, [*where, "better"], error)
    if library is not None and better["response"] not in library.responses:
        error([*where, "better", "response"], f"response {better['response']} is not in the script library")
