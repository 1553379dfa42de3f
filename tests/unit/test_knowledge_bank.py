"""The bank's format: linted with file:line like the library, hot-reloaded, a bad file never replaces the good."""
from __future__ import annotations

import shutil
import time
from pathlib import Path

from bot.knowledge.bank import load_bank
from bot.scripts.live import LiveLibrary
from bot.scripts.loader import load_library
from bot.settings import PROJECT_ROOT

GOOD = """knowledge:
  - id: parking
    questions: [停车方便吗]
    answer: "亲，店门口就有停车场哦~ 😊"
"""


def _library(tmp_path: Path) -> Path:
    target = tmp_path / "scripts_library"
    shutil.copytree(PROJECT_ROOT / "scripts_library", target)
    return target


def test_demo_bank_is_clean_and_large_enough() -> None:
    library, problems = load_library(PROJECT_ROOT / "scripts_library")
    assert not [p for p in problems if p.severity == "error"]
    assert len(library.knowledge.entries) >= 40
    assert all(e.response in library.responses for e in library.knowledge.entries)


def test_errors_carry_file_line_and_the_service_rules(tmp_path: Path) -> None:
    (tmp_path / "bad.yml").write_text("""knowledge:
  - id: refuse
    questions: [能刻字吗]
    answer: "不能刻字哦"
  - id: needs_product
    questions: [保修多久]
    answer: "亲，{product}保修一年哦~"
  - id: refuse
    questions: [又一个]
    answer: "亲，好的呀~"
  - id: Bad-Id
    questions: [x]
""", encoding="utf-8")
    _, problems = load_bank(tmp_path)
    text = "\\n".join(str(p) for p in problems)
    assert "bad.yml:" in text and "schema" in text                       # Bad-Id blocks the file
    (tmp_path / "bad.yml").write_text((tmp_path / "bad.yml").read_text().split("  - id: Bad-Id")[0], "utf-8")
    _, problems = load_bank(tmp_path)
    found = {(p.line, p.reason.split(":")[0]) for p in problems}
    assert (4, "rule flat_refusal") in found
    assert any(p.line == 5 and "product placeholders" in p.reason for p in problems)
    assert any(p.line == 8 and "duplicate knowledge id" in p.reason for p in problems)


def test_a_saved_entry_is_served_and_a_bad_edit_keeps_the_last_good_bank(tmp_path: Path) -> None:
    directory = _library(tmp_path)
    live = LiveLibrary(directory, min_interval=0)
    (directory / "knowledge" / "parking.yml").write_text(GOOD, encoding="utf-8")
    assert live.get().knowledge.get("parking") and "utter_kb_parking" in live.get().responses
    time.sleep(0.01)
    (directory / "knowledge" / "parking.yml").write_text(GOOD.replace("停车场哦", "停车场，不行"), "utf-8")
    assert live.get().knowledge.get("parking") is not None                 # still the last good version
    assert live.status.errors and "parking.yml" in str(live.status.errors[0])
