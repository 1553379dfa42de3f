"""Rows of an uploaded table (CSV in UTF-8 or GB18030, or the first sheet of an .xlsx), header names mapped."""
from __future__ import annotations

import csv
import io
from datetime import date, datetime
from typing import Iterator


class ImportFileError(ValueError):
    """The file cannot be read at all (message in Chinese, shown to the manager)."""


def _text(data: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportFileError("无法识别文件编码：请另存为 UTF-8 编码的 CSV 或 Excel (.xlsx) 文件")


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _xlsx_rows(data: bytes) -> Iterator[list[str]]:
    from openpyxl import load_workbook  # deferred: only an Excel upload needs openpyxl

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:   # openpyxl raises many kinds for a broken file
        raise ImportFileError(f"无法读取 Excel 文件：{exc.__class__.__name__}") from exc
    try:
        for row in book.worksheets[0].iter_rows(values_only=True):
            yield [_cell(v) for v in row]
    finally:
        book.close()


def _csv_rows(text: str) -> Iterator[list[str]]:
    reader = csv.reader(io.StringIO(text))
    try:
        yield from reader
    except csv.Error as exc:
        raise ImportFileError(f"CSV 第 {reader.line_num} 行无法读取：{exc}") from None


def table_rows(data: bytes, filename: str, aliases: dict[str, str]) -> Iterator[tuple[int, dict[str, str]]]:
    """(row number as the manager sees it, {column: value}) for each non-empty data row.

    `aliases` maps accepted header spellings (English or Chinese, any case) to the column names."""
    if filename.lower().endswith((".xlsx", ".xlsm")):
        rows: Iterator[list[str]] = _xlsx_rows(data)
    else:
        rows = _csv_rows(_text(data))
    try:
        header = next(rows)
    except StopIteration:
        raise ImportFileError("文件是空的") from None
    names = [aliases.get(h.strip().lower(), h.strip().lower()) for h in header]
    for number, values in enumerate(rows, start=2):
        if not any(v.strip() for v in values):
            continue
        yield number, {n: (values[i].strip() if i < len(values) else "") for i, n in enumerate(names) if n}
