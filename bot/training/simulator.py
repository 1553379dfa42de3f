"""The simulated shopper: plays a scenario turn by turn, branching on the moves of each trainee reply."""
from __future__ import annotations

import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from statistics import mean
from typing import Any, Callable

from bot.training.grader import CheckpointResult, Grader, Reply
from bot.training.moves import MoveClassifier, MoveContext
from bot.training.scorecard import Scorecard
from bot.training.types import Scenario, ScenarioTurn, TrainingTexts


class TrainingError(ValueError):
    """Bad input from the trainee or the caller (unknown scenario, empty reply, finished run)."""


@dataclass(frozen=True)
class ShopperLine:
    """What the trainee sees next: a shopper message, or a stage note (e.g. the shopper went silent)."""

    turn: str
    text: str | None
    note: str | None
    end: str | None = None

    def as_json(self) -> dict[str, Any]:
        return {"turn": self.turn, "text": self.text, "note": self.note, "end": self.end}


@dataclass(frozen=True)
class Step:
    reply: Reply
    shopper: ShopperLine | None
    done: bool


class Simulation:
    """One trainee practising one scenario. `clock` gives seconds (monotonic) and is injectable for tests."""

    def __init__(self, scenario: Scenario, texts: TrainingTexts, grader: Grader, classifier: MoveClassifier,
                 trainee: str, pass_mark: int, max_replies: int, style: str = "lively",
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.id = uuid.uuid4().hex
        self.scenario, self.texts, self.grader, self.classifier = scenario, texts, grader, classifier
        self.trainee, self.pass_mark, self.max_replies, self.style = trainee, pass_mark, max_replies, style
        self.clock = clock
        self.replies: list[Reply] = []
        self.transcript: list[dict[str, Any]] = []
        self.started_at = datetime.now(UTC)
        self.outcome: str | None = None
        self._t0 = clock()
        self._turn: ScenarioTurn = scenario.turns[scenario.start]
        self._asked_at = self._t0
        self._opening = self._say(self._turn)

    @property
    def done(self) -> bool:
        return self.outcome is not None

    @property
    def opening(self) -> ShopperLine:
        return self._opening

    def _line(self, turn: ScenarioTurn) -> ShopperLine:
        note = turn.note or (self.texts.silence_note if turn.silent else None)
        return ShopperLine(turn.id, turn.shopper, note, turn.end)

    def _say(self, turn: ScenarioTurn) -> ShopperLine:
        line = self._line(turn)
        now = self.clock()
        self._asked_at = now
        for role, text in (("note", line.note), ("shopper", line.text)):
            if text:
                self.transcript.append({"role": role, "turn": turn.id, "text": text, "at": round(now - self._t0, 3)})
        return line

    def reply(self, text: str, client_seconds: float | None = None) -> Step:
        """Grade one trainee reply and move the shopper on."""
        if self.done:
            raise TrainingError("this practice run has finished")
        text = (text or "").strip()
        if not text:
            raise TrainingError("empty reply")
        now = self.clock()
        seconds = round(now - self._asked_at, 3)
        turn = self._turn
        moves = self.classifier.classify(text, MoveContext(self.scenario.product, self.scenario.situation_at(turn),
                                                           self.style, tuple(r.text for r in self.replies)))
        findings = self.grader.grade(turn, text, moves, self.replies, seconds)
        reply = Reply(len(self.replies), turn.id, text, moves, seconds, client_seconds, tuple(findings))
        self.replies.append(reply)
        self.transcript.append({
            "role": "trainee", "turn": turn.id, "text": text, "at": round(now - self._t0, 3), "seconds": seconds,
            "client_seconds": client_seconds, "moves": sorted(moves), "findings": [f.code for f in findings]})
        target = turn.goto(moves)
        if len(self.replies) >= self.max_replies or target is None:
            self.outcome = "unfinished"
            return Step(reply, None, True)
        self._turn = self.scenario.turns[target]
        line = self._say(self._turn)
        if self._turn.end:
            self.outcome = self._turn.end
        return Step(reply, line, self.done)

    def finish(self) -> Scorecard:
        """End the run (if the shopper has not ended it) and grade the checkpoints."""
        if self.outcome is None:
            self.outcome = "unfinished"
        return build_scorecard(self, self.grader.checkpoints(self.replies))


def _stats(values: list[float]) -> dict[str, float | None]:
    return {"first": values[0] if values else None, "mean": round(mean(values), 3) if values else None,
            "max": max(values) if values else None}


def build_scorecard(sim: Simulation, results: list[CheckpointResult]) -> Scorecard:
    total = sum(r.score for r in results)
    server = [r.seconds for r in sim.replies if r.seconds is not None]
    client = [r.client_seconds for r in sim.replies if r.client_seconds is not None]
    timing = {
        "server": _stats(server), "browser": _stats(client),
        "limits": {"first_reply_seconds": sim.grader.first_reply_seconds, "reply_seconds": sim.grader.reply_seconds},
    }
    return Scorecard(
        scenario_id=sim.scenario.id, scenario_title=sim.scenario.title, trainee=sim.trainee,
        started_at=sim.started_at, finished_at=datetime.now(UTC), total=total, pass_mark=sim.pass_mark,
        passed=total >= sim.pass_mark, outcome=sim.outcome or "unfinished", checkpoints=tuple(results),
        findings=tuple(f for r in sim.replies for f in r.findings), timing=timing, transcript=tuple(sim.transcript),
    )
