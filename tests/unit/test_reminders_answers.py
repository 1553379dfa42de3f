"""After a reminder: the answer to each reason a shopper gives, through the Rasa action and the real script
library (no Rasa server: the action runs on a hand-made tracker)."""
from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

import actions.reminders as module
from actions import routing
from actions.context import turn
from bot.db.uow import run_in_unit_of_work as in_uow
from bot.reminders import service as reminders
from bot.reminders.answers import answer_unpaid_reason, reason_for
from bot.reminders.scheduler import Scheduler
from bot.rules.checks import ReplyContext, check_reply
from bot.scripts.loader import load_library
from bot.scripts.render import RenderRequest, _eligible, render
from bot.settings import PROJECT_ROOT
from tests.support.reminders import STORE, FakeClock, FakeSender, make_order, rows, set_order
from tests.unit.test_reminders import CONFIG, db  # noqa: F401 (fixture)

NOW = datetime.now(UTC)  # the action reads the real clock: a reminder is live for 24 h
LINK = lambda order_id: f"https://shop.test/orders/{order_id}/pay"  # noqa: E731


@pytest.fixture
def reminded(db, monkeypatch):
    """A shopper whose order (Low tee + Trolley case, taken by Qiang) got its first reminder."""
    monkeypatch.setattr("bot.reminders.answers.load_store", lambda: STORE)
    order = make_order("why-1", [("TEE-LOW", 1), ("CASE-20", 1)], agent_id="aqiang",
                       created_at=NOW - timedelta(minutes=10))
    awake = replace(CONFIG, quiet_hours="")   # NOW is the real clock: at 22:00-08:00 in Shanghai it is quiet
    asyncio.run(Scheduler(awake, FakeSender(), clock=FakeClock(NOW), worker_id="w", crash=lambda p: None).step())
    return order


def tracker(intent: str, text: str = "", after_reminder: bool = True, slots: dict | None = None) -> Tracker:
    events = [{"event": "user", "text": "hi", "parse_data": {"intent": {"name": "greet"}}}]
    if after_reminder:
        events += [{"event": "user", "text": "EXTERNAL: EXTERNAL_payment_reminder"},
                   {"event": "action", "name": "action_send_payment_reminder"}, {"event": "bot", "text": "..."}]
    else:
        events += [{"event": "action", "name": "action_send_payment_reminder"},
                   {"event": "user", "text": "ok"}, {"event": "action", "name": "utter_thank"}]
    latest = {"intent": {"name": intent}, "entities": [], "text": text}
    events += [{"event": "action", "name": "action_listen"}, {"event": "user", "text": text, "parse_data": latest}]
    return Tracker("why-1", {"payment_reminder_active": True, **(slots or {})}, latest, events, False, None, {},
                   "action_listen")


def run_action(t: Tracker) -> tuple[list[dict], dict]:
    dispatcher = CollectingDispatcher()
    with turn():
        events = asyncio.run(module.ActionAnswerUnpaidReason().run(dispatcher, t, {}))
    return dispatcher.messages, {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


def test_intents_name_reasons_and_a_plain_no_counts_only_right_after_the_reminder():
    assert reason_for("bargain", False) == "price" and reason_for("forgot_to_pay", False) == "forgot"
    assert reason_for("deny", True) == "no_longer" and reason_for("deny", False) is None
    assert reason_for("hesitate", True) == "compare" and reason_for("greet", True) is None


def test_price_gets_value_for_money_then_the_next_conditional_concession_of_the_ladder(reminded):
    messages, slots = run_action(tracker("bargain", "太贵了"))
    assert [m["response"] for m in messages] == ["utter_unpaid_reason_price", "utter_bargain_pay_now_gift"]
    assert messages[0]["product"] == "Trolley case" and messages[0]["price"] == "299"  # the dearest line
    assert messages[1]["gift"] == "Pouch"  # multi_buy and full_reduction do not apply to this product/store
    assert slots == {"order_id": reminded, "bargain_step": 3.0}
    messages, slots = run_action(tracker("bargain", "还是贵", slots={"bargain_step": 3.0}))
    assert [m["response"] for m in messages] == ["utter_unpaid_reason_price"]  # ladder used up: value, no cut
    assert slots["bargain_step"] == 4.0


def test_compare_shipping_payment_and_forgot_answer_with_real_store_facts(reminded):
    expected = {
        "compare_shops": ("utter_unpaid_reason_compare", {"no_reason_days": "7", "carrier": "ZTO"}),
        "hesitate": ("utter_unpaid_reason_compare", {"no_reason_days": "7"}),
        "ask_shipping": ("utter_unpaid_reason_shipping", {"cutoff": "16:00", "delivery_days": "2-4"}),
        "payment_problem": ("utter_unpaid_reason_payment", {"pay_link": module.pay_link(reminded)}),
        "forgot_to_pay": ("utter_unpaid_reason_forgot", {"pay_link": module.pay_link(reminded)}),
    }
    for intent, (response, values) in expected.items():
        messages, _ = run_action(tracker(intent))
        assert [m["response"] for m in messages] == [response], intent
        assert values.items() <= messages[0].items(), intent


def test_no_longer_wanted_is_graceful_stops_reminders_and_leaves_cancelling_to_the_shopper(reminded):
    messages, slots = run_action(tracker("deny", "不用了"))
    assert [m["response"] for m in messages] == ["utter_unpaid_reason_no_longer"]
    assert messages[0]["order_id"] == reminded and slots["payment_reminder_active"] is False
    assert in_uow(reminders.is_opted_out, "why-1")
    assert [(r.kind, r.state, r.skip_reason) for r in rows(reminded)] == [
        ("first", "sent", None), ("followup", "skipped", "opted_out")]
    assert in_uow(reminders.active_reminder, "why-1", NOW)  # not cancelled: the order stays until the shopper says so


def test_a_later_no_or_a_paid_order_gets_the_usual_answer(reminded, monkeypatch):
    usual: list[str] = []

    async def usual_deny(dispatcher, tracker):
        usual.append("deny")
        return []

    monkeypatch.setitem(routing.ANSWERS, "deny", usual_deny)
    messages, slots = run_action(tracker("deny", "不用了", after_reminder=False))
    assert (messages, slots, usual) == ([], {}, ["deny"])  # about something else: the reminder stays active
    assert not in_uow(reminders.is_opted_out, "why-1")
    set_order(reminded, status="paid", paid_at=NOW)
    messages, slots = run_action(tracker("forgot_to_pay"))
    assert [m["response"] for m in messages] == ["utter_no_unpaid_order"]  # actions.payment, run in place
    assert slots == {"payment_reminder_active": False}


def test_answers_need_a_live_reminder(db):
    order = make_order("why-2", [("TEE-V", 1)])
    assert in_uow(answer_unpaid_reason, "why-2", "forgot", LINK, now=NOW) is None  # never reminded
    with pytest.raises(ValueError):
        in_uow(answer_unpaid_reason, "why-2", "bored", LINK)
    assert rows(order) == []


LIBRARY, PROBLEMS = load_library(PROJECT_ROOT / "scripts_library")
ITEMS = [{"name": "纯棉圆领T恤", "qty": 1}, {"name": "双肩包", "qty": 2}]
BASE = {"agent": "小美", "items": ITEMS, "order_id": "2611201000", "total": "187", "pay_link": "http://x/pay"}
REASONS = [{"kind": "low_stock", "product": "纯棉圆领T恤", "stock": "2"}, {"kind": "gift", "gift": "收纳小包"},
           {"kind": "ship_today", "cutoff": "16:00"}, {"kind": "service", "no_reason_days": "7"}, {"kind": "plain"},
           {"kind": "coupon_expiry", "coupon": "NEW10", "hours": "5", "amount": "10", "min_spend": "99"}]
STORE_FACTS = {"product": "双肩包", "price": "129", "no_reason_days": "7", "carrier": "中通快递", "delivery_days": "2-4",
               "ship_within_hours": "48", "cutoff": "16:00", "suggestions": ["V领T恤", "立领T恤"]}


@pytest.mark.parametrize("response,values,must_say", [
    *[(name, {**BASE, "pay_reason": reason}, ["小美", "纯棉圆领T恤×1", "双肩包×2"])
      for name in ("utter_payment_reminder", "utter_payment_followup") for reason in REASONS],
    *[(f"utter_unpaid_reason_{r}", {**BASE, **STORE_FACTS}, []) for r in
      ("price", "compare", "payment", "shipping", "forgot", "no_longer")],
    ("utter_change_notice_stock_out", {**BASE, **STORE_FACTS}, ["抱歉", "双肩包"]),
    ("utter_change_notice_delay", {**BASE, **STORE_FACTS}, ["抱歉", "2611201000"]),
])
@pytest.mark.parametrize("style", ["lively", "calm"])
def test_every_variant_renders_from_the_library_and_keeps_the_service_rules(response, values, must_say, style):
    assert PROBLEMS == [] or all(p.severity != "error" for p in PROBLEMS)
    previous: tuple[str, ...] = ()
    pool = len(_eligible(LIBRARY.responses[response], None, style))
    for _conversation in range(pool):  # one conversation hears each variant once; none falls back or repeats
        rendered = render(LIBRARY, RenderRequest(response, values, conversation_id="c1", style=style,
                                                 previous_texts=previous))
        assert rendered.variant >= 0, f"{response} fell back to the guard: {rendered.rejected}"
        assert all(word in rendered.text for word in must_say), rendered.text
        assert "{" not in rendered.text
        errors = [v for v in check_reply(rendered.text, ReplyContext(situation="unpaid", style=style))
                  if v.severity == "error"]
        assert errors == [], (rendered.text, errors)
        previous += (rendered.text,)
