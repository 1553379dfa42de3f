"""`python -m bot.reminders.report [--json]`: what the reminders did and whether they work.

- outbox states (kind, state, skip reason);
- messages sent by kind and angle, with orders paid within 24 h of the message (recovery rate);
- recovery per script variant (from script_deliveries, recorded by the NLG for track_id 'reminder:<id>');
- the holdout group's 24 h pay rate against the reminded group's (uplift);
- repurchase reminders (追销): re-orders within 14 days against their holdout, per category and script variant
  (bot/repurchase/metrics.py).
"""
from __future__ import annotations

import argparse
import json
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from typing import Any

from bot.clock import as_utc
from bot.db.models import Order
from bot.db.uow import AbstractUnitOfWork, run_in_unit_of_work
from bot.reminders.tables import KINDS, PAYMENT_KINDS, Reminder
from bot.repurchase.metrics import repurchase_metric

WINDOW = timedelta(hours=24)


def _paid_within(order: Order, start: datetime) -> bool:
    paid_at = as_utc(order.paid_at)
    return paid_at is not None and start <= paid_at <= start + WINDOW


def _unpaid_at(order: Order, moment: datetime) -> bool:
    paid_at, cancelled_at = as_utc(order.paid_at), as_utc(order.cancelled_at)
    return (paid_at is None or paid_at >= moment) and (cancelled_at is None or cancelled_at >= moment)


def _rate(hits: int, total: int) -> float | None:
    return round(hits / total, 4) if total else None


def _group(pairs: list[tuple[Reminder, Order]], key, start) -> list[dict[str, Any]]:
    groups: dict[tuple, list[int]] = defaultdict(lambda: [0, 0])
    for reminder, order in pairs:
        counts = groups[key(reminder)]
        counts[0] += 1
        counts[1] += _paid_within(order, start(reminder))
    return [{**dict(zip(("a", "b"), k, strict=False)), "sent": n, "paid_24h": paid, "recovery_rate": _rate(paid, n)}
            for k, (n, paid) in sorted(groups.items(), key=lambda item: tuple(str(x) for x in item[0]))]


def build_report(uow: AbstractUnitOfWork, now: datetime | None = None) -> dict[str, Any]:
    now = now or datetime.now(UTC)
    repo = uow.reminders
    states = [{"kind": k, "state": s, "skip_reason": r, "count": c} for k, s, r, c in repo.state_counts()]
    sent = list(repo.with_orders(KINDS, ("sent",)))
    holdouts = list(repo.with_orders(("first",), ("holdout",)))
    payment = [(r, o) for r, o in sent if r.kind in PAYMENT_KINDS]
    deliveries = uow.deliveries.first_by_track(f"reminder:{r.id}" for r, _ in payment)
    sent_at = lambda r: as_utc(r.sent_at)  # noqa: E731

    by_angle = [{"kind": g.pop("a"), "angle": g.pop("b"), **g}
                for g in _group(sent, lambda r: (r.kind, r.angle or "unknown"), sent_at)]
    for row in by_angle:
        if row["kind"] not in PAYMENT_KINDS:  # notices and repurchase reminders: measured otherwise
            row.pop("paid_24h"), row.pop("recovery_rate")

    def variant_key(r: Reminder) -> tuple[str, str]:
        delivery = deliveries.get(f"reminder:{r.id}")
        return (delivery.response, delivery.variant) if delivery else ("unrecorded", "-")

    by_variant = [{"response": g.pop("a"), "variant": g.pop("b"), **g}
                  for g in _group(payment, variant_key, sent_at)]

    firsts = [(r, o) for r, o in payment if r.kind == "first"]
    reminded_paid = sum(_paid_within(o, as_utc(r.sent_at)) for r, o in firsts)
    eligible = [(r, o) for r, o in holdouts if as_utc(r.due_at) <= now and _unpaid_at(o, as_utc(r.due_at))]
    holdout_paid = sum(_paid_within(o, as_utc(r.due_at)) for r, o in eligible)
    open_windows = sum(as_utc(r.sent_at) + WINDOW > now for r, _ in firsts) + \
        sum(as_utc(r.due_at) + WINDOW > now for r, _ in eligible)
    reminded_rate, holdout_rate = _rate(reminded_paid, len(firsts)), _rate(holdout_paid, len(eligible))
    uplift = round(reminded_rate - holdout_rate, 4) if reminded_rate is not None and holdout_rate is not None else None
    return {
        "generated_at": now.isoformat(),
        "states": states,
        "sent_by_kind_and_angle": by_angle,
        "recovery_by_variant": by_variant,
        "reminded": {"orders": len(firsts), "paid_24h": reminded_paid, "pay_rate": reminded_rate},
        "holdout": {"orders": len(eligible), "paid_24h": holdout_paid, "pay_rate": holdout_rate},
        "uplift": uplift,
        "open_windows": open_windows,
        "repurchase": repurchase_metric(uow, now),
    }


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value * 100:.1f}%"


def _points(value: float | None) -> str:
    return "-" if value is None else f"{value * 100:+.1f} pp"


def format_report(report: dict[str, Any]) -> str:
    lines = [f"Reminder report ({report['generated_at']})", "", "Outbox:"]
    lines += [f"  {s['kind']:<10} {s['state']:<8} {s['skip_reason'] or '':<14} {s['count']:>6}"
              for s in report["states"]] or ["  (empty)"]
    lines += ["", "Sent by kind and angle (paid within 24 h):"]
    lines += [f"  {r['kind']:<10} {r['angle']:<14} sent {r['sent']:>5}"
              + (f"  paid {r['paid_24h']:>5}  {_pct(r['recovery_rate']):>6}" if "paid_24h" in r else "")
              for r in report["sent_by_kind_and_angle"]] or ["  (none)"]
    lines += ["", "Recovery by script variant:"]
    lines += [f"  {r['response']:<28} #{r['variant']:<4} sent {r['sent']:>5}  paid {r['paid_24h']:>5}  "
              f"{_pct(r['recovery_rate']):>6}" for r in report["recovery_by_variant"]] or ["  (none)"]
    reminded, holdout = report["reminded"], report["holdout"]
    lines += ["", "Uplift (first reminder vs holdout, paid within 24 h):",
              f"  reminded {reminded['orders']:>5} orders  paid {reminded['paid_24h']:>5}  {_pct(reminded['pay_rate'])}",
              f"  holdout  {holdout['orders']:>5} orders  paid {holdout['paid_24h']:>5}  {_pct(holdout['pay_rate'])}",
              f"  uplift   {_points(report['uplift'])}",
              f"  ({report['open_windows']} of these orders are still inside their 24 h window)"]
    return "\n".join(lines + format_repurchase(report["repurchase"]))


def format_repurchase(metric: dict[str, Any]) -> list[str]:
    days, reminded, holdout = metric["window_days"], metric["reminded"], metric["holdout"]
    lines = ["", f"Repurchase reminders (re-ordered within {days} days):",
             f"  reminded {reminded['count']:>5}  re-ordered {reminded['reordered']:>5}  {_pct(reminded['rate'])}",
             f"  holdout  {holdout['count']:>5}  re-ordered {holdout['reordered']:>5}  {_pct(holdout['rate'])}",
             f"  uplift   {_points(metric['uplift'])}", "  by category:"]
    lines += [f"    {c['category']:<8} reminded {c['reminded']:>4} {_pct(c['rate']):>6}  holdout {c['holdout']:>4} "
              f"{_pct(c['holdout_rate']):>6}  uplift {_points(c['uplift'])}" for c in metric["by_category"]] or ["    (none)"]
    lines += ["  by script variant:"]
    lines += [f"    {v['response']:<28} #{v['variant']:<4} sent {v['sent']:>5}  re-ordered {v['reordered']:>5}  "
              f"{_pct(v['rate']):>6}" for v in metric["by_variant"]] or ["    (none)"]
    lines.append(f"  ({metric['open_windows']} of these are still inside their {days}-day window)")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    args = parser.parse_args()
    report = run_in_unit_of_work(build_report)          # the command's one unit of work
    print(json.dumps(report, ensure_ascii=False, indent=2) if args.json else format_report(report))


if __name__ == "__main__":
    main()
