"""Training scenarios as typed data: the schemas of the scenario and trainee-text files, and what they hold."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

_HERE = Path(__file__).parent
SCENARIO_SCHEMA = json.loads((_HERE / "scenario.schema.json").read_text(encoding="utf-8"))
COMMON_SCHEMA = json.loads((_HERE / "common.schema.json").read_text(encoding="utf-8"))
COMMON_FILE = "_common.yml"
EXAM_PREFIX = "exam-"        # conversation ids of the bot's exams (drafts, metrics and the console skip them)
FINDINGS: tuple[str, ...] = tuple(SCENARIO_SCHEMA["definitions"]["finding"]["enum"])
OUTCOMES = ("won", "lost", "resolved", "unfinished")
INHERIT = "inherit"


@dataclass(frozen=True)
class Better:
    """A script-library response that shows a better reply; `related` fills {suggestions} from the catalog."""

    response: str
    related: str | None = None
    values: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Cue:
    """A move the trainee should make (expect) or must not make (forbid) at a turn, and the finding if not."""

    any: frozenset[str]
    finding: str
    related: str | None = None
    better: Better | None = None
    earlier_counts: bool = False


@dataclass(frozen=True)
class ScenarioTurn:
    id: str
    shopper: str | None = None
    note: str | None = None
    silent: bool = False
    situation: str | None = INHERIT
    better: Better | None = None
    expect: tuple[Cue, ...] = ()
    forbid: tuple[Cue, ...] = ()
    next: tuple[tuple[frozenset[str], str], ...] = ()
    otherwise: str | None = None
    end: str | None = None

    def goto(self, moves: frozenset[str]) -> str | None:
        """The next turn for a reply with these moves: the first branch that shares a move, else `otherwise`."""
        for when, target in self.next:
            if when & moves:
                return target
        return self.otherwise


@dataclass(frozen=True)
class Checkpoint:
    id: str
    title: str
    weight: int
    require: frozenset[str] = frozenset()
    avoid: frozenset[str] = frozenset()
    turns: tuple[str, ...] = ()
    better: Better | None = None


@dataclass(frozen=True)
class Scenario:
    id: str
    title: str
    product: str
    persona_name: str
    persona_profile: str
    start: str
    turns: dict[str, ScenarioTurn]
    checkpoints: tuple[Checkpoint, ...]
    skill: str = ""
    situation: str | None = None
    on_product_page: bool = True
    pass_mark: int | None = None
    limits: dict[str, float] = field(default_factory=dict)
    file: str = ""

    def situation_at(self, turn: ScenarioTurn) -> str | None:
        return self.situation if turn.situation == INHERIT else turn.situation

    def summary(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title, "skill": self.skill, "product": self.product,
                "persona": {"name": self.persona_name, "profile": self.persona_profile}}


@dataclass(frozen=True)
class TrainingTexts:
    findings: dict[str, dict[str, str]] = field(default_factory=dict)
    moves: dict[str, str] = field(default_factory=dict)
    relation_kinds: dict[str, str] = field(default_factory=dict)
    outcomes: dict[str, str] = field(default_factory=dict)
    silence_note: str = ""
    ui: dict[str, str] = field(default_factory=dict)
    drafts: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ScenarioSet:
    scenarios: dict[str, Scenario] = field(default_factory=dict)
    texts: TrainingTexts = TrainingTexts()
