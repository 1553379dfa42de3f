"""The reminder report on a small hand-made data set, and the NLG's delivery record."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import timedelta

from bot.db.uow import UnitOfWork
from bot.db.uow import run_in_unit_of_work as in_uow
from bot.reminders.deliveries import record_delivery
from bot.reminders.report import build_report, format_report
from bot.reminders.tables import Reminder
from bot.settings import PROJECT_ROOT
from tests.support.reminders import T0, make_order
from tests.unit.test_reminders import db  # noqa: F401 (fixture)

H = timedelta(hours=1)


def reminder(order_id: str, kind: str, state: str, *, sent=None, due=T0, angle=None, skip=None, key="") -> int:
    with UnitOfWork() as uow:
        customer = uow.orders.get(order_id).customer_id
        row = Reminder(order_id=order_id, customer_id=customer, kind=kind, state=state, due_at=due, sent_at=sent,
                       angle=angle, skip_reason=skip, notice_key=key, payload={}, created_at=T0 - H)
        uow.session.add(row)
        uow.commit()
        return row.id


def order(name: str, paid_at=None, status=None) -> str:
    return make_order(name, [("TEE-V", 1)], created_at=T0 - timedelta(minutes=10),
                      status=status or ("paid" if paid_at else "unpaid"), paid_at=paid_at)


def seed_data() -> None:
    a, b, c, d = order("a", T0 + 2 * H), order("b", T0 + 30 * H), order("c"), order("d", T0 + H)
    for name, variant, angle in ((a, 0, "low_stock"), (b, 0, "low_stock"), (c, 1, "gift"), (d, 1, "plain")):
        rid = reminder(name, "first", "sent", sent=T0, angle=angle)
        in_uow(record_delivery, f"reminder:{rid}", "utter_payment_reminder", variant, "text", now=T0)
        if name == a:
            in_uow(record_delivery, f"reminder:{rid}", "utter_payment_reminder", 3, "later retry text", now=T0 + H)
    reminder(c, "followup", "sent", sent=T0 + 0.5 * H, angle="ship_today")  # no delivery recorded
    reminder(order("e"), "first", "skipped", skip="cap")
    reminder(order("f", T0 - 5 * timedelta(minutes=1)), "first", "skipped", skip="paid")
    h1, h2, h3, h4 = order("h1", T0 + 3 * H), order("h2", T0 - H / 12), order("h3"), order("h4", T0 + 25 * H)
    for name in (h1, h2, h3, h4):
        reminder(name, "first", "holdout")
    reminder(d, "stock_out", "sent", sent=T0, angle="stock_out", key="TEE-V")


def test_report_numbers_on_a_hand_made_data_set(db):
    seed_data()
    report = in_uow(build_report, now=T0 + 48 * H)
    assert report["reminded"] == {"orders": 4, "paid_24h": 2, "pay_rate": 0.5}
    assert report["holdout"] == {"orders": 3, "paid_24h": 1, "pay_rate": 0.3333}  # h2 paid before its due time
    assert report["uplift"] == 0.1667
    assert report["open_windows"] == 0
    assert report["recovery_by_variant"] == [
        {"response": "unrecorded", "variant": "-", "sent": 1, "paid_24h": 0, "recovery_rate": 0.0},
        {"response": "utter_payment_reminder", "variant": "0", "sent": 2, "paid_24h": 1, "recovery_rate": 0.5},
        {"response": "utter_payment_reminder", "variant": "1", "sent": 2, "paid_24h": 1, "recovery_rate": 0.5},
    ]
    assert report["sent_by_kind_and_angle"] == [
        {"kind": "first", "angle": "gift", "sent": 1, "paid_24h": 0, "recovery_rate": 0.0},
        {"kind": "first", "angle": "low_stock", "sent": 2, "paid_24h": 1, "recovery_rate": 0.5},
        {"kind": "first", "angle": "plain", "sent": 1, "paid_24h": 1, "recovery_rate": 1.0},
        {"kind": "followup", "angle": "ship_today", "sent": 1, "paid_24h": 0, "recovery_rate": 0.0},
        {"kind": "stock_out", "angle": "stock_out", "sent": 1},
    ]
    counts = {(s["kind"], s["state"], s["skip_reason"]): s["count"] for s in report["states"]}
    assert counts[("first", "holdout", None)] == 4 and counts[("first", "skipped", "cap")] == 1
    text = format_report(report)
    assert "uplift   +16.7 pp" in text and "utter_payment_reminder" in text


def test_report_on_an_empty_outbox(db):
    report = in_uow(build_report, now=T0)
    assert report["uplift"] is None and report["reminded"]["pay_rate"] is None
    assert "uplift   -" in format_report(report)


def test_record_delivery_ignores_empty_track_ids(db):
    assert in_uow(record_delivery, "", "utter_x", 0, "t") is False
    assert in_uow(record_delivery, "reminder:1", "utter_x", 2, "t") is True


def test_report_command_prints_json(db):
    seed_data()
    result = subprocess.run([sys.executable, "-m", "bot.reminders.report", "--json"], capture_output=True,
                            text=True, timeout=60, cwd=PROJECT_ROOT,
                            env={**os.environ, "PYTHONPATH": str(PROJECT_ROOT)})
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["reminded"]["orders"] == 4


def test_the_nlg_hook_records_the_variant_of_tracked_messages_only(db):
    from bot.reminders.deliveries import record_rendered, track_id_of
    from bot.scripts.loader import load_library
    from bot.scripts.render import RenderRequest, render

    library, _ = load_library(PROJECT_ROOT / "scripts_library")
    values = {"agent": "小美", "items": [{"name": "双肩包", "qty": 1}], "pay_link": "http://x/pay",
              "pay_reason": {"kind": "plain"}}
    rendered = render(library, RenderRequest("utter_payment_reminder", values, conversation_id="s1"))
    order_id = order("nlg")
    rid = reminder(order_id, "first", "sent", sent=T0, angle="plain")
    body = {"response": "utter_payment_reminder", "arguments": {**values, "track_id": f"reminder:{rid}"}}
    assert track_id_of({"arguments": {"agent": "x"}}) is None
    assert in_uow(record_rendered, {"arguments": {}}, rendered) is False
    assert in_uow(record_rendered, body, rendered) is True
    variant = in_uow(build_report, now=T0 + 48 * H)["recovery_by_variant"]
    assert variant == [{"response": "utter_payment_reminder", "variant": str(rendered.variant), "sent": 1,
                        "paid_24h": 0, "recovery_rate": 0.0}]
