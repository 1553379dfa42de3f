"""Training scenarios are validated like the script library: every error names its file, line and key."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.scripts.loader import load_library
from bot.settings import PROJECT_ROOT
from bot.training.moves import MOVES
from bot.training.scenarios import load_scenarios
from bot.training.types import FINDINGS, SCENARIO_SCHEMA

SHIPPED = PROJECT_ROOT / "scripts_library" / "training"
STORE = PROJECT_ROOT / "data" / "store"

MINI = """\
scenario:
  id: mini
  title: 小测试
  product: SWIM-ONEPIECE-001
  persona: {name: 小王, profile: 测试用的顾客}
  start: opening
  turns:
    opening:
      shopper: 这件泳衣有M码吗？
      better: {response: utter_suggest_latent, related: latent}
      next:
        - {when: [offers_latent], goto: done}
      otherwise: done
    done:
      shopper: 好的。
      end: won
  checkpoints:
    - id: latent
      title: 潜在关联
      weight: 60
      require: [offers_latent]
    - id: tone
      title: 语气
      weight: 40
      avoid: [no_warmth]
"""


@pytest.fixture(scope="module")
def library():
    return load_library(PROJECT_ROOT / "scripts_library")[0]


@pytest.fixture()
def folder(tmp_path: Path) -> Path:
    target = tmp_path / "training"
    target.mkdir()
    shutil.copy(SHIPPED / "_common.yml", target / "_common.yml")
    return target


def errors_of(folder: Path, library, text: str, name: str = "mini.yml"):
    (folder / name).write_text(text, encoding="utf-8")
    scenario_set, problems = load_scenarios(folder, STORE, library)
    return scenario_set, [p for p in problems if p.severity == "error"]


def test_shipped_scenarios_and_texts_are_valid(library) -> None:
    scenario_set, problems = load_scenarios(SHIPPED, STORE, library)
    assert problems == []
    assert len(scenario_set.scenarios) >= 8
    assert set(scenario_set.texts.findings) == set(FINDINGS)


def test_schema_moves_are_the_classifier_moves() -> None:
    assert tuple(SCENARIO_SCHEMA["definitions"]["move"]["enum"]) == MOVES


def test_a_valid_scenario_loads(folder: Path, library) -> None:
    scenario_set, errors = errors_of(folder, library, MINI)
    assert errors == [] and scenario_set.scenarios["mini"].turns["opening"].goto(frozenset({"offers_latent"})) == "done"


@pytest.mark.parametrize(
    "old, new, line, key, reason",
    [
        ("      otherwise: done\n", "      otherwise: done\n     broken: [\n", 14, "-", "YAML syntax"),
        ("  product: SWIM-ONEPIECE-001", "  product: NO-SUCH-SKU", 4, "product", "unknown SKU NO-SUCH-SKU"),
        ("goto: done}", "goto: nowhere}", 12, "turns.opening.next.0.goto", "unknown turn 'nowhere'"),
        ("weight: 40", "weight: 30", 17, "checkpoints", "add up to 90"),
        ("when: [offers_latent]", "when: [says_hello]", 12, "scenario.turns.opening.next.0.when.0", "schema"),
        ("  id: mini", "  id: other", 2, "id", "must match the file name"),
        ("response: utter_suggest_latent", "response: utter_missing", 10, "turns.opening.better.response",
         "not in the script library"),
        ("  product: SWIM-ONEPIECE-001", "  product: SUNSCREEN-SPF50-001", 10, "turns.opening.better.related",
         "has no latent relation"),
        ("      end: won\n", "      end: won\n      otherwise: opening\n", 17, "turns.done.otherwise",
         "end turn"),
        ("  start: opening\n", "  start: opening\n  start: done\n", 7, "start", "duplicate key"),
    ],
)
def test_errors_name_file_line_key_and_reason(folder: Path, library, old: str, new: str, line: int, key: str,
                                              reason: str) -> None:
    assert old in MINI
    scenario_set, errors = errors_of(folder, library, MINI.replace(old, new, 1))
    assert errors, "the broken scenario was accepted"
    error = errors[0]
    assert (error.file, error.line) == (f"{folder.parent.name}/training/mini.yml", line), str(error)
    assert error.key == key and reason in error.reason, str(error)
    assert str(error).startswith(f"{error.file}:{line}: ")
    assert "mini" not in scenario_set.scenarios


def test_a_broken_scenario_is_left_out_and_the_others_still_load(folder: Path, library) -> None:
    (folder / "good.yml").write_text(MINI.replace("id: mini", "id: good"), encoding="utf-8")
    scenario_set, errors = errors_of(folder, library, MINI.replace("weight: 40", "weight: 10"))
    assert set(scenario_set.scenarios) == {"good"} and errors[0].file.endswith("mini.yml")


def test_unreachable_turns_are_warnings(folder: Path, library) -> None:
    text = MINI.replace("    done:\n", "    orphan:\n      shopper: 还有吗？\n      otherwise: done\n    done:\n")
    (folder / "mini.yml").write_text(text, encoding="utf-8")
    scenario_set, problems = load_scenarios(folder, STORE, library)
    assert "mini" in scenario_set.scenarios
    assert [(p.severity, p.key, p.line) for p in problems] == [("warning", "turns.orphan", 14)]


def test_missing_trainee_texts_are_reported(folder: Path, library) -> None:
    (folder / "_common.yml").write_text("findings: {}\n", encoding="utf-8")
    _, errors = errors_of(folder, library, MINI)
    assert errors and errors[0].file.endswith("_common.yml") and "required property" in errors[0].reason
