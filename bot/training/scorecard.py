"""The scorecard at the end of a run: total out of 100, pass mark, checkpoints, findings, timing, transcript."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.training.grader import CheckpointResult, Finding


@dataclass(frozen=True)
class Scorecard:
    scenario_id: str
    scenario_title: str
    trainee: str
    started_at: datetime
    finished_at: datetime
    total: int
    pass_mark: int
    passed: bool
    outcome: str
    checkpoints: tuple[CheckpointResult, ...]
    findings: tuple[Finding, ...]
    timing: dict[str, Any]
    transcript: tuple[dict[str, Any], ...]

    def as_json(self) -> dict[str, Any]:
        return {
            "scenario": self.scenario_id, "title": self.scenario_title, "trainee": self.trainee,
            "started_at": self.started_at.isoformat(), "finished_at": self.finished_at.isoformat(),
            "total": self.total, "pass_mark": self.pass_mark, "passed": self.passed, "outcome": self.outcome,
            "checkpoints": [c.as_json() for c in self.checkpoints], "findings": [f.as_json() for f in self.findings],
            "timing": self.timing, "transcript": list(self.transcript),
        }


def format_scorecard(card: Scorecard, ui: dict[str, str], outcomes: dict[str, str]) -> str:
    """Plain-text scorecard for the command line (labels come from the training texts)."""
    verdict = ui.get("passed", "PASS") if card.passed else ui.get("failed", "FAIL")
    lines = [f"{card.scenario_title} — {card.trainee}",
             f"{ui.get('total', 'total')}: {card.total}/100 ({ui.get('pass_mark', 'pass mark')} {card.pass_mark}) "
             f"{verdict} · {outcomes.get(card.outcome, card.outcome)}", ""]
    for result in card.checkpoints:
        mark = "✔" if result.passed else "✘"
        lines.append(f"{mark} {result.title} ({result.score}/{result.weight})")
        if result.better_text:
            lines.append(f"    {ui.get('better', 'better')}: {result.better_text}")
    if card.findings:
        lines += ["", ui.get("findings", "findings") + ":"]
    for finding in card.findings:
        lines.append(f"- [{finding.code}] #{finding.reply + 1} {finding.title}: {finding.explanation}")
        if finding.better_text:
            lines.append(f"    {ui.get('better', 'better')}: {finding.better_text}")
    first = card.timing["server"]["first"]
    if first is not None:
        lines += ["", f"{ui.get('first_reply', 'first reply')}: {first:.1f}s · "
                      f"{ui.get('mean_reply', 'mean')}: {card.timing['server']['mean']:.1f}s"]
    return "\n".join(lines)
