"""Practice runs and a conversation's detail run in the unit of work they are given (the in-memory fake: no
database): each step commits what it writes, and nothing opens a unit of work of its own."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.db.models import ConversationMetric, Handoff, Order, OrderLine, UnansweredQuestion
from bot.db.scope import unit_of_work_scope
from bot.training.moves import RuleMoveClassifier
from bot.training.practice import Limits, RunLimit, UnknownRun, finish_run, reply_to_run, start_run
from bot.training.trainer import Trainer
from bot.transcripts.detail import load_detail
from bot.transcripts.tracker import TranscriptTurn
from tests.support.fake_uow import FakeUnitOfWork, forbid_own_units_of_work, product
from tests.unit.training_scripts import GOOD, POOR

T0 = datetime(2026, 11, 2, 10, 0, tzinfo=UTC)


class NoCatalog:
    """The trainee names no product (the store's catalog is the database's; this test has none)."""

    def mentioned_skus(self, text: str) -> list[str]:
        return []

    def relation_types(self, from_sku: str, to_sku: str) -> set[str]:
        return set()


@pytest.fixture
def uow(monkeypatch) -> FakeUnitOfWork:
    """The boundary's unit of work: the fake, open as a request would open it; a database one is refused."""
    forbid_own_units_of_work(monkeypatch)
    fake = FakeUnitOfWork(products=[product("TSHIRT-VNECK-001", name="V领T恤")])
    with unit_of_work_scope(lambda: fake):
        yield fake


@pytest.fixture(scope="module")
def trainer() -> Trainer:
    return Trainer(classifier=RuleMoveClassifier(NoCatalog()))


def test_a_practice_run_is_stored_replied_to_and_finished_with_one_commit_per_step(uow, trainer):
    sim = start_run(uow, trainer, "wrong_item", "fake-lin", now=T0)
    assert uow.commits == 1 and uow.committed.practice[sim.id].trainee == "fake-lin"
    for index, text in enumerate(POOR["wrong_item"], start=1):
        step = reply_to_run(uow, trainer, sim.id, text, 1.5, now=T0)
        assert step.reply.text == text
        assert uow.committed.practice[sim.id].reply_count == index
    card, run_id = finish_run(uow, trainer, sim.id, now=T0)
    assert uow.commits == 2 + len(POOR["wrong_item"])
    assert sim.id not in uow.committed.practice                     # finished: no longer open
    stored = uow.committed.training_runs[run_id]
    assert (stored.trainee, stored.total, stored.passed) == ("fake-lin", card.total, False)
    with pytest.raises(UnknownRun):
        reply_to_run(uow, trainer, sim.id, GOOD["wrong_item"][0], None, now=T0)


def test_another_trainees_run_and_too_many_open_runs_are_refused(uow, trainer):
    sim = start_run(uow, trainer, "wrong_item", "fake-wang", now=T0)
    with pytest.raises(UnknownRun):
        reply_to_run(uow, trainer, sim.id, GOOD["wrong_item"][0], None, owner="fake-zhao", now=T0)
    with pytest.raises(RunLimit):
        start_run(uow, trainer, "wrong_item", "fake-wang", Limits(runs_per_trainee=1), now=T0)
    assert list(uow.committed.practice) == [sim.id]               # the refused run was not stored
    later = T0 + timedelta(hours=3)                               # the idle run expired meanwhile
    assert start_run(uow, trainer, "wrong_item", "fake-wang", Limits(runs_per_trainee=1), now=later)


class OneTranscript:
    def transcript(self, conversation_id: str) -> list[TranscriptTurn]:
        if conversation_id != "chat-f":
            return []
        return [TranscriptTurn("user", "发错货了", 1.0, intent="complain", confidence=0.9),
                TranscriptTurn("bot", "非常抱歉", 2.0, response="utter_complaint_wrong_item", variant=0)]


def test_a_conversations_detail_reads_its_outcomes_from_the_unit_of_work(uow):
    state = uow.committed                                         # what the database holds
    state.conversation_metrics["chat-f"] = ConversationMetric(conversation_id="chat-f", first_message_at=T0,
                                                             first_response_seconds=1.5)
    state.handoffs.append(Handoff(conversation_id="chat-f", reason="complaint", created_at=T0, released_at=None))
    state.orders["O-F"] = Order(id="O-F", customer_id="chat-f", status="unpaid", total=59.0, agent_id="",
                                created_at=T0, lines=[OrderLine(sku="TSHIRT-VNECK-001", qty=1, unit_price=59.0)])
    state.unanswered.append(UnansweredQuestion(id=1, conversation_id="chat-f", text="能刻字吗", reason="fallback"))
    state.suggestions.append(("chat-f", "TSHIRT-VNECK-001", "substitute", "shown", T0))
    uow.rollback()                                                # the next read sees what was stored
    detail = load_detail(uow, "chat-f", OneTranscript())
    assert detail is not None and detail.first_response_seconds == 1.5
    assert [h["reason"] for h in detail.handoffs] == ["complaint"]
    assert detail.orders[0]["lines"] == [{"sku": "TSHIRT-VNECK-001", "qty": 1, "unit_price": 59.0}]
    assert detail.unanswered[0]["text"] == "能刻字吗" and detail.draft_reason == "handoff"
    assert [t.role for t in detail.turns] == ["user", "bot"]
    assert load_detail(uow, "nobody", OneTranscript()) is None
    assert uow.commits == 0                                       # reading writes nothing


def test_a_quality_review_draft_is_written_in_the_requests_unit_of_work(uow, tmp_path):
    from bot.handoff.quality import write_draft

    events = [{"event": "user", "text": "发错货了，我要的是V领", "parse_data": {"intent": {"name": "complain"}}}]
    path = write_draft(uow, "chat-q", events, ["TSHIRT-VNECK-001"], tmp_path)
    draft = path.read_text(encoding="utf-8")
    assert "product: TSHIRT-VNECK-001" in draft and "shopper: 发错货了，我要的是V领" in draft
