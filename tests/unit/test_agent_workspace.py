"""The agent workspace's services: store settings, service hours, the shared queue, intake, the live draft
check, escalation keywords and the quality review (against the migrated test database)."""
from __future__ import annotations

import asyncio
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage

from bot.db.uow import run_in_unit_of_work as in_uow
from bot.handoff import queue
from bot.handoff.assist import DraftContext, check_draft, context_from
from bot.handoff.config import HandoffConfig, check_handoff_config, load_handoff_config, parse_handoff
from bot.handoff.intake import take_in
from bot.handoff.quality import review
from bot.handoff.replies import record_reply, unanswered_question
from bot.rules.checks import check_reply
from bot.scripts.loader import load_library
from bot.scripts.render import format_value
from bot.settings import PROJECT_ROOT

LIBRARY = load_library(PROJECT_ROOT / "scripts_library")[0]
NOON = datetime(2026, 12, 1, 4, 0, tzinfo=UTC)          # 12:00 in Shanghai, a Tuesday
CONFIG = parse_handoff({"escalation_keywords": ["投诉", 315], "claim_timeout_seconds": 60,
                        "agent_offline_seconds": 30, "service_hours": {"open": "09:00", "close": "22:00"}})


def render_value(key: str, value: object) -> str:
    """A placeholder value as the NLG endpoint words it."""
    return format_value(LIBRARY, key, value)


@pytest.fixture
def clean_queue(store_db: str):
    from bot.db.models import Handoff
    from bot.db.uow import UnitOfWork
    from bot.handoff.tables import AgentPresence, AgentReply

    with UnitOfWork() as uow:
        for table in (Handoff, AgentPresence, AgentReply):
            uow.session.query(table).delete()
        uow.commit()
    yield


def test_store_settings_are_typed_and_a_broken_edit_keeps_the_last_good(tmp_path: Path) -> None:
    shutil.copy(PROJECT_ROOT / "data" / "store" / "store.yml", tmp_path / "store.yml")
    good = load_handoff_config(tmp_path)
    assert "315" in good.escalation_keywords and "律师" in good.escalation_keywords
    text = (tmp_path / "store.yml").read_text(encoding="utf-8")
    (tmp_path / "store.yml").write_text(text.replace('open: "09:00"', 'open: "9点"'), encoding="utf-8")
    problem = check_handoff_config(tmp_path / "store.yml")
    assert problem is not None and "service_hours.open" in problem.reason and problem.line > 1
    assert load_handoff_config(tmp_path) == good                     # the last good settings keep serving
    with pytest.raises(ValueError, match="escalation_keywords"):
        parse_handoff({"escalation_keywords": "投诉"})
    with pytest.raises(ValueError, match="close must be later"):
        parse_handoff({"service_hours": {"open": "22:00", "close": "09:00"}})


def test_service_hours_and_the_next_opening_in_the_store_time_zone() -> None:
    assert CONFIG.is_open(NOON)
    late = datetime(2026, 12, 1, 15, 0, tzinfo=UTC)                  # 23:00 in Shanghai
    assert not CONFIG.is_open(late)
    assert CONFIG.next_opening(late) == datetime(2026, 12, 2, 1, 0, tzinfo=UTC)
    assert CONFIG.escalation_in("我要去315曝光你们") == "315"
    assert CONFIG.escalation_in("这件衣服多少钱") is None


def test_the_queue_is_urgent_first_then_longest_wait_and_a_claim_is_exclusive(clean_queue) -> None:
    from bot.handoff.service import open_handoff

    in_uow(open_handoff, "chat-aaaa-0001", "requested", {"last_messages": ["转人工"]})
    in_uow(open_handoff, "chat-aaaa-0002", "requested", {})
    in_uow(open_handoff, "chat-aaaa-0003", "escalation", {}, urgent=True)
    assert [i.conversation_id for i in in_uow(queue.queue)] == ["chat-aaaa-0003", "chat-aaaa-0001", "chat-aaaa-0002"]
    assert in_uow(queue.current, "chat-aaaa-0002").position == 3
    assert in_uow(queue.claim, "chat-aaaa-0001", "xiaomei") == "claimed"
    assert in_uow(queue.claim, "chat-aaaa-0001", "xiaomei") == "already"
    assert in_uow(queue.claim, "chat-aaaa-0001", "aqiang") == "taken"
    assert in_uow(queue.claim, "nobody-here-0000", "aqiang") == "none"
    assert in_uow(queue.current, "chat-aaaa-0002").position == 2             # one fewer waiting ahead
    assert in_uow(queue.release, "chat-aaaa-0001") == 1 and in_uow(queue.current, "chat-aaaa-0001") is None


def test_an_agent_gone_offline_returns_chats_and_a_long_wait_is_flagged_once(clean_queue) -> None:
    from bot.handoff.service import open_handoff

    now = datetime.now(UTC)
    in_uow(open_handoff, "chat-bbbb-0001", "requested", {})
    in_uow(open_handoff, "chat-bbbb-0002", "requested", {})
    in_uow(queue.touch, "xiaomei", "小美", now - timedelta(seconds=40))
    assert in_uow(queue.claim, "chat-bbbb-0001", "xiaomei") == "claimed"
    swept = in_uow(queue.sweep, CONFIG, now + timedelta(seconds=61))
    assert swept.requeued == ("chat-bbbb-0001",)
    assert set(swept.overdue) == {"chat-bbbb-0001", "chat-bbbb-0002"}
    assert in_uow(queue.sweep, CONFIG, now + timedelta(seconds=62)) == queue.Sweep()   # told once, not every pass
    assert all(i.overdue and i.status == "waiting" for i in in_uow(queue.queue))
    in_uow(queue.touch, "aqiang", "阿强", now)
    in_uow(queue.claim, "chat-bbbb-0002", "aqiang")
    assert in_uow(queue.go_offline, "aqiang") == ["chat-bbbb-0002"]


def test_with_nobody_online_the_shopper_leaves_a_message_and_the_bot_stays(clean_queue) -> None:
    offline = in_uow(take_in, "chat-cccc-0001", "requested", {}, False, now=NOON, config=CONFIG)
    assert offline.kind == "offline" and not offline.pauses_bot and offline.values["service_hours"] == "09:00-22:00"
    assert in_uow(queue.current, "chat-cccc-0001").mode == "message"
    closed = in_uow(take_in, "chat-cccc-0002", "requested", {}, False, now=NOON + timedelta(hours=11), config=CONFIG)
    assert closed.kind == "closed" and render_value("opens_at", closed.values["opens_at"]) == "明天09:00"
    in_uow(queue.touch, "xiaomei", "小美", NOON)
    queued = in_uow(take_in, "chat-cccc-0003", "requested", {}, False, now=NOON, config=CONFIG)
    assert queued.kind == "queued" and queued.pauses_bot and queued.values["position"] == "3"
    text = LIBRARY.responses["utter_handoff_closed"].variants[0].text
    assert "{opens_at}" in text


def user(text: str, intent: str) -> dict:
    return {"event": "user", "text": text, "parse_data": {"intent": {"name": intent}}, "metadata": {}}


def test_the_live_check_flags_a_flat_refusal_with_a_better_wording_and_lets_reassurance_pass() -> None:
    findings = check_draft("不行，这个做不到", DraftContext(), LIBRARY)
    refusal = next(f for f in findings if f.rule == "flat_refusal")
    assert "生硬拒绝" in refusal.reason and refusal.better and not check_reply(refusal.better)
    assert check_draft("不用担心哦", DraftContext(), LIBRARY) == []
    complaint = context_from([user("发错货了！", "complain")])
    assert [f.rule for f in check_draft("好的，马上给您补发哦", complaint, LIBRARY)] == ["no_apology"]
    bargain = context_from([user("太贵了便宜点", "bargain")])
    assert "bare_price_cut" in [f.rule for f in check_draft("给你便宜10块吧", bargain, LIBRARY)]
    said = context_from([{"event": "bot", "text": "亲，马上为您查询哦", "metadata": {"human_agent": "小美"}}])
    assert [f.rule for f in check_draft("亲，马上为您查询哦", said, LIBRARY)] == ["repeat"]


def test_every_better_wording_keeps_the_rules_it_teaches() -> None:
    betters = {k: v for k, v in LIBRARY.fragments.items() if k.startswith("assist_better_")}
    assert len(betters) == 7
    for key, text in betters.items():
        assert [v.rule for v in check_reply(text) if v.severity == "error"] == [], key


def test_an_escalation_keyword_goes_to_a_human_with_the_shoppers_words_kept(clean_queue) -> None:
    from channels.escalation import escalate

    message = UserMessage("我要去12315投诉你们", CollectingOutputChannel(), "chat-dddd-0001", metadata={"cart": []})
    escalated = asyncio.run(escalate(message))
    assert escalated.text == "/request_human"
    assert escalated.metadata["display_text"] == "我要去12315投诉你们" and escalated.metadata["escalation"]
    plain = asyncio.run(escalate(UserMessage("这个多少钱", CollectingOutputChannel(), "chat-dddd-0001")))
    assert plain.text == "这个多少钱"


def test_the_question_an_agent_answers_is_the_shoppers_open_one() -> None:
    events = [user("可以开专票吗？", "nlu_fallback"), {"event": "bot", "text": "这个我请人工客服来解答好吗？"},
              user("转人工", "request_human")]
    assert unanswered_question(events) == "可以开专票吗？"                # not the 转人工 itself
    answered = events + [{"event": "bot", "text": "可以的亲", "metadata": {"human_agent": "小美"}}]
    assert unanswered_question(answered) is None


def test_the_quality_review_counts_findings_per_agent_and_day_and_ranks_conversations(clean_queue) -> None:
    bad = check_draft("不行，这个做不到", DraftContext(), LIBRARY)
    in_uow(record_reply, "chat-eeee-0001", "xiaomei", "不行，这个做不到", bad)
    in_uow(record_reply, "chat-eeee-0001", "xiaomei", "亲，帮您换一件新的哦", [])
    in_uow(record_reply, "chat-eeee-0002", "aqiang", "亲，好的呢", [])
    result = in_uow(review, days=1)
    mine = next(d for d in result["days"] if d["agent"] == "xiaomei")
    assert mine["replies"] == 2 and mine["flagged"] == 1 and mine["rules"]["flat_refusal"] == 1
    assert [c["conversation_id"] for c in result["worst"]] == ["chat-eeee-0001"]


def test_defaults_without_a_handoff_section() -> None:
    assert parse_handoff(None) == HandoffConfig()


def test_every_no_agent_message_says_when_a_human_answers() -> None:
    for name, placeholder in (("utter_handoff_offline", "{service_hours}"), ("utter_handoff_closed", "{opens_at}"),
                              ("utter_handoff_queue", "{position}"), ("utter_handoff_still_waiting", "{position}")):
        assert all(placeholder in v.text for v in LIBRARY.responses[name].variants), name


def test_only_a_human_agents_message_counts_as_theirs_not_the_bots_persona() -> None:
    from bot.handoff.workspace import history

    events = [{"event": "bot", "text": "亲，订单还没付款哦", "metadata": {"agent": "小美"}},   # the bot's persona value
              {"event": "bot", "text": "我来帮您看看", "metadata": {"human_agent": "小美"}}]
    assert [e["role"] for e in history(events)] == ["bot", "agent"]
    assert unanswered_question([user("能便宜吗？", "bargain"), events[0]]) == "能便宜吗？"
