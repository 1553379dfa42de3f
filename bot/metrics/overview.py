"""The overview of one period: every figure of the console's first page, as tables (page, charts and CSV)."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from bot.clock import as_utc
from bot.db.uow import AbstractUnitOfWork
from bot.handoff.reasons import reason_label
from bot.metrics.period import Period
from bot.metrics.repository import ConversationRow, OverviewRepository
from bot.metrics.stats import Uplift, percentile, rate
from bot.reminders.tables import PAYMENT_KINDS
from bot.repurchase.metrics import repurchase_metric

SLOW_SECONDS = 5.0
PAY_WINDOW = timedelta(hours=24)
FIRST_RESPONSE_BUCKETS = ((0, 1), (1, 2), (2, 3), (3, 5), (5, 10), (10, None))
# Handoff reason codes (actions/service.py, and the agent workspace's) as the overview names them.
SUGGESTION_KINDS = ("substitute", "complementary", "latent", "scene", "bundle", "multibuy", "popular")


@dataclass
class Table:
    """One table of the overview: `columns` are (key, Chinese label); rows are dicts by key."""

    name: str
    title: str
    columns: list[tuple[str, str]]
    rows: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class Overview:
    period: Period
    figures: dict[str, Any]
    tables: dict[str, Table]
    uplift: Uplift


def _paid_in_window(paid_at: Any, start: datetime) -> bool:
    paid = as_utc(paid_at)
    return paid is not None and start <= paid <= start + PAY_WINDOW


def _unpaid_at(paid_at: Any, cancelled_at: Any, moment: datetime) -> bool:
    paid, cancelled = as_utc(paid_at), as_utc(cancelled_at)
    return (paid is None or paid >= moment) and (cancelled is None or cancelled >= moment)


def _reminder_uplift(q: OverviewRepository, period: Period, now: datetime) -> tuple[Uplift, int]:
    """First reminders sent in the period against the holdout due in it (paid within 24 h); and all sent."""
    firsts = q.reminders(period, ("first",), "sent", "sent_at")
    holdouts = [(as_utc(due), paid, cancelled)
                for due, paid, cancelled in q.reminders(period, ("first",), "holdout", "due_at")]
    eligible = [(due, paid) for due, paid, cancelled in holdouts if due <= now and _unpaid_at(paid, cancelled, due)]
    uplift = Uplift(treated=len(firsts), treated_hits=sum(_paid_in_window(p, as_utc(s)) for s, p, _ in firsts),
                    control=len(eligible), control_hits=sum(_paid_in_window(p, d) for d, p in eligible))
    return uplift, len(q.reminders(period, PAYMENT_KINDS, "sent", "sent_at"))


def _order_rows(paid: dict[bool, dict[str, float]]) -> list[dict[str, Any]]:
    rows = []
    for flag, label in ((True, "客服会话促成"), (False, "其他订单")):
        g = paid[flag]
        rows.append({"group": label, "orders": g["orders"], "buyers": g["buyers"], "items": g["items"],
                     "amount": round(g["amount"], 2), "items_per_order": rate(g["items"], g["orders"]),
                     "aov": None if not g["buyers"] else round(g["amount"] / g["buyers"], 2)})
    return rows


def _daily(period: Period, rows: list[ConversationRow]) -> list[dict]:
    total: Counter = Counter()
    human: Counter = Counter()
    for row in rows:
        day = period.day_of(row.first_message_at)
        total[day] += 1
        human[day] += row.handed
    return [{"day": d.isoformat(), "conversations": total[d], "handed_over": human[d],
             "automation_rate": rate(total[d] - human[d], total[d])} for d in period.days()]


def _buckets(seconds: list[float]) -> list[dict[str, Any]]:
    rows = []
    for low, high in FIRST_RESPONSE_BUCKETS:
        count = sum(low < s <= high if high is not None else s > low for s in seconds) + \
            (sum(s == 0 for s in seconds) if low == 0 else 0)
        rows.append({"bucket": f"{low}-{high} 秒" if high is not None else f"{low} 秒以上", "conversations": count,
                     "share": rate(count, len(seconds))})
    return rows


def build_overview(uow: AbstractUnitOfWork, period: Period, now: datetime | None = None) -> Overview:
    now = now or datetime.now(UTC)
    q = uow.overview
    rows = q.conversation_rows(period)
    reasons = q.handoff_reasons(period)
    paid = q.paid_orders(period)
    suggestions = q.suggestions(period)
    uplift, reminders_sent = _reminder_uplift(q, period, now)
    runs, passed = q.training(period)
    repurchase = repurchase_metric(uow, now)
    n = len(rows)
    handed, fallback = sum(r.handed for r in rows), sum(r.fallback for r in rows)
    unanswered, ordering = sum(r.unanswered for r in rows), sum(r.ordered for r in rows)
    seconds = sorted(r.first_response_seconds for r in rows if r.first_response_seconds is not None)
    figures = {
        "conversations": n, "handed_over": handed, "handoff_rate": rate(handed, n),
        "automation_rate": rate(n - handed, n),
        "first_response_measured": len(seconds), "first_response_p50": percentile(seconds, 0.5),
        "first_response_p95": percentile(seconds, 0.95),
        "first_response_over_5s": rate(sum(s > SLOW_SECONDS for s in seconds), len(seconds)),
        "fallback_conversations": fallback, "fallback_rate": rate(fallback, n),
        "unanswered_conversations": unanswered, "unanswered_rate": rate(unanswered, n),
        "ordering_conversations": ordering, "conversation_conversion": rate(ordering, n),
        "assisted_orders": int(paid[True]["orders"]),
        "reminders_sent": reminders_sent, "reminders_recovered": uplift.treated_hits,
        "reminder_pay_rate": uplift.treated_rate, "holdout_pay_rate": uplift.control_rate,
        "reminder_uplift": uplift.difference, "reminder_uplift_ci": uplift.interval,
        "training_runs": runs, "training_passed": passed, "training_pass_rate": rate(passed, runs),
    }
    tables = _tables(period, figures, rows, reasons, paid, suggestions, uplift)
    tables["repurchase"] = _repurchase_table(repurchase)
    tables["first_response"] = Table("first_response", "首次响应时间分布", [
        ("bucket", "首次响应"), ("conversations", "会话数"), ("share", "占比")], _buckets(seconds))
    return Overview(period, figures, tables, uplift)


def _repurchase_table(metric: dict) -> Table:
    """Re-orders of the same item within the window after a repurchase reminder, against the holdout (all time)."""
    rows = [{"group": "收到追销提醒", **{k: metric["reminded"][k] for k in ("count", "reordered", "rate")}},
            {"group": "对照组（不提醒）", **{k: metric["holdout"][k] for k in ("count", "reordered", "rate")}},
            {"group": "提升", "count": None, "reordered": None, "rate": metric["uplift"]}]
    return Table("repurchase", f"追销效果（提醒后 {metric['window_days']} 天内回购，全部时间）",
                 [("group", "组"), ("count", "人次"), ("reordered", "回购"), ("rate", "回购率")], rows)


def _tables(period, figures, rows, reasons, paid, suggestions, uplift: Uplift) -> dict[str, Table]:
    n = figures["conversations"]
    counts = {(k, e): c for k, e, c in suggestions}
    kinds = list(SUGGESTION_KINDS) + sorted({k for k, _ in counts} - set(SUGGESTION_KINDS))
    ci = uplift.interval
    tables = [
        Table("summary", "核心指标", [("metric", "指标"), ("value", "数值")],
              [{"metric": k, "value": v if not isinstance(v, tuple) else f"{v[0]}~{v[1]}"} for k, v in
               figures.items()]),
        Table("daily", "每日会话", [("day", "日期"), ("conversations", "会话数"), ("handed_over", "转人工"),
                                ("automation_rate", "机器人独立解决率")], _daily(period, rows)),
        Table("handoff_reasons", "转人工原因", [("label", "原因"), ("reason", "代码"), ("conversations", "会话数"),
                                            ("share", "占会话比例")],
              [{"label": reason_label(r), "reason": r, "conversations": c, "share": rate(c, n)}
               for r, c in reasons]),
        Table("orders", "会话促成订单与其他订单", [("group", "订单来源"), ("orders", "已付订单"), ("buyers", "付款买家"),
              ("items", "件数"), ("items_per_order", "每单件数"), ("amount", "付款金额"), ("aov", "客单价")],
              _order_rows(paid)),
        Table("recommendations", "推荐展示与接受", [("kind", "推荐类型"), ("shown", "展示"), ("accepted", "接受"),
              ("acceptance_rate", "接受率")],
              [{"kind": k, "shown": counts.get((k, "shown"), 0), "accepted": counts.get((k, "accepted"), 0),
                "acceptance_rate": rate(counts.get((k, "accepted"), 0), counts.get((k, "shown"), 0))}
               for k in kinds]),
        Table("reminders", "催付效果（24 小时内付款）", [("group", "组"), ("orders", "订单"), ("paid_24h", "24 小时内付款"),
              ("pay_rate", "付款率")],
              [{"group": "催付组", "orders": uplift.treated, "paid_24h": uplift.treated_hits,
                "pay_rate": uplift.treated_rate},
               {"group": "对照组（不催付）", "orders": uplift.control, "paid_24h": uplift.control_hits,
                "pay_rate": uplift.control_rate},
               {"group": "提升（95% 置信区间）", "orders": None, "paid_24h": None,
                "pay_rate": None if uplift.difference is None else f"{uplift.difference} ({ci[0]}~{ci[1]})"
                if ci else uplift.difference}]),
        Table("training", "培训", [("runs", "练习次数"), ("passed", "通过"), ("pass_rate", "通过率")],
              [{"runs": figures["training_runs"], "passed": figures["training_passed"],
                "pass_rate": figures["training_pass_rate"]}]),
    ]
    return {t.name: t for t in tables}
