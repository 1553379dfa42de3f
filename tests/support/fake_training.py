"""In-memory training repositories of the fake unit of work: practice runs in progress and stored scorecards."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.clock import as_utc
from bot.training.tables import PracticeRun, TrainingRun
from tests.support.fake_repositories import FakeState


class FakePracticeRuns:
    def __init__(self, state: FakeState) -> None:
        self.state = state

    def add(self, run: PracticeRun) -> None:
        self.state.practice[run.id] = run

    def get(self, run_id: str, since: datetime) -> PracticeRun | None:
        run = self.state.practice.get(run_id)
        return run if run is not None and as_utc(run.touched_at) >= since else None

    def open_counts(self, trainee: str, since: datetime) -> tuple[int, int]:
        recent = [r for r in self.state.practice.values() if as_utc(r.touched_at) >= since]
        return len(recent), sum(r.trainee == trainee for r in recent)

    def store_reply(self, run_id: str, replies_before: int, replies: list, readings: list[float],
                    now: datetime) -> bool:
        run = self.state.practice.get(run_id)
        if run is None or run.reply_count != replies_before:
            return False
        run.replies, run.reply_count, run.readings, run.touched_at = replies, len(replies), readings, now
        return True

    def delete(self, run_id: str) -> bool:
        return self.state.practice.pop(run_id, None) is not None

    def expire(self, before: datetime) -> int:
        gone = [i for i, r in self.state.practice.items() if as_utc(r.touched_at) < before]
        for run_id in gone:
            del self.state.practice[run_id]
        return len(gone)


class FakeTraining:
    def __init__(self, state: FakeState) -> None:
        self.state = state

    def add(self, card: Any) -> TrainingRun:
        run = TrainingRun(id=len(self.state.training_runs) + 1, trainee=card.trainee, scenario_id=card.scenario_id,
                          total=card.total, passed=card.passed, outcome=card.outcome, scorecard=card.as_json())
        self.state.training_runs[run.id] = run
        return run

    def get(self, run_id: int) -> TrainingRun | None:
        return self.state.training_runs.get(run_id)
