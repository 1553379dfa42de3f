"""Stored scorecards: saving one, and the manager view (progress per trainee over time, most frequent violations,
scenario difficulty; SVG charts)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from bot.charts import figure as _figure
from bot.charts import svg as _svg
from bot.db.uow import AbstractUnitOfWork
from bot.training.scorecard import Scorecard


@dataclass(frozen=True)
class TeamReport:
    progress: dict[str, list[tuple[datetime, int, str, bool]]] = field(default_factory=dict)
    violations: list[tuple[str, int, int]] = field(default_factory=list)
    difficulty: list[tuple[str, int, float, float]] = field(default_factory=list)
    pass_mark: int = 80

    def trainees(self) -> list[dict[str, Any]]:
        rows = []
        for trainee, runs in sorted(self.progress.items()):
            totals = [total for _, total, _, _ in runs]
            rows.append({"trainee": trainee, "runs": len(runs), "average": round(sum(totals) / len(totals), 1),
                         "best": max(totals), "last": totals[-1], "passed": sum(1 for *_, ok in runs if ok),
                         "first_at": runs[0][0].isoformat(), "last_at": runs[-1][0].isoformat()})
        return rows

    def as_json(self) -> dict[str, Any]:
        return {
            "trainees": self.trainees(),
            "progress": {t: [{"at": at.isoformat(), "total": total, "scenario": s, "passed": ok}
                             for at, total, s, ok in runs] for t, runs in self.progress.items()},
            "violations": [{"code": c, "count": n, "trainees": k} for c, n, k in self.violations],
            "difficulty": [{"scenario": s, "runs": n, "average": round(a, 1), "pass_rate": round(p, 3)}
                           for s, n, a, p in self.difficulty],
            "pass_mark": self.pass_mark,
        }


def save_scorecard(uow: AbstractUnitOfWork, card: Scorecard) -> int:
    """Store a scorecard for its trainee; returns the run id."""
    run = uow.training.add(card)
    uow.commit()
    return run.id


def team_report(uow: AbstractUnitOfWork, pass_mark: int = 80) -> TeamReport:
    progress: dict[str, list[tuple[datetime, int, str, bool]]] = {}
    for trainee, at, scenario, total, passed in uow.training.progress():
        progress.setdefault(trainee, []).append((at, total, scenario, bool(passed)))
    return TeamReport(progress, list(uow.training.violation_counts()), list(uow.training.scenario_difficulty()),
                      pass_mark)


def progress_svg(report: TeamReport) -> str:
    fig, ax = _figure()
    for trainee, runs in sorted(report.progress.items()):
        ax.plot([at for at, *_ in runs], [total for _, total, _, _ in runs], marker="o", label=trainee)
    ax.axhline(report.pass_mark, color="#b00020", linestyle="--", linewidth=1, label=f"及格线 {report.pass_mark}")
    ax.set_ylim(0, 105)
    ax.set_ylabel("得分")
    ax.set_title("学员进步曲线")
    ax.legend(loc="lower right", fontsize=8)
    fig.autofmt_xdate()
    return _svg(fig)


def violations_svg(report: TeamReport) -> str:
    fig, ax = _figure()
    items = list(reversed(report.violations))
    ax.barh([code for code, *_ in items], [count for _, count, _ in items], color="#e07a5f")
    ax.set_xlabel("次数")
    ax.set_title("团队最常见的违规")
    return _svg(fig)


def difficulty_svg(report: TeamReport) -> str:
    fig, ax = _figure()
    names = [scenario for scenario, *_ in report.difficulty]
    ax.bar(names, [average for _, _, average, _ in report.difficulty], color="#3d5a80")
    ax.axhline(report.pass_mark, color="#b00020", linestyle="--", linewidth=1)
    ax.set_ylim(0, 100)
    ax.set_ylabel("平均分")
    ax.set_title("场景难度（平均分越低越难）")
    ax.tick_params(axis="x", labelrotation=30)
    return _svg(fig)
