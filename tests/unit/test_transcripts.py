"""The console's conversation browser (filters) and transcripts on the hand-made data of test_metrics."""
from __future__ import annotations

import pytest
import yaml

from bot.db.uow import run_in_unit_of_work as in_uow
from bot.transcripts.browser import search
from bot.transcripts.detail import load_detail, question_pairs, scenario_draft
from bot.transcripts.tracker import TrackerStore
from bot.transcripts.types import Filters
from tests.support.console import PERIOD, TRACKER_EVENTS, make_tracker, seed_console_data
from tests.support.reminders import fresh_database


@pytest.fixture
def tracker(tmp_path):
    with fresh_database(tmp_path):
        seed_console_data()
        yield TrackerStore(make_tracker(tmp_path / "tracker.db", TRACKER_EVENTS))


def found(tracker: TrackerStore, **filters) -> list[str]:
    total, rows = in_uow(search, Filters(PERIOD, **filters), tracker=tracker)
    assert total == len(rows)
    return sorted(r.conversation_id for r in rows)


def test_filters_by_outcome(tracker):
    assert found(tracker) == [f"chat-{i}" for i in range(10)]
    assert found(tracker, outcome="handed_over") == ["chat-0", "chat-1", "chat-2"]
    assert found(tracker, outcome="ordered") == ["chat-6", "chat-7"]     # chat-8 ordered before chatting
    assert found(tracker, outcome="fallback") == ["chat-3", "chat-4"]
    assert found(tracker, outcome="unanswered") == ["chat-3", "chat-4", "chat-5"]
    assert len(found(tracker, outcome="bot_only")) == 7
    with pytest.raises(ValueError):
        Filters(PERIOD, outcome="happy")


def test_filters_by_intent_words_product_and_agent(tracker):
    assert found(tracker, intent="bargain") == ["chat-0"]
    assert found(tracker, words="发票") == ["chat-3"]
    assert found(tracker, words="100%") == []
    assert found(tracker, product="CASE-20") == ["chat-6"]
    assert found(tracker, product="TEE-V") == ["chat-0", "chat-6", "chat-7"]   # suggested to chat-0, bought by 6, 7
    assert found(tracker, agent="xiaomei") == ["chat-6", "chat-7", "chat-8"]
    assert found(tracker, agent="aqiang") == ["chat-1"]                   # the agent who took the handoff
    assert found(tracker, agent="nobody") == []
    assert found(tracker, intent="bargain", outcome="ordered") == []


def test_rows_carry_outcomes_orders_and_intents_and_pages(tracker):
    total, rows = in_uow(search, Filters(PERIOD), offset=0, limit=4, tracker=tracker)
    assert total == 10 and [r.conversation_id for r in rows] == ["chat-9", "chat-8", "chat-7", "chat-6"]
    chat6 = rows[3]
    assert chat6.outcomes == ["ordered"] and chat6.orders == 2 and chat6.amount == 506.0
    assert chat6.intents == ["ask_stock"]
    assert rows[1].orders == 0          # chat-8's order came before the chat
    _, last = in_uow(search, Filters(PERIOD), offset=8, limit=4, tracker=tracker)
    assert [r.conversation_id for r in last] == ["chat-1", "chat-0"]


def test_transcript_shows_intent_confidence_variant_and_guard(tracker):
    detail = in_uow(load_detail, "chat-0", tracker)
    user, bot, _, action = detail.turns
    assert (user.role, user.intent, user.confidence) == ("user", "bargain", 0.93)
    assert (bot.response, bot.variant) == ("utter_bargain", 1)
    assert bot.guard == [[{"rule": "flat_refusal", "span": "不行"}]]
    assert action.role == "action" and action.text == "action_hand_over"
    assert [h["reason"] for h in detail.handoffs] == ["complaint"]
    assert question_pairs(detail) == [("这件V领T恤太贵了，便宜点吧", "亲，一分钱一分货哦~"), ("我要找人工", "")]
    assert in_uow(load_detail, "nobody", tracker) is None


def test_a_human_reply_is_marked_with_the_agent_and_the_bot_s_persona_is_not(tracker):
    human = [t for t in in_uow(load_detail, "chat-1", tracker).turns if t.role == "bot"]
    assert [(t.text, t.agent) for t in human] == [("亲，我是阿强，马上帮您看", "阿强")]
    assert all(t.agent is None for t in in_uow(load_detail, "chat-6", tracker).turns)


def test_a_handed_over_chat_becomes_a_draft_scenario(tracker):
    name, text = in_uow(scenario_draft, in_uow(load_detail, "chat-0", tracker))
    scenario = yaml.safe_load(text)["scenario"]
    assert name.startswith("draft_handoff_") and scenario["product"] == "TEE-V"
    assert scenario["turns"]["t1"]["shopper"] == "这件V领T恤太贵了，便宜点吧"
    assert in_uow(scenario_draft, in_uow(load_detail, "chat-9", tracker)) is None      # nothing went wrong in chat-9
