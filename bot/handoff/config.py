"""The `handoff:` section of data/store/store.yml: escalation keywords, service hours, waiting limits.

Read on change like the rest of the store settings; a broken section is rejected with file, line and reason
and the last good settings keep serving (a missing section means the defaults below).
"""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

from bot.settings import get_settings
from bot.store.files import parsed_when_changed

log = logging.getLogger("store.handoff")
CLOCK = re.compile(r"^([01]\d|2[0-4]):([0-5]\d)$")
_LAST_GOOD: dict[Path, HandoffConfig] = {}


class HandoffConfigError(ValueError):
    def __init__(self, file: str, line: int, reason: str) -> None:
        super().__init__(f"{file}:{line}: {reason}")
        self.file, self.line, self.reason = file, line, reason


@dataclass(frozen=True)
class HandoffConfig:
    escalation_keywords: tuple[str, ...] = ()
    days: frozenset[int] = frozenset(range(1, 8))     # ISO weekdays, 1 = Monday
    opens: time = time(0, 0)
    closes: time | None = None                         # None: until midnight
    timezone: str = "Asia/Shanghai"
    claim_timeout_seconds: float = 120.0
    agent_offline_seconds: float = 30.0

    def escalation_in(self, text: str) -> str | None:
        """The first escalation keyword the text contains (case-insensitive), if any."""
        lowered = (text or "").lower()
        return next((k for k in self.escalation_keywords if k.lower() in lowered), None)

    def is_open(self, now: datetime) -> bool:
        local = now.astimezone(ZoneInfo(self.timezone))
        moment = local.time().replace(tzinfo=None)
        return local.isoweekday() in self.days and self.opens <= moment and (self.closes is None or moment < self.closes)

    def next_opening(self, now: datetime) -> datetime:
        """When humans next answer: now if open, else the next opening time (store time zone)."""
        if self.is_open(now):
            return now
        local = now.astimezone(ZoneInfo(self.timezone))
        for offset in range(8):
            day = (local + timedelta(days=offset)).date()
            start = datetime.combine(day, self.opens, tzinfo=local.tzinfo)
            if day.isoweekday() in self.days and start > local:
                return start
        return local


def _clock(value: Any, where: str) -> time | None:
    text = str(value)
    if not CLOCK.match(text):
        raise ValueError(f"{where}: '{text}' is not a time HH:MM (quote it in YAML)")
    hours, minutes = int(text[:2]), int(text[3:])
    if hours == 24:
        if minutes:
            raise ValueError(f"{where}: '{text}' is past 24:00")
        return None
    return time(hours, minutes)


def _seconds(raw: dict[str, Any], key: str, default: float) -> float:
    value = raw.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
        raise ValueError(f"{key}: must be a positive number of seconds, got {value!r}")
    return float(value)


def parse_handoff(raw: Any, timezone: str = "Asia/Shanghai") -> HandoffConfig:
    """Typed settings of a `handoff:` mapping; ValueError names the bad key."""
    if raw is None:
        return HandoffConfig(timezone=timezone)
    if not isinstance(raw, dict):
        raise ValueError("handoff: must be a mapping")
    words = raw.get("escalation_keywords") or []
    if not isinstance(words, list) or not all(isinstance(w, str | int) and str(w).strip() for w in words):
        raise ValueError("escalation_keywords: must be a list of words (for example [投诉, 315, 律师])")
    hours = raw.get("service_hours") or {}
    if not isinstance(hours, dict):
        raise ValueError("service_hours: must be a mapping with open, close and days")
    days = hours.get("days", list(range(1, 8)))
    if not isinstance(days, list) or not days or not all(isinstance(d, int) and 1 <= d <= 7 for d in days):
        raise ValueError("service_hours.days: must list weekdays 1 (Monday) to 7 (Sunday)")
    opens = _clock(hours.get("open", "00:00"), "service_hours.open") or time(0, 0)
    closes = _clock(hours.get("close", "24:00"), "service_hours.close")
    if closes is not None and closes <= opens:
        raise ValueError("service_hours: close must be later than open")
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"timezone: unknown time zone {timezone!r}") from exc
    return HandoffConfig(
        escalation_keywords=tuple(str(w).strip() for w in words), days=frozenset(days), opens=opens,
        closes=closes, timezone=timezone, claim_timeout_seconds=_seconds(raw, "claim_timeout_seconds", 120),
        agent_offline_seconds=_seconds(raw, "agent_offline_seconds", 30))


def _line_of(path: Path, key: str) -> int:
    """The line of `store.handoff` (or of the file start) for error messages."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip().startswith(f"{key}:"):
            return number
    return 1


def load_handoff_config(directory: Path | None = None) -> HandoffConfig:
    """The live settings; an invalid edit is logged with file and line, and the last good settings stay."""
    path = (directory or get_settings().store_data_dir) / "store.yml"
    try:
        config = parsed_when_changed(path, _from_document)
    except (yaml.YAMLError, ValueError):
        return _fallback(path, check_handoff_config(path) or HandoffConfigError(str(path), 1, "unreadable"))
    _LAST_GOOD[path] = config
    return config


def check_handoff_config(path: Path) -> HandoffConfigError | None:
    """The problem of the file's handoff section, if any, with its line."""
    try:
        _from_document(yaml.safe_load(path.read_text(encoding="utf-8")) or {})
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        return HandoffConfigError(str(path), mark.line + 1 if mark else 1, f"YAML syntax: {exc}")
    except ValueError as exc:
        return HandoffConfigError(str(path), _line_of(path, "handoff"), str(exc))
    return None


def _fallback(path: Path, error: HandoffConfigError) -> HandoffConfig:
    log.error("handoff settings rejected, the last good ones stay: %s", error)
    return _LAST_GOOD.get(path) or HandoffConfig()


def _from_document(document: dict[str, Any]) -> HandoffConfig:
    store = document.get("store") or {}
    return parse_handoff(store.get("handoff"), str(store.get("timezone", "Asia/Shanghai")))
