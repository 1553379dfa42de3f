"""Pay-now reasons from real data, the reminder and notice messages, and the two Rasa actions."""
from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import timedelta

from actions.context import turn
from bot.db.uow import run_in_unit_of_work as in_uow
from bot.reminders import service as reminders
from bot.reminders.messages import notice_message, payment_message, shifted_delivery_days
from bot.reminders.reasons import LineStock, pay_reason
from bot.reminders.scheduler import Scheduler
from tests.support.reminders import (
    STORE,
    T0,
    FakeClock,
    FakeSender,
    make_order,
    rows,
    set_stock,
)
from tests.unit.test_reminders import CONFIG, db  # noqa: F401 (fixture)

AFTERNOON = T0 + timedelta(hours=7)  # 17:00 in Shanghai, after the 16:00 cut-off
LINK = lambda order_id: f"https://shop.test/orders/{order_id}/pay"  # noqa: E731


def kinds(lines, total, now, **kw):
    return pay_reason(lines, total, STORE, now, **kw).as_argument()


def test_low_stock_names_the_scarcest_item_of_the_order():
    lines = [LineStock("A", 4), LineStock("B", 2), LineStock("C", 50)]
    assert kinds(lines, 50, T0) == {"kind": "low_stock", "product": "B", "stock": "2"}
    assert kinds([LineStock("D", 0), LineStock("E", 6)], 50, T0)["kind"] == "ship_today"  # 0 is not "low"


def test_coupon_expiry_needs_the_minimum_spend_and_an_expiry_close_enough():
    ordered = T0 - timedelta(days=2, hours=20)  # NEW10 (3 days) expires in 4 hours
    plenty = [LineStock("C", 50)]
    assert kinds(plenty, 120, T0, ordered_at=ordered) == {
        "kind": "coupon_expiry", "coupon": "NEW10", "amount": "10", "min_spend": "99", "hours": "4"}
    assert kinds(plenty, 60, T0, ordered_at=ordered)["kind"] == "ship_today"  # below min spend
    assert kinds(plenty, 120, T0, ordered_at=T0)["kind"] == "gift"  # 72 h left: no hurry yet
    store = replace(STORE, promotions={"coupons": [{"name": "X", "amount": 5, "min_spend": 0,
                                                    "expires_at": "2026-11-20 12:30"}]})
    reason = pay_reason(plenty, 10, store, T0)  # 10:00 local, expires 12:30 local
    assert reason.as_argument() == {"kind": "coupon_expiry", "coupon": "X", "amount": "5", "min_spend": "0",
                                    "hours": "3"}


def test_gift_needs_its_minimum_spend_then_ship_today_then_nothing():
    plenty = [LineStock("C", 50)]
    assert kinds(plenty, 120, T0) == {"kind": "gift", "gift": "Pouch"}
    assert kinds(plenty, 60, T0) == {"kind": "ship_today", "cutoff": "16:00"}
    assert kinds(plenty, 60, AFTERNOON) == {"kind": "plain"}  # nothing urgent is true: no invented hurry
    assert kinds(plenty, 60, AFTERNOON, service_fallback=True) == {"kind": "service", "no_reason_days": "7"}


def test_a_followup_never_repeats_the_angle_of_the_first():
    lines = [LineStock("B", 2)]
    assert kinds(lines, 120, T0, exclude={"low_stock"})["kind"] == "gift"
    assert kinds(lines, 120, T0, exclude={"low_stock", "gift"})["kind"] == "ship_today"
    assert kinds(lines, 120, AFTERNOON, exclude={"low_stock", "gift"}, service_fallback=True)["kind"] == "service"


def test_delivery_days_shift_by_the_delay():
    assert shifted_delivery_days("2-4", 2) == "4-6"
    assert shifted_delivery_days(3, 1) == "4"
    assert shifted_delivery_days(None, 1) is None


def send_first_and_followup(order: str) -> tuple[int, int]:
    clock = FakeClock(T0 + timedelta(minutes=10))
    worker = Scheduler(CONFIG, FakeSender(), clock=clock, worker_id="w", crash=lambda p: None)
    asyncio.run(worker.step())
    first, followup = rows(order)
    return first.id, followup.id


def test_payment_messages_speak_for_the_agent_with_items_link_and_a_different_followup_angle(db):
    order = make_order("msg-1", [("TEE-LOW", 1), ("TEE-V", 2)], agent_id="aqiang")  # 187 yuan
    first_id, followup_id = send_first_and_followup(order)
    first = in_uow(payment_message, first_id, "msg-1", LINK, STORE, now=T0 + timedelta(minutes=10))
    assert first.kind == "first" and first.track_id == f"reminder:{first_id}"
    assert first.values == {
        "agent": "Qiang", "items": [{"name": "Low tee", "qty": 1}, {"name": "V-neck tee", "qty": 2}],
        "order_id": order, "total": "187", "pay_link": LINK(order), "track_id": f"reminder:{first_id}",
        "pay_reason": {"kind": "low_stock", "product": "Low tee", "stock": "2"},
    }
    followup = in_uow(payment_message, followup_id, "msg-1", LINK, STORE, now=T0 + timedelta(minutes=40))
    assert followup.kind == "followup"
    assert followup.values["pay_reason"] == {"kind": "gift", "gift": "Pouch"}
    assert [r.angle for r in rows(order)] == ["low_stock", "gift"]
    assert in_uow(payment_message, first_id, "someone-else", LINK, STORE) is None


def test_no_true_reason_means_the_plain_angle_and_paid_orders_get_no_message(db):
    order = make_order("msg-2", [("TEE-V", 1)])
    first_id, _ = send_first_and_followup(order)
    message = in_uow(payment_message, first_id, "msg-2", LINK, STORE, now=AFTERNOON)
    assert message.values["pay_reason"] == {"kind": "plain"} and rows(order)[0].angle == "plain"
    from tests.support.reminders import set_order

    set_order(order, status="paid", paid_at=AFTERNOON)
    assert in_uow(payment_message, first_id, "msg-2", LINK, STORE, now=AFTERNOON) is None


def test_notice_messages(db):
    order = make_order("msg-3", [("TEE-ROUND", 1)], status="paid", paid_at=T0)
    set_stock("TEE-ROUND", 0)
    in_uow(reminders.notify_stock_out, "TEE-ROUND", now=T0, config=CONFIG)
    delay_id = in_uow(reminders.notify_delay, order, 2, now=T0)
    stock_row = next(r for r in rows(order) if r.kind == "stock_out")
    notice = in_uow(notice_message, stock_row.id, "msg-3", STORE)
    assert (notice.kind, notice.sku, notice.values["product"], notice.values["order_id"]) == (
        "stock_out", "TEE-ROUND", "Round tee", order)
    delay = in_uow(notice_message, delay_id, "msg-3", STORE)
    assert delay.kind == "delay"
    assert (delay.values["delivery_days"], delay.values["extra_days"]) == ("4-6", "2")
    assert in_uow(notice_message, delay_id, "msg-4", STORE) is None


def tracker(sender_id: str, intent: str, reminder_id: int):
    from rasa_sdk import Tracker

    latest = {"intent": {"name": intent}, "entities": [{"entity": "reminder_id", "value": str(reminder_id)}],
              "text": f"EXTERNAL: {intent}"}
    return Tracker(sender_id, {}, latest, [], False, None, {}, "action_listen")


def test_actions_utter_the_library_responses(db, monkeypatch):
    from rasa_sdk.executor import CollectingDispatcher

    import actions.reminders as module
    from bot.reminders import messages

    monkeypatch.setattr(messages, "load_store", lambda: STORE)
    order = make_order("act-1", [("TEE-V", 1)])
    first_id, _ = send_first_and_followup(order)
    dispatcher = CollectingDispatcher()
    with turn():
        events = asyncio.run(module.ActionSendPaymentReminder().run(
            dispatcher, tracker("act-1", "EXTERNAL_payment_reminder", first_id), {}))
    assert dispatcher.messages[0]["response"] == "utter_payment_reminder"
    assert dispatcher.messages[0]["agent"] == "Mei" and dispatcher.messages[0]["track_id"] == f"reminder:{first_id}"
    assert {e["name"]: e["value"] for e in events} == {"order_id": order, "payment_reminder_active": True}

    from bot.catalog.products import ProductView
    from bot.recommendations.types import Suggestion

    substitute = Suggestion("substitute", ProductView("TEE-ROUND", "Round tee", "test", 59.0, 59.0, 3), "",
                            "in_stock_alternative", 1.0)
    monkeypatch.setattr(module, "find_substitutes", lambda uow, sku: [substitute])
    set_stock("TEE-V", 0)
    in_uow(reminders.notify_stock_out, "TEE-V", now=T0, config=CONFIG)
    notice_id = next(r.id for r in rows(order) if r.kind == "stock_out")
    dispatcher = CollectingDispatcher()
    with turn():
        asyncio.run(module.ActionSendChangeNotice().run(dispatcher, tracker("act-1", "EXTERNAL_change_notice",
                                                                              notice_id), {}))
    with turn():
        events = asyncio.run(module.ActionSendChangeNotice().run(
            CollectingDispatcher(), tracker("act-1", "EXTERNAL_change_notice", notice_id), {}))
    assert {e["name"]: e["value"] for e in events} == {"order_id": order, "product_sku": "TEE-V"}
    message = dispatcher.messages[0]
    assert message["response"] == "utter_change_notice_stock_out"
    assert message["suggestions"] == ["Round tee"] and message["product"] == "V-neck tee"
    assert [(c["sku"], c["name"]) for c in message["product_cards"]["cards"]] == [("TEE-ROUND", "Round tee")]
    dispatcher = CollectingDispatcher()  # an id that is not this shopper's: silence
    with turn():
        assert asyncio.run(module.ActionSendChangeNotice().run(
            dispatcher, tracker("act-2", "EXTERNAL_change_notice", notice_id), {})) == []
    assert dispatcher.messages == []
