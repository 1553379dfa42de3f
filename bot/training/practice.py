"""Practice runs in progress, kept in the database so any web process serves the next reply.

A run is stored as its inputs: the trainee's replies and the simulation's clock readings. Serving a reply
rebuilds the simulation by replaying them (grading is deterministic), then applies the new reply and stores
it only if nobody else stored one meanwhile (compare-and-set on the number of replies).
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Callable, Sequence

from bot.clock import as_utc, utcnow
from bot.db.uow import AbstractUnitOfWork
from bot.training.scorecard import Scorecard
from bot.training.simulator import Simulation, Step, TrainingError
from bot.training.tables import PracticeRun
from bot.training.trainer import Trainer

IDLE = timedelta(hours=2)               # an untouched run expires


class RecordedClock:
    """Wall-clock seconds, each reading kept; a rebuilt run gets the same readings back in the same order."""

    def __init__(self, readings: Sequence[float] = (), now: Callable[[], float] = time.time) -> None:
        self.readings, self._replayed, self._now = list(readings), 0, now

    def __call__(self) -> float:
        if self._replayed < len(self.readings):
            self._replayed += 1
            return self.readings[self._replayed - 1]
        reading = self._now()
        self.readings.append(reading)
        self._replayed += 1
        return reading


@dataclass(frozen=True)
class OpenRun:
    """A rebuilt run and what it takes to store its next reply."""

    sim: Simulation
    clock: RecordedClock
    replies: list[dict[str, Any]]


class UnknownRun(TrainingError):
    """No open run of this id for the caller (never started, finished, expired or someone else's)."""


class RunLimit(TrainingError):
    """Too many open runs, or too many replies in one run."""


class RunBusy(TrainingError):
    """The run has finished, or another reply was stored at the same moment."""


@dataclass(frozen=True)
class Limits:
    open_runs: int = 100
    runs_per_trainee: int = 3
    replies_per_run: int = 60


def start_run(uow: AbstractUnitOfWork, trainer: Trainer, scenario_id: str, trainee: str, limits: Limits = Limits(),
              now: datetime | None = None) -> Simulation:
    """Open a run for the trainee (within the limits) and store it."""
    now = now or utcnow()
    uow.practice.expire(now - IDLE)
    total, own = uow.practice.open_counts(trainee, now - IDLE)
    if total >= limits.open_runs or own >= limits.runs_per_trainee:
        raise RunLimit("too many practice runs open; finish one first")
    clock = RecordedClock()
    sim = trainer.start(scenario_id, trainee, clock)
    uow.practice.add(PracticeRun(id=sim.id, trainee=sim.trainee, scenario_id=sim.scenario.id,
                                 started_at=sim.started_at, touched_at=now, reply_count=0, replies=[],
                                 readings=list(clock.readings)))
    uow.commit()
    return sim


def _open(uow: AbstractUnitOfWork, trainer: Trainer, run_id: str, owner: str | None, now: datetime) -> OpenRun:
    run = uow.practice.get(run_id, now - IDLE)
    if run is None or (owner is not None and run.trainee != owner):
        raise UnknownRun(f"unknown or expired practice run {run_id}")
    clock = RecordedClock(run.readings)
    try:
        sim = trainer.start(run.scenario_id, run.trainee, clock)
        sim.id, sim.started_at = run.id, as_utc(run.started_at)
        for stored in run.replies:
            sim.reply(stored["text"], stored.get("client_seconds"))
    except TrainingError as exc:   # the scenario was removed or changed under the run
        raise UnknownRun(f"practice run {run_id} cannot continue: {exc}") from exc
    return OpenRun(sim, clock, list(run.replies))


def reply_to_run(uow: AbstractUnitOfWork, trainer: Trainer, run_id: str, text: str, client_seconds: float | None,
                 owner: str | None = None, limits: Limits = Limits(), now: datetime | None = None) -> Step:
    """Grade one trainee reply of an open run (`owner` None: a manager may act on any run)."""
    now = now or utcnow()
    opened = _open(uow, trainer, run_id, owner, now)
    if len(opened.replies) >= limits.replies_per_run:
        raise RunLimit(f"a practice run takes at most {limits.replies_per_run} replies; finish it")
    if opened.sim.done:
        raise RunBusy("this practice run has finished")
    step = opened.sim.reply(text, client_seconds)
    replies = [*opened.replies, {"text": text, "client_seconds": client_seconds}]
    if not uow.practice.store_reply(run_id, len(opened.replies), replies, opened.clock.readings, now):
        raise RunBusy("another reply of this run arrived at the same moment; send it again")
    uow.commit()
    return step


def finish_run(uow: AbstractUnitOfWork, trainer: Trainer, run_id: str, owner: str | None = None,
               now: datetime | None = None) -> tuple[Scorecard, int]:
    """End the run: its scorecard is stored for the trainee and the open run is gone. Returns (card, run id)."""
    opened = _open(uow, trainer, run_id, owner, now or utcnow())
    if not uow.practice.delete(run_id):
        raise UnknownRun(f"unknown or expired practice run {run_id}")
    card = opened.sim.finish()
    stored = uow.training.add(card)
    uow.commit()
    return card, stored.id
