"""When will a buyer's consumable run out? From quantity x `consumable_days`, then from their own pace.

A single purchase lasts `qty * consumable_days`. Once the buyer has re-ordered, their own days per unit
(time between purchases divided by the units bought before each) replaces the catalog's figure, kept within
a sane band of it so that one odd gap (a gift, a stock-up) does not move the reminder by months.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Sequence

MIN_PACE, MAX_PACE = 0.5, 2.0   # the buyer's own days per unit, as a share of the catalog's


@dataclass(frozen=True)
class Purchase:
    order_id: str
    at: datetime
    qty: int


@dataclass(frozen=True)
class Prediction:
    order_id: str            # the latest purchase, which the reminder belongs to
    bought_at: datetime
    qty: int
    days_per_unit: float
    basis: str               # "catalog" (one purchase) | "own_pace" (re-ordered at least once)
    run_out_at: datetime

    def remind_at(self, lead_days: float) -> datetime:
        return self.run_out_at - timedelta(days=lead_days)


def own_days_per_unit(purchases: Sequence[Purchase]) -> float | None:
    """Days one unit lasted this buyer, from consecutive purchases (None before the first re-order)."""
    ordered = sorted(purchases, key=lambda p: p.at)
    if len(ordered) < 2:
        return None
    days = (ordered[-1].at - ordered[0].at).total_seconds() / 86400
    units = sum(p.qty for p in ordered[:-1])
    return days / units if units > 0 and days > 0 else None


def predict(purchases: Sequence[Purchase], consumable_days: float) -> Prediction | None:
    """The run-out of the latest purchase; None without purchases or for a product that is not consumable."""
    if not purchases or not consumable_days or consumable_days <= 0:
        return None
    latest = max(purchases, key=lambda p: p.at)
    own = own_days_per_unit(purchases)
    if own is None:
        pace, basis = float(consumable_days), "catalog"
    else:
        pace, basis = min(max(own, MIN_PACE * consumable_days), MAX_PACE * consumable_days), "own_pace"
    qty = max(latest.qty, 1)
    return Prediction(latest.order_id, latest.at, qty, pace, basis, latest.at + timedelta(days=pace * qty))
