"""One concrete reason to pay now, taken from real data (stock, store promotions, shipping cut-off).

Nothing is invented: a reason is only offered when the data behind it exists and is true right now.
The script library words it through the fragment `pay_reason_<kind>`.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from typing import Any, Iterable, Sequence
from zoneinfo import ZoneInfo

from bot.catalog.products import LOW_STOCK
from bot.store.config import StoreConfig

# Order of preference for the first reminder; a follow-up takes the next one not used yet.
REASON_KINDS = ("low_stock", "coupon_expiry", "gift", "ship_today")
SERVICE = "service"        # follow-up fallback: the store's return promise (a reassurance angle)
PLAIN = "plain"            # nothing urgent is true: the order is simply kept for the shopper
COUPON_URGENT_HOURS = 48   # a coupon further from expiry is not a reason to hurry


@dataclass(frozen=True)
class PayReason:
    kind: str
    values: dict[str, str] = field(default_factory=dict)

    def as_argument(self) -> dict[str, str]:
        """The `pay_reason` argument: the renderer picks fragment `pay_reason_<kind>` for it."""
        return {"kind": self.kind, **self.values}


@dataclass(frozen=True)
class LineStock:
    name: str
    stock: int


def _parse_moment(value: Any, tz: ZoneInfo) -> datetime | None:
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, str) and value.strip():
        try:
            moment = datetime.fromisoformat(value.strip())
        except ValueError:
            return None
    else:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=tz)


def _hours_left(expires: datetime | None, now: datetime) -> int | None:
    if expires is None:
        return None
    seconds = (expires - now).total_seconds()
    return math.ceil(seconds / 3600) if seconds > 0 else None


def low_stock_reason(lines: Sequence[LineStock]) -> PayReason | None:
    scarce = [line for line in lines if 0 < line.stock <= LOW_STOCK]
    if not scarce:
        return None
    line = min(scarce, key=lambda l: l.stock)
    return PayReason("low_stock", {"product": line.name, "stock": str(line.stock)})


def coupon_expiry(coupon: dict[str, Any], ordered_at: datetime | None, tz: ZoneInfo) -> datetime | None:
    """An absolute `expires_at` / `valid_until`, or `expires_days` counted from the order (claimed at checkout)."""
    absolute = _parse_moment(coupon.get("expires_at") or coupon.get("valid_until"), tz)
    if absolute is not None:
        return absolute
    days = coupon.get("expires_days")
    if isinstance(days, (int, float)) and ordered_at is not None:
        return ordered_at + timedelta(days=days)
    return None


def coupon_reason(store: StoreConfig, total: float, now: datetime, ordered_at: datetime | None = None
                  ) -> PayReason | None:
    """A store coupon this order qualifies for that expires within COUPON_URGENT_HOURS."""
    tz = ZoneInfo(store.timezone)
    for coupon in store.promotions.get("coupons") or []:
        if float(coupon.get("min_spend", 0) or 0) > total:
            continue
        hours = _hours_left(coupon_expiry(coupon, ordered_at, tz), now)
        if hours is None or hours > COUPON_URGENT_HOURS:
            continue
        amount = coupon.get("amount")
        amount_text = f"{amount:g}" if isinstance(amount, (int, float)) else str(amount or "")
        return PayReason("coupon_expiry", {
            "coupon": str(coupon.get("name") or coupon.get("code") or amount_text),
            "amount": amount_text,
            "min_spend": f"{float(coupon.get('min_spend', 0) or 0):g}",
            "hours": str(hours),
        })
    return None


def gift_reason(store: StoreConfig, total: float, now: datetime) -> PayReason | None:
    """The store's pay-now gift when the order reaches its minimum spend, unless its end (if any) has passed."""
    gift = store.promotions.get("pay_now_gift")
    if not gift or not gift.get("name") or float(gift.get("min_spend", 0) or 0) > total:
        return None
    end = _parse_moment(gift.get("expires_at") or gift.get("until"), ZoneInfo(store.timezone))
    if end is not None and end <= now:
        return None
    values = {"gift": str(gift["name"])}
    hours = _hours_left(end, now)
    if hours is not None:
        values["hours"] = str(hours)
    return PayReason("gift", values)


def ship_today_reason(store: StoreConfig, now: datetime) -> PayReason | None:
    cutoff_text = str(store.shipping.get("same_day_cutoff") or "").strip()
    if not cutoff_text:
        return None
    try:
        cutoff = time.fromisoformat(cutoff_text)
    except ValueError:
        return None
    local = now.astimezone(ZoneInfo(store.timezone))
    if local.time().replace(tzinfo=None) >= cutoff:
        return None
    return PayReason("ship_today", {"cutoff": cutoff.strftime("%H:%M")})


def service_reason(store: StoreConfig) -> PayReason | None:
    days = store.returns.get("no_reason_days")
    return PayReason(SERVICE, {"no_reason_days": str(days)}) if days else None


def pay_reason(lines: Sequence[LineStock], total: float, store: StoreConfig, now: datetime | None = None,
               exclude: Iterable[str] = (), service_fallback: bool = False,
               ordered_at: datetime | None = None) -> PayReason:
    """The first applicable reason in REASON_KINDS order, skipping kinds in `exclude`.

    `service_fallback` (follow-ups): when no other reason is left, the store's return promise.
    With nothing true to say, the PLAIN reason (the order is kept for the shopper).
    """
    now = now or datetime.now(UTC)
    skip = set(exclude)
    finders = {
        "low_stock": lambda: low_stock_reason(lines),
        "coupon_expiry": lambda: coupon_reason(store, total, now, ordered_at),
        "gift": lambda: gift_reason(store, total, now),
        "ship_today": lambda: ship_today_reason(store, now),
    }
    for kind in REASON_KINDS:
        if kind not in skip:
            found = finders[kind]()
            if found is not None:
                return found
    if service_fallback and SERVICE not in skip:
        found = service_reason(store)
        if found is not None:
            return found
    return PayReason(PLAIN)
