"""CSV downloads of console tables (UTF-8 with BOM so that Excel opens Chinese headers correctly)."""
from __future__ import annotations

import csv
import io
from typing import Any, Iterable
from urllib.parse import quote

from sanic import response


def csv_text(columns: list[tuple[str, str]], rows: Iterable[dict[str, Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([key for key, _ in columns])
    writer.writerow([label for _, label in columns])
    for row in rows:
        writer.writerow(["" if row.get(k) is None else _safe(row.get(k)) for k, _ in columns])
    return buffer.getvalue()


def _safe(value: Any) -> Any:
    """Cells that a spreadsheet would run as a formula get a leading apostrophe (CSV injection)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@") and not _number(value):
        return "'" + value
    return value


def _number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def csv_response(filename: str, columns: list[tuple[str, str]], rows: Iterable[dict[str, Any]]):
    body = "\ufeff" + csv_text(columns, rows)
    return response.text(body, content_type="text/csv; charset=utf-8", headers={
        "Content-Disposition": f"attachment; filename*=UTF-8''{quote(filename)}"})
