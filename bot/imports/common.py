"""What both imports share: the report of a dry run or an applied import, and cell parsers."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

LIST_SPLIT = re.compile(r"\s*[|、;；]\s*")
MAX_REJECTED_SHOWN = 1000


class RowError(ValueError):
    """One row cannot be imported; the message (Chinese) says why."""


@dataclass
class ImportReport:
    kind: str                                  # products | orders
    rows: int = 0
    accepted: int = 0
    new: int = 0
    updated: int = 0
    rejected: list[tuple[int, str]] = field(default_factory=list)
    applied: bool = False
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "rows": self.rows, "accepted": self.accepted, "new": self.new,
                "updated": self.updated, "rejected_count": len(self.rejected), "applied": self.applied,
                "rejected": [{"row": r, "reason": why} for r, why in self.rejected[:MAX_REJECTED_SHOWN]],
                "seconds": round(self.seconds, 3), "notes": self.notes}


def split_list(text: str) -> list[str]:
    return [p for p in LIST_SPLIT.split(text.strip()) if p] if text.strip() else []


def number(text: str, column: str, minimum: float | None = None) -> float:
    try:
        value = float(text.replace(",", "").replace("¥", "").replace("元", ""))
    except ValueError:
        raise RowError(f"{column} 不是数字：{text!r}") from None
    if value != value or value in (float("inf"), float("-inf")):
        raise RowError(f"{column} 不是有效数字：{text!r}")
    if minimum is not None and value < minimum:
        raise RowError(f"{column} 不能小于 {minimum:g}：{text}")
    return value


def integer(text: str, column: str, minimum: int = 0) -> int:
    value = number(text, column, minimum)
    if not value.is_integer():
        raise RowError(f"{column} 应为整数：{text}")
    return int(value)


def moment(text: str, column: str, zone: str) -> datetime:
    """A time in the store's zone (`2026-11-20 10:00[:00]`, ISO with or without offset) as UTC."""
    cleaned = text.strip().replace("/", "-")
    try:
        value = datetime.fromisoformat(cleaned)
    except ValueError:
        raise RowError(f"{column} 时间格式应为 YYYY-MM-DD HH:MM:SS：{text!r}") from None
    if value.tzinfo is None:
        value = value.replace(tzinfo=ZoneInfo(zone))
    return value.astimezone(UTC)


def text_field(row: dict[str, str], column: str, limit: int, required: bool = False) -> str:
    value = row.get(column, "").strip()
    if required and not value:
        raise RowError(f"缺少 {column}")
    if len(value) > limit:
        raise RowError(f"{column} 超过 {limit} 个字符")
    return value
