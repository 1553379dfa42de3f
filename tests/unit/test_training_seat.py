"""The bot in the trainee's seat, through a scripted stand-in for Rasa: page context, silences, 催付 orders."""
from __future__ import annotations

import io
import json
from typing import Any

import pytest

from bot.orders.service import get_order
from bot.reminders.service import list_reminders
from bot.training import bot_seat
from bot.training.__main__ import main
from bot.training.bot_seat import EXAM_PREFIX, BotSeat
from bot.training.exam import sit
from bot.training.trainer import Trainer
from tests.unit.training_scripts import GOOD

# The good silent_shopper answer, ending in a question as the channel needs before it nudges a silence.
ASKING = {**GOOD, "silent_shopper": ["亲，这款是抗皱面料哦，上班坐一天也很挺括呢，您平时通勤穿得多吗？",
                                     *GOOD["silent_shopper"][1:]]}


class ScriptedBot:
    """A transport whose 'bot' answers each message and event with the next scripted reply."""

    def __init__(self, replies: list[str]) -> None:
        self.replies = list(replies)
        self.calls: list[tuple[str, str, Any]] = []      # (conversation id, text or intent, metadata or entities)

    def _next(self) -> list[dict[str, Any]]:
        return [{"text": self.replies.pop(0)}] if self.replies else []

    def send(self, conversation_id: str, text: str, metadata: dict[str, Any]) -> list[dict[str, Any]]:
        self.calls.append((conversation_id, text, metadata))
        return self._next()

    def trigger(self, conversation_id: str, intent: str, entities: dict[str, Any]) -> list[dict[str, Any]]:
        self.calls.append((conversation_id, intent, entities))
        return self._next()


@pytest.fixture(scope="module")
def trainer(store_db: str) -> Trainer:
    return Trainer()


def test_each_shopper_line_reaches_the_bot_from_the_product_page(trainer: Trainer) -> None:
    bot = ScriptedBot(GOOD["price_objection"])
    result = sit(trainer, "price_objection", BotSeat(bot))
    assert result.passed and result.card.trainee == "bot" and result.card.outcome == "won"
    conversations = {c for c, _, _ in bot.calls}
    assert len(conversations) == 1 and next(iter(conversations)).startswith(EXAM_PREFIX)
    assert [meta for _, _, meta in bot.calls] == [{"product_sku": "COAT-TRENCH-001"}] * 3
    assert [t.reply for t in result.turns] == GOOD["price_objection"]
    again = ScriptedBot(GOOD["price_objection"])
    sit(trainer, "price_objection", BotSeat(again))
    assert again.calls[0][0] not in conversations                 # a fresh conversation per run


def test_a_silence_gets_the_channels_nudge_only_after_a_question(trainer: Trainer) -> None:
    asked = ScriptedBot(ASKING["silent_shopper"])
    assert sit(trainer, "silent_shopper", BotSeat(asked)).passed
    assert asked.calls[1][1:] == ("EXTERNAL_silence_nudge", {})
    told = ScriptedBot(GOOD["silent_shopper"])                      # the answer asks nothing: no nudge comes
    result = sit(trainer, "silent_shopper", BotSeat(told))
    assert len(told.calls) == 1 and not result.passed and result.card.outcome == "unfinished"
    assert (result.turns[-1].turn, result.turns[-1].reply) == ("silence", None)
    assert "(no reply)" in result.describe() and "checkpoint reengage (35) missed" in result.describe()


def test_the_unpaid_scenario_opens_with_the_schedulers_reminder_for_a_real_order(trainer: Trainer) -> None:
    bot = ScriptedBot(GOOD["unpaid_order"])
    result = sit(trainer, "unpaid_order", BotSeat(bot))
    assert result.passed and result.card.outcome == "won"
    conversation, intent, entities = bot.calls[0]
    assert intent == "EXTERNAL_payment_reminder"
    reminder = next(r for r in list_reminders(conversation) if r.id == int(entities["reminder_id"]))
    assert reminder.state == "sent" and reminder.kind == "first"
    order = get_order(reminder.order_id)
    assert order.customer_id == conversation and [line.sku for line in order.lines] == ["DOG-FOOD-10KG"]
    assert order.status == "cancelled"                               # exam orders do not stay open
    assert bot.calls[1][2] == {}                                     # not on a product page


class ByScenario:
    """One scripted bot per scenario, picked by the exam's conversation id."""

    def __init__(self, scripts: dict[str, ScriptedBot]) -> None:
        self.scripts = scripts

    def _bot(self, conversation_id: str) -> ScriptedBot:
        return self.scripts.setdefault(conversation_id.removeprefix(EXAM_PREFIX).rsplit("-", 1)[0], ScriptedBot([]))

    def send(self, conversation_id: str, text: str, metadata: dict[str, Any]) -> list[dict[str, Any]]:
        return self._bot(conversation_id).send(conversation_id, text, metadata)

    def trigger(self, conversation_id: str, intent: str, entities: dict[str, Any]) -> list[dict[str, Any]]:
        return self._bot(conversation_id).trigger(conversation_id, intent, entities)


def test_all_scenarios_as_an_exam_on_the_command_line(monkeypatch) -> None:
    scripts = {scenario: ScriptedBot(replies) for scenario, replies in ASKING.items()}
    scripts["wrong_item"] = ScriptedBot(["你自己下单的时候没看清楚吧，不是我们的问题。"])
    monkeypatch.setattr(bot_seat, "RestTransport", lambda: ByScenario(scripts))
    out = io.StringIO()
    assert main(["--all", "--trainee", "bot", "--json", "--no-save"], io.StringIO(), out, io.StringIO()) == 1
    report = json.loads(out.getvalue())
    verdicts = {r["scenario"]: r["passed"] for r in report["results"] if r["scenario"] in GOOD}
    assert not report["passed"] and verdicts.pop("wrong_item") is False and all(verdicts.values())
    failed = next(r for r in report["results"] if r["scenario"] == "wrong_item")
    assert failed["trainee"] == "bot" and "blame" in failed["turns"][0]["findings"]


class Pipe(io.StringIO):
    def isatty(self) -> bool:
        return False


def test_a_person_can_sit_all_scenarios_from_a_pipe(trainer: Trainer) -> None:
    replies = "".join(f"{line}\n" for scenario in sorted(trainer.scenarios().scenarios) for line in GOOD[scenario])
    out = io.StringIO()
    assert main(["--all", "--trainee", "pipe-he", "--no-save"], Pipe(replies), out, io.StringIO()) == 0
    assert f"{len(GOOD)}/{len(GOOD)} scenario(s) passed" in out.getvalue()
    assert "V领的会不会太露了" in out.getvalue()                       # a person sees the shopper's lines
