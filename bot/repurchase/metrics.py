"""Do repurchase reminders bring buyers back? Re-orders within 14 days of the reminder, against the holdout.

A reminded row counts from its `sent_at`, a holdout row (never sent) from its `due_at`; a re-order is a
purchase (paid, shipped or delivered) of the same sku by the same buyer inside that window. Split by item
category and by script variant (script_deliveries, recorded by the NLG for track id 'reminder:<id>').
`repurchase_metric()` is a plain function: the report command and the manager console's overview call it.
"""
from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime, timedelta
from typing import Any

from bot.clock import as_utc
from bot.db.uow import AbstractUnitOfWork

WINDOW_DAYS = 14


def _rate(hits: int, total: int) -> float | None:
    return round(hits / total, 4) if total else None


def _uplift(a: float | None, b: float | None) -> float | None:
    return round(a - b, 4) if a is not None and b is not None else None


def _counts() -> list[int]:
    return [0, 0, 0, 0]       # reminded, reordered, holdout, holdout reordered


def repurchase_metric(uow: AbstractUnitOfWork, now: datetime | None = None,
                      window_days: int = WINDOW_DAYS) -> dict[str, Any]:
    """The repurchase reminders' effect as plain JSON-ready data (rates are shares, uplift in share points)."""
    now, window = now or datetime.now(UTC), timedelta(days=window_days)
    rows = uow.reminders.repurchase_outcomes()
    customers = {r.customer_id for r, _ in rows}
    bought: dict[tuple[str, str], list[datetime]] = defaultdict(list)
    if customers:
        for customer, sku, at in uow.purchases.bought_at(customers):
            bought[(customer, sku)].append(at)
    deliveries = uow.deliveries.first_by_track(
        f"reminder:{r.id}" for r, _ in rows if r.state == "sent")
    by_category: dict[str, list[int]] = defaultdict(_counts)
    by_variant: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    open_windows = 0
    for row, category in rows:
        start = as_utc(row.sent_at) if row.state == "sent" else as_utc(row.due_at)
        if start is None or start > now:
            continue                                     # a holdout row not due yet
        open_windows += start + window > now
        back = any(start < at <= start + window for at in bought[(row.customer_id, row.notice_key)])
        counts = by_category[category]
        offset = 0 if row.state == "sent" else 2
        counts[offset] += 1
        counts[offset + 1] += back
        if row.state == "sent":
            delivery = deliveries.get(f"reminder:{row.id}")
            variant = by_variant[(delivery.response, delivery.variant) if delivery else ("unrecorded", "-")]
            variant[0] += 1
            variant[1] += back
    totals = [sum(c[i] for c in by_category.values()) for i in range(4)]
    return {
        "window_days": window_days,
        "reminded": {"count": totals[0], "reordered": totals[1], "rate": _rate(totals[1], totals[0])},
        "holdout": {"count": totals[2], "reordered": totals[3], "rate": _rate(totals[3], totals[2])},
        "uplift": _uplift(_rate(totals[1], totals[0]), _rate(totals[3], totals[2])),
        "by_category": [
            {"category": name, "reminded": c[0], "reordered": c[1], "rate": _rate(c[1], c[0]),
             "holdout": c[2], "holdout_reordered": c[3], "holdout_rate": _rate(c[3], c[2]),
             "uplift": _uplift(_rate(c[1], c[0]), _rate(c[3], c[2]))}
            for name, c in sorted(by_category.items())],
        "by_variant": [{"response": r, "variant": v, "sent": n, "reordered": k, "rate": _rate(k, n)}
                       for (r, v), (n, k) in sorted(by_variant.items())],
        "open_windows": open_windows,
    }
