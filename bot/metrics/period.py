"""The period the overview covers: whole days in the store's time zone, stored as a UTC half-open interval."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.clock import as_utc

MAX_DAYS = 366


class PeriodError(ValueError):
    """A period the manager typed that cannot be used (message in Chinese, shown on the page)."""


@dataclass(frozen=True)
class Period:
    start: datetime   # inclusive, UTC
    end: datetime     # exclusive, UTC
    first_day: date
    last_day: date
    zone: str = "Asia/Shanghai"

    @classmethod
    def of_days(cls, first: date, last: date, zone: str = "Asia/Shanghai") -> Period:
        if last < first:
            raise PeriodError("结束日期不能早于开始日期")
        if (last - first).days >= MAX_DAYS:
            raise PeriodError(f"一次最多查看 {MAX_DAYS} 天")
        tz = ZoneInfo(zone)
        start = datetime.combine(first, time(), tz).astimezone(UTC)
        end = datetime.combine(last + timedelta(days=1), time(), tz).astimezone(UTC)
        return cls(start, end, first, last, zone)

    @classmethod
    def parse(cls, first: str | None, last: str | None, zone: str, today: date, default_days: int = 30) -> Period:
        """From `YYYY-MM-DD` strings (either may be empty: the last `default_days` days up to today)."""
        try:
            last_day = date.fromisoformat(last) if last else today
            first_day = date.fromisoformat(first) if first else last_day - timedelta(days=default_days - 1)
        except ValueError as exc:
            raise PeriodError("日期格式应为 YYYY-MM-DD") from exc
        return cls.of_days(first_day, last_day, zone)

    def day_of(self, moment: datetime) -> date:
        """The store-local day of a UTC moment (naive values are UTC)."""
        return as_utc(moment).astimezone(ZoneInfo(self.zone)).date()

    def days(self) -> list[date]:
        return [self.first_day + timedelta(days=i) for i in range((self.last_day - self.first_day).days + 1)]
