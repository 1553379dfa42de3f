"""Reminder settings (bot/settings.py plus the scheduler's own knobs), quiet hours and the holdout draw."""
from __future__ import annotations

import hashlib
import logging
import os
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.settings import get_settings
from bot.store.config import load_store

log = logging.getLogger("store.reminders")
DEFAULT_TIMEZONE = "Asia/Shanghai"


def _float(name: str, default: float) -> float:
    return float(os.environ.get(name, default))


@dataclass(frozen=True)
class ReminderConfig:
    delay_seconds: int = 600
    followup_seconds: int = 1800          # 0 disables the follow-up
    cap_hours: float = 24.0
    quiet_hours: str = "22:00-08:00"      # store-local; empty or "off" disables
    timezone: str = DEFAULT_TIMEZONE
    holdout_share: float = 0.1
    lease_seconds: float = 60.0           # must exceed tracker_timeout * 2 + send_timeout
    send_timeout: float = 20.0
    tracker_timeout: float = 5.0
    busy_seconds: float = 30.0            # shopper typed within this -> defer until quiet that long
    handoff_defer_seconds: float = 300.0
    retry_seconds: float = 60.0           # first back-off after a failed send (doubles, max 1 h)
    notice_cap_per_order: int = 3         # change notices per order in cap_hours
    notice_cap_per_shopper: int = 5       # change notices per shopper in cap_hours
    plan_window_hours: float = 24.0       # only orders this recent get a first reminder planned
    stale_hours: float = 48.0             # a payment reminder for an older order is skipped('stale')
    notice_window_days: float = 14.0      # orders this recent get stock-out / delay notices
    repurchase_lead_days: float = 3.0     # remind this long before the predicted run-out
    repurchase_grace_days: float = 3.0    # still worth a reminder this long after the run-out, then 'stale'
    repurchase_history_days: float = 365.0  # purchases this recent feed the prediction
    repurchase_plan_seconds: float = 300.0  # how often the scheduler re-plans repurchase reminders
    trouble_hours: float = 72.0           # no reminder this long after a complaint or refund request
    tick_seconds: float = 1.0
    batch_size: int = 20
    rasa_url: str = "http://localhost:5005"

    @classmethod
    def from_env(cls) -> ReminderConfig:
        settings = get_settings()
        config = cls(
            delay_seconds=settings.reminder_delay_seconds,
            followup_seconds=settings.reminder_followup_seconds,
            cap_hours=float(settings.reminder_cap_hours),
            quiet_hours=settings.quiet_hours,
            timezone=store_timezone(),
            holdout_share=settings.holdout_share,
            lease_seconds=_float("REMINDER_LEASE_SECONDS", 60),
            send_timeout=_float("REMINDER_SEND_TIMEOUT", 20),
            tracker_timeout=_float("REMINDER_TRACKER_TIMEOUT", 5),
            busy_seconds=_float("REMINDER_BUSY_SECONDS", 30),
            handoff_defer_seconds=_float("REMINDER_HANDOFF_DEFER_SECONDS", 300),
            retry_seconds=_float("REMINDER_RETRY_SECONDS", 60),
            notice_cap_per_order=int(_float("NOTICE_CAP_PER_ORDER", 3)),
            notice_cap_per_shopper=int(_float("NOTICE_CAP_PER_SHOPPER", 5)),
            plan_window_hours=_float("REMINDER_PLAN_WINDOW_HOURS", 24),
            stale_hours=_float("REMINDER_STALE_HOURS", 48),
            notice_window_days=_float("REMINDER_NOTICE_WINDOW_DAYS", 14),
            repurchase_lead_days=settings.repurchase_lead_days,
            repurchase_grace_days=_float("REPURCHASE_GRACE_DAYS", 3),
            repurchase_history_days=_float("REPURCHASE_HISTORY_DAYS", 365),
            repurchase_plan_seconds=_float("REPURCHASE_PLAN_SECONDS", 300),
            trouble_hours=_float("REMINDER_TROUBLE_HOURS", 72),
            tick_seconds=_float("REMINDER_TICK_SECONDS", 1),
            batch_size=int(_float("REMINDER_BATCH_SIZE", 20)),
            rasa_url=settings.rasa_url,
        )
        if config.lease_seconds <= 2 * config.tracker_timeout + config.send_timeout:
            log.warning("REMINDER_LEASE_SECONDS=%s is not longer than two tracker reads plus a send (%s s): "
                        "a slow send could be taken over and repeated", config.lease_seconds,
                        2 * config.tracker_timeout + config.send_timeout)
        return config


def store_timezone() -> str:
    """The store's timezone from store.yml (the default when the store file is not there yet)."""
    try:
        return load_store().timezone or DEFAULT_TIMEZONE
    except (FileNotFoundError, KeyError) as exc:
        log.warning("store settings unavailable (%s); quiet hours use %s", exc, DEFAULT_TIMEZONE)
        return DEFAULT_TIMEZONE


def parse_quiet_hours(spec: str) -> tuple[time, time] | None:
    """'22:00-08:00' -> (22:00, 08:00); '', 'off' or an empty span -> None."""
    spec = (spec or "").strip().lower()
    if spec in ("", "off", "none"):
        return None
    start_text, end_text = (part.strip() for part in spec.split("-", 1))
    start, end = time.fromisoformat(start_text), time.fromisoformat(end_text)
    return None if start == end else (start, end)


def quiet_until(now: datetime, spec: str, tz_name: str) -> datetime | None:
    """When `now` (aware) falls in quiet hours, the UTC moment they end; otherwise None."""
    span = parse_quiet_hours(spec)
    if span is None:
        return None
    start, end = span
    local = now.astimezone(ZoneInfo(tz_name))
    clock = local.time().replace(tzinfo=None)
    if start < end:
        inside = start <= clock < end
    else:  # the span crosses midnight
        inside = clock >= start or clock < end
    if not inside:
        return None
    end_day = local.date() if clock < end else local.date() + timedelta(days=1)
    ending = datetime.combine(end_day, end, tzinfo=ZoneInfo(tz_name))
    return ending.astimezone(UTC)


def in_holdout(order_id: str, share: float) -> bool:
    """Deterministic control-group draw: the same order (or 'order/sku' key) always lands in the same group."""
    if share <= 0:
        return False
    digest = hashlib.sha256(f"reminder-holdout/{order_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64 < share
