"""The repurchase measurement: re-orders within 14 days after a reminder against a holdout that got none."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import update

from bot.db.uow import UnitOfWork
from bot.db.uow import run_in_unit_of_work as in_uow
from bot.reminders.deliveries import record_delivery
from bot.reminders.report import build_report, format_report
from bot.reminders.tables import Reminder
from bot.repurchase.metrics import repurchase_metric
from tests.support.reminders import T0
from tests.support.repurchase import bought, db  # noqa: F401 (db: fixture)

DAY = timedelta(days=1)



def outbox_row(customer: str, sku: str, order_id: str, state: str, at) -> int:
    """A repurchase row as the scheduler leaves it: sent at `at`, or held out with `at` as its due time."""
    with UnitOfWork() as uow:
        repo = uow.reminders
        repo.insert_ignore([{"order_id": order_id, "customer_id": customer, "kind": "repurchase", "notice_key": sku,
                             "payload": {"sku": sku}, "due_at": at, "created_at": at, "state": state}])
        row = next(r for r in repo.list(customer) if r.kind == "repurchase")
        if state == "sent":
            uow.session.execute(update(Reminder).where(Reminder.id == row.id).values(sent_at=at))
        uow.commit()
        return row.id


def test_reorders_within_14_days_are_counted_against_the_holdout_per_category_and_variant(db):
    now = T0 + 40 * DAY
    reminded_at = T0 + 2 * DAY
    # two reminded dog-food buyers: one re-orders 5 days after the reminder, one only after 20 days
    first = outbox_row("back", "DOGFOOD", bought("back", "DOGFOOD", T0 - 30 * DAY), "sent", reminded_at)
    bought("back", "DOGFOOD", reminded_at + 5 * DAY)
    second = outbox_row("late", "DOGFOOD", bought("late", "DOGFOOD", T0 - 30 * DAY), "sent", reminded_at)
    bought("late", "DOGFOOD", reminded_at + 20 * DAY)
    in_uow(record_delivery, f"reminder:{first}", "utter_repurchase_reminder", 0, "text")
    in_uow(record_delivery, f"reminder:{second}", "utter_repurchase_reminder", 2, "text")
    # held-out buyers: dog food (no re-order) and paper (a re-order that was never paid does not count)
    outbox_row("control", "DOGFOOD", bought("control", "DOGFOOD", T0 - 30 * DAY), "holdout", reminded_at)
    outbox_row("paper", "PAPER", bought("paper", "PAPER", T0 - 27 * DAY), "holdout", reminded_at)
    bought("paper", "PAPER", reminded_at + DAY, status="unpaid")
    metric = in_uow(repurchase_metric, now)
    assert metric["reminded"] == {"count": 2, "reordered": 1, "rate": 0.5}
    assert metric["holdout"] == {"count": 2, "reordered": 0, "rate": 0.0}
    assert metric["uplift"] == 0.5
    assert [(c["category"], c["reminded"], c["reordered"], c["holdout"], c["uplift"]) for c in metric["by_category"]] == [
        ("宠物", 2, 1, 1, 0.5), ("日用", 0, 0, 1, None)]
    assert [(v["variant"], v["sent"], v["reordered"]) for v in metric["by_variant"]] == [("0", 1, 1), ("2", 1, 0)]
    assert metric["open_windows"] == 0
    assert in_uow(repurchase_metric, reminded_at + 3 * DAY)["open_windows"] == 4


def test_the_report_command_shows_the_repurchase_section(db):
    outbox_row("back", "DOGFOOD", bought("back", "DOGFOOD", T0 - 30 * DAY), "sent", T0)
    bought("back", "DOGFOOD", T0 + 3 * DAY)
    report = in_uow(build_report, T0 + 30 * DAY)
    assert report["repurchase"]["reminded"]["reordered"] == 1
    text = format_report(report)
    assert "Repurchase reminders (re-ordered within 14 days):" in text and "宠物" in text
