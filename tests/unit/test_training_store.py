"""Scorecards persist per trainee; the manager report, the command line and drafts from real chats."""
from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from bot.db.uow import UnitOfWork
from bot.db.uow import run_in_unit_of_work as in_uow
from bot.settings import PROJECT_ROOT
from bot.training.__main__ import main
from bot.training.reports import difficulty_svg, progress_svg, save_scorecard, team_report, violations_svg
from bot.training.scenarios import load_scenarios
from bot.training.trainer import Trainer
from tests.unit.training_scripts import GOOD, POOR


class Pipe(io.StringIO):
    """Standard input that is not a terminal."""

    def isatty(self) -> bool:
        return False


@pytest.fixture(scope="module")
def trainer(store_db: str) -> Trainer:
    return Trainer()


def practise(trainer: Trainer, scenario: str, trainee: str, replies: list[str], seconds: float) -> int:
    now = [0.0]
    run = trainer.start(scenario, trainee, clock=lambda: now[0])
    for reply in replies:
        now[0] += seconds
        run.reply(reply)
    return in_uow(save_scorecard, run.finish())


def test_scorecards_are_stored_per_trainee_with_their_findings(trainer: Trainer) -> None:
    poor = practise(trainer, "wrong_item", "store-lin", POOR["wrong_item"], 70)
    good = practise(trainer, "wrong_item", "store-lin", GOOD["wrong_item"], 2)
    with UnitOfWork() as uow:
        runs = uow.training.runs(trainee="store-lin")
        assert [r.id for r in runs] == [good, poor]            # newest first
        stored = uow.training.get(poor)
        assert stored.total == stored.scorecard["total"] < 80 and not stored.passed
        assert {"blame", "no_apology"} <= {f["code"] for f in stored.scorecard["findings"]}
        assert stored.scorecard["transcript"][0]["role"] == "shopper"
        assert uow.training.get(good).passed and stored.first_reply_seconds == 70


def test_manager_report_shows_progress_violations_and_difficulty(trainer: Trainer) -> None:
    for replies, seconds in ((POOR["suitcase_buyer"], 70), (GOOD["suitcase_buyer"], 2)):
        practise(trainer, "suitcase_buyer", "report-zhao", replies, seconds)
    practise(trainer, "swimsuit_buyer", "report-qian", POOR["swimsuit_buyer"], 70)
    report = in_uow(team_report)
    assert [total for _, total, *_ in report.progress["report-zhao"]][-2:] == [0, 100]
    counts = {code: (count, people) for code, count, people in report.violations}
    assert counts["flat_refusal"][0] >= 1 and counts["no_warmth"][1] >= 2
    difficulty = {scenario: average for scenario, _, average, _ in report.difficulty}
    assert difficulty["swimsuit_buyer"] < 80 and "suitcase_buyer" in difficulty
    data = report.as_json()
    assert {"report-zhao", "report-qian"} <= {t["trainee"] for t in data["trainees"]}
    svg = progress_svg(report)
    assert svg.startswith("<svg") and "report-zhao" in svg
    assert "flat_refusal" in violations_svg(report) and "swimsuit_buyer" in difficulty_svg(report)


def test_cli_lists_and_checks_the_scenarios(store_db: str) -> None:
    out = io.StringIO()
    assert main(["--list", "--json"], stdout=out) == 0
    assert len(json.loads(out.getvalue())) >= 8
    out = io.StringIO()
    assert main(["--check"], stdout=out) == 0 and "0 error(s)" in out.getvalue()
    err = io.StringIO()
    assert main(["--scenario", "nope", "--trainee", "x"], stdin=Pipe(""), stdout=io.StringIO(), stderr=err) == 2
    assert "unknown scenario" in err.getvalue()


def test_cli_reads_replies_from_stdin_and_prints_the_scorecard(store_db: str) -> None:
    replies = "\n".join(GOOD["round_collar"][:1] + [""] + GOOD["round_collar"][1:]) + "\n"
    out, err = io.StringIO(), io.StringIO()
    assert main(["--scenario", "round_collar", "--trainee", "cli-he", "--json"], Pipe(replies), out, err) == 0
    card = json.loads(out.getvalue())
    assert card["passed"] and card["total"] == 100 and card["run_id"]
    assert "V领的会不会太露了" in err.getvalue()               # the conversation goes to stderr with --json
    out = io.StringIO()
    assert main(["--scenario", "round_collar", "--trainee", "cli-he", "--no-save"],
                Pipe("不行，我们只卖圆领的，不能换。\n"), out, io.StringIO()) == 0
    assert "flat_refusal" in out.getvalue() and "0/100" in out.getvalue()


def test_cli_as_a_process_with_piped_stdin(store_db: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bot.training", "--scenario", "unpaid_order", "--trainee", "cli-pipe", "--json"],
        input="\n".join(GOOD["unpaid_order"]) + "\n", capture_output=True, text=True, cwd=PROJECT_ROOT,
        env={**os.environ, "PYTHONPATH": str(PROJECT_ROOT)}, timeout=120)
    assert result.returncode == 0, result.stderr
    card = json.loads(result.stdout)
    assert card["passed"] and card["outcome"] == "won" and card["trainee"] == "cli-pipe"
    with UnitOfWork() as uow:
        assert uow.training.get(card["run_id"]).trainee == "cli-pipe"


def _tracker(path: Path, events: list[tuple[str, str, str | None, str | None, dict]]) -> str:
    url = f"sqlite:///{path}"
    engine = create_engine(url, future=True)
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE events (id INTEGER PRIMARY KEY, sender_id VARCHAR(255), type_name "
                                "VARCHAR(255), timestamp FLOAT, intent_name VARCHAR(255), action_name VARCHAR(255), "
                                "data TEXT)"))
        for sender, type_name, intent, action, data in events:
            connection.execute(text("INSERT INTO events (sender_id, type_name, intent_name, action_name, data) "
                                    "VALUES (:s, :t, :i, :a, :d)"),
                               {"s": sender, "t": type_name, "i": intent, "a": action,
                                "d": json.dumps(data, ensure_ascii=False)})
    engine.dispose()
    return url


def test_real_chats_become_valid_draft_scenarios(store_db: str, tmp_path: Path) -> None:
    from bot.handoff.service import open_handoff
    from bot.orders.service import create_order
    from bot.training.drafts import write_drafts

    url = _tracker(tmp_path / "tracker.db", [
        ("draft-complaint", "user", "complain", None, {"text": "你们发错货了，我买的是V领T恤"}),
        ("draft-complaint", "bot", None, None, {"text": "…", "metadata": {"utter_action": "utter_complaint_wrong_item"}}),
        ("draft-complaint", "user", "request_human", None, {"text": "我要找人工"}),
        ("draft-complaint", "action", None, "action_hand_over", {}),
        ("draft-lost", "user", "nlu_fallback", None, {"text": "那个带小裙摆的连体泳衣防水吗"}),
        ("draft-lost", "action", None, "action_handle_fallback", {}),
        ("draft-happy", "user", "ask_price", None, {"text": "卷纸多少钱"}),
        ("draft-happy", "action", None, "utter_price", {}),
    ])
    in_uow(open_handoff, "draft-complaint", "complaint", {"products": ["TSHIRT-VNECK-001"], "last_messages": []})
    in_uow(create_order, "draft-unpaid", [{"sku": "DOG-FOOD-10KG", "qty": 1}])
    out = tmp_path / "drafts"
    # The session database may hold other tests' conversations: pick the drafts of this test's shoppers.
    drafts = [p.read_text(encoding="utf-8") for p in in_uow(write_drafts, out, url) if p.exists()]
    texts = {kind: next(t for t in drafts if sender in t) for kind, sender in
             (("handoff", "draft-complaint"), ("fallback", "draft-lost"), ("unpaid", "draft-unpaid"))
             if any(sender in t for t in drafts)}
    assert {"handoff", "fallback", "unpaid"} <= set(texts)
    assert "draft-happy" not in "".join(texts.values())
    assert "draft-complaint" in texts["handoff"] and "utter_complaint_wrong_item" in texts["handoff"]
    assert "situation: complaint" in texts["handoff"] and "TSHIRT-VNECK-001" in texts["handoff"]
    assert "SWIM-ONEPIECE-001" in texts["fallback"]
    # a manager moves the drafts into the training folder: they validate like any scenario
    (out / "_common.yml").write_text((PROJECT_ROOT / "scripts_library/training/_common.yml").read_text("utf-8"),
                                     encoding="utf-8")
    from bot.scripts.loader import load_library

    scenario_set, problems = load_scenarios(out, PROJECT_ROOT / "data" / "store",
                                            load_library(PROJECT_ROOT / "scripts_library")[0])
    assert [p for p in problems if p.severity == "error"] == []
    unpaid = next(s for s in scenario_set.scenarios.values() if s.id.startswith("draft_unpaid"))
    assert unpaid.situation == "unpaid" and unpaid.turns[unpaid.start].silent
