"""Every figure of the console's overview on a hand-made database whose answers are known."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from bot.db.uow import run_in_unit_of_work as in_uow
from bot.metrics.overview import build_overview
from bot.metrics.period import Period, PeriodError
from bot.metrics.stats import Uplift, percentile
from tests.support.console import PERIOD, add_rows, reminder_row, seed_console_data
from tests.support.reminders import T0, fresh_database, make_order

H = timedelta(hours=1)


@pytest.fixture
def overview(tmp_path):
    with fresh_database(tmp_path):
        seed_console_data()
        yield in_uow(build_overview, PERIOD, now=T0 + timedelta(days=3))


def test_conversation_figures(overview):
    f = overview.figures
    assert f["conversations"] == 10             # chat-old is outside the period, exams are not shoppers
    assert f["handed_over"] == 3 and f["handoff_rate"] == 0.3 and f["automation_rate"] == 0.7
    assert overview.tables["handoff_reasons"].rows == [
        {"label": "投诉", "reason": "complaint", "conversations": 2, "share": 0.2},
        {"label": "顾客要求转人工", "reason": "requested", "conversations": 1, "share": 0.1}]
    assert f["fallback_conversations"] == 2 and f["fallback_rate"] == 0.2
    assert f["unanswered_conversations"] == 3 and f["unanswered_rate"] == 0.3


def test_first_response_time(overview):
    f = overview.figures
    assert f["first_response_measured"] == 9
    assert f["first_response_p50"] == 2.5 and f["first_response_p95"] == 8
    assert f["first_response_over_5s"] == 0.2222


def test_orders_assisted_versus_other(overview):
    f = overview.figures
    assert f["ordering_conversations"] == 2 and f["conversation_conversion"] == 0.2
    assisted, other = overview.tables["orders"].rows
    assert assisted == {"group": "客服会话促成", "orders": 2, "buyers": 1, "items": 4, "amount": 506.0,
                        "items_per_order": 2.0, "aov": 506.0}
    # other: chat-8 (3 socks, 57), imported-1 (69), and the three reminder/holdout orders paid inside the period
    assert other["orders"] == 5 and other["buyers"] == 5 and other["items"] == 3 + 1 + 3
    assert other["amount"] == 57.0 + 69.0 + 3 * 69.0 and other["aov"] == 66.6 and other["items_per_order"] == 1.4


def test_recommendations_per_type(overview):
    rows = {r["kind"]: r for r in overview.tables["recommendations"].rows}
    assert rows["substitute"] == {"kind": "substitute", "shown": 4, "accepted": 1, "acceptance_rate": 0.25}
    assert rows["bundle"]["acceptance_rate"] == 0.5
    assert rows["complementary"]["shown"] == 1 and rows["complementary"]["accepted"] == 0
    assert rows["latent"]["shown"] == 0 and rows["latent"]["acceptance_rate"] is None   # its event is older


def test_payment_reminders_uplift_and_interval(overview):
    f = overview.figures
    assert f["reminders_sent"] == 5 and f["reminders_recovered"] == 2
    assert f["reminder_pay_rate"] == 0.5 and f["holdout_pay_rate"] == 0.3333
    assert f["reminder_uplift"] == 0.1667
    low, high = f["reminder_uplift_ci"]
    assert low == pytest.approx(-0.5577, abs=1e-3) and high == pytest.approx(0.8910, abs=1e-3)


def test_training_pass_rate_and_daily_series(overview):
    assert overview.figures["training_runs"] == 4 and overview.figures["training_pass_rate"] == 0.75
    daily = overview.tables["daily"].rows
    assert [d["day"] for d in daily] == ["2026-11-19", "2026-11-20"]
    assert daily[1] == {"day": "2026-11-20", "conversations": 10, "handed_over": 3, "automation_rate": 0.7}


def test_an_empty_period_has_no_rates(tmp_path):
    with fresh_database(tmp_path):
        empty = in_uow(build_overview, Period.of_days(date(2020, 1, 1), date(2020, 1, 1)))
    assert empty.figures["conversations"] == 0 and empty.figures["handoff_rate"] is None
    assert empty.figures["reminder_uplift"] is None and empty.figures["reminder_uplift_ci"] is None


def test_helpers_and_bad_periods():
    assert percentile([1, 2, 3, 4], 0.5) == 2 and percentile([], 0.5) is None
    assert Uplift(10, 5, 0, 0).difference is None
    with pytest.raises(PeriodError):
        Period.parse("2026-11-20", "2026-11-01", "Asia/Shanghai", date(2026, 12, 1))
    with pytest.raises(PeriodError):
        Period.parse("2026/11/20", None, "Asia/Shanghai", date(2026, 12, 1))
    default = Period.parse(None, None, "Asia/Shanghai", date(2026, 12, 1))
    assert default.first_day == date(2026, 11, 2) and len(default.days()) == 30


def test_repurchase_reminders_against_the_holdout(tmp_path):
    """One reminded buyer re-orders within 14 days, one held-out buyer does not: 1.0 against 0.0."""
    month_ago = T0 - 40 * 24 * H
    with fresh_database(tmp_path):
        seed_console_data()
        add_rows(reminder_row(make_order("chat-8", [("SOCKS", 1)], created_at=month_ago, status="paid",
                                         paid_at=month_ago), "repurchase", "sent", sent=T0, notice_key="SOCKS"),
                 reminder_row(make_order("imported-1", [("SOCKS", 1)], created_at=month_ago, status="paid",
                                         paid_at=month_ago), "repurchase", "holdout", notice_key="SOCKS"))
        make_order("chat-8", [("SOCKS", 2)], created_at=T0 + 24 * H, status="paid", paid_at=T0 + 24 * H)
        rows = in_uow(build_overview, PERIOD, now=T0 + 20 * 24 * H).tables["repurchase"].rows
    assert [(r["count"], r["reordered"], r["rate"]) for r in rows[:2]] == [(1, 1, 1.0), (1, 0, 0.0)]
    assert rows[2]["rate"] == 1.0
