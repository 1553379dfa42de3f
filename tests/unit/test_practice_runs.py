"""Practice runs in progress live in the database: any web process serves the next reply, the same scorecard
comes out as from one process, and concurrent, foreign, expired and excess runs are refused."""
from __future__ import annotations

from datetime import timedelta

import pytest

from bot.clock import utcnow
from bot.db.uow import UnitOfWork
from bot.db.uow import run_in_unit_of_work as in_uow
from bot.training.practice import (
    IDLE,
    Limits,
    RecordedClock,
    RunBusy,
    RunLimit,
    UnknownRun,
    finish_run,
    reply_to_run,
    start_run,
)
from bot.training.trainer import Trainer
from tests.unit.training_scripts import GOOD, POOR


@pytest.fixture(scope="module")
def web_processes(store_db: str) -> tuple[Trainer, Trainer]:
    """Two trainers: what two web apps behind the balancer each hold."""
    return Trainer(), Trainer()


def test_a_run_started_on_one_web_app_continues_on_the_other_and_scores_as_in_one_process(web_processes) -> None:
    first, second = web_processes
    sim = in_uow(start_run, first, "wrong_item", "practice-lin")
    for index, text in enumerate(POOR["wrong_item"]):
        step = in_uow(reply_to_run, (first, second)[index % 2], sim.id, text, 1.5)
        assert step.reply.text == text
    card, run_id = in_uow(finish_run, second, sim.id)
    alone = first.start("wrong_item", "practice-lin")
    for text in POOR["wrong_item"]:
        alone.reply(text, 1.5)
    expected = alone.finish()
    assert [f.code for f in card.findings] == [f.code for f in expected.findings]
    assert card.total == expected.total and not card.passed
    assert [t["text"] for t in card.transcript] == [t["text"] for t in expected.transcript]
    with UnitOfWork() as uow:
        assert uow.training.get(run_id).trainee == "practice-lin"
    with pytest.raises(UnknownRun):                       # finished: gone from the open runs
        in_uow(reply_to_run, first, sim.id, GOOD["wrong_item"][0], None)


def test_reply_times_survive_the_round_trip_through_the_database() -> None:
    ticks = iter([100.0, 100.0, 104.0, 104.5])
    clock = RecordedClock(now=lambda: next(ticks))
    assert [clock(), clock(), clock()] == [100.0, 100.0, 104.0]
    replayed = RecordedClock(clock.readings, now=lambda: next(ticks))
    assert [replayed(), replayed(), replayed(), replayed()] == [100.0, 100.0, 104.0, 104.5]


def test_two_replies_at_the_same_moment_store_only_one(web_processes) -> None:
    first, second = web_processes
    sim = in_uow(start_run, first, "hesitant_buyer", "practice-race")
    with UnitOfWork() as slow:
        real_store = slow.practice.store_reply

        def store_after_the_other_app(*args):
            in_uow(reply_to_run, second, sim.id, GOOD["hesitant_buyer"][0], None)   # lands first
            return real_store(*args)

        slow.practice.store_reply = store_after_the_other_app
        with pytest.raises(RunBusy):
            reply_to_run(slow, first, sim.id, GOOD["hesitant_buyer"][1], None)
    step = in_uow(reply_to_run, first, sim.id, GOOD["hesitant_buyer"][1], None)
    assert step.reply.index == 1
    in_uow(finish_run, first, sim.id)


def test_runs_are_bounded_and_private(web_processes) -> None:
    trainer = web_processes[0]
    limits = Limits(open_runs=100, runs_per_trainee=2, replies_per_run=1)
    runs = [in_uow(start_run, trainer, "price_objection", "practice-wang", limits) for _ in range(2)]
    with pytest.raises(RunLimit):
        in_uow(start_run, trainer, "price_objection", "practice-wang", limits)
    with pytest.raises(UnknownRun):                       # another trainee's run
        in_uow(reply_to_run, trainer, runs[0].id, GOOD["price_objection"][0], None, owner="practice-zhao")
    in_uow(reply_to_run, trainer, runs[0].id, GOOD["price_objection"][0], None, owner="practice-wang",
           limits=limits)
    with pytest.raises(RunLimit):
        in_uow(reply_to_run, trainer, runs[0].id, GOOD["price_objection"][1], None, limits=limits)
    later = utcnow() + IDLE + timedelta(minutes=1)
    with pytest.raises(UnknownRun):                       # idle too long
        in_uow(reply_to_run, trainer, runs[1].id, GOOD["price_objection"][0], None, now=later)
    in_uow(start_run, trainer, "price_objection", "practice-wang", limits, now=later)   # expired runs free a place
