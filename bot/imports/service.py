"""Dry run or apply an import of products or orders; after applying, the bot uses the new data at once."""
from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Any

from bot.db.uow import AbstractUnitOfWork
from bot.imports import orders as order_rows
from bot.imports import products as product_rows
from bot.imports.common import ImportReport, RowError
from bot.imports.reader import table_rows
from bot.imports.refresh import after_orders, after_products
from bot.imports.repository import chunks
from bot.store.config import load_store


def import_products(uow: AbstractUnitOfWork, data: bytes, filename: str, apply: bool = False) -> ImportReport:
    """Check every row; with `apply`, insert new products and update existing ones in place (one transaction)."""
    started = time.perf_counter()
    report = ImportReport("products")
    records: dict[str, dict[str, Any]] = {}
    first_row: dict[str, int] = {}
    for number, row in table_rows(data, filename, product_rows.header_aliases()):
        report.rows += 1
        try:
            values = product_rows.parse_product(row, set(row))
            if values["sku"] in records:
                raise RowError(f"sku {values['sku']} 与第 {first_row[values['sku']]} 行重复")
        except RowError as exc:
            report.rejected.append((number, str(exc)))
            continue
        records[values["sku"]], first_row[values["sku"]] = values, number
    existing = uow.imports.existing_skus(records)
    report.accepted, report.updated = len(records), len(existing)
    report.new = report.accepted - report.updated
    if apply and records:
        _write_products(uow, records, existing)
        uow.commit()
        report.applied = True
    if report.applied:
        report.notes += after_products(list(records.values()))
    report.seconds = time.perf_counter() - started
    return report


def _write_products(uow: AbstractUnitOfWork, records: dict[str, dict[str, Any]], existing: set[str]) -> None:
    attributes = uow.imports.attributes(existing)
    defaults = {"stock": 0, "attributes": {}, "scenes": [], "aliases": [], "description": "", "image": "",
                "consumable_days": None, "restock_date": None}
    new = [{**defaults, **v} for sku, v in records.items() if sku not in existing]
    updates = []
    for sku in existing:
        values = dict(records[sku])
        if "attributes" in values:
            values["attributes"] = {**(attributes.get(sku) or {}), **values["attributes"]}
        updates.append(values)
    uow.imports.insert_products(new)
    by_columns: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for values in updates:     # one executemany UPDATE per set of columns given (rows of one file mostly share it)
        by_columns.setdefault(tuple(sorted(values)), []).append(values)
    for columns, rows in by_columns.items():
        uow.imports.update_products(columns, rows)


def import_orders(uow: AbstractUnitOfWork, data: bytes, filename: str, apply: bool = False) -> ImportReport:
    """Check every line; with `apply`, write the orders whose every line passed (updating existing ones)."""
    started = time.perf_counter()
    report = ImportReport("orders")
    zone = load_store().timezone
    prices = uow.imports.prices()
    uow.rollback()                    # parsing a large file takes a while: hold no connection meanwhile
    parsed: dict[str, order_rows.ParsedOrder] = {}
    bad_orders: dict[str, int] = {}
    for number, row in table_rows(data, filename, order_rows.header_aliases()):
        report.rows += 1
        try:
            order, line = order_rows.parse_line(row, prices, zone)
            first = parsed.get(order.order_id)
            if first is not None and (why := order_rows.same_order(first, order)):
                raise RowError(why)
        except RowError as exc:
            report.rejected.append((number, str(exc)))
            bad_orders.setdefault(row.get("order_id", "").strip(), number)
            continue
        target = parsed.setdefault(order.order_id, order)
        target.rows.append(number)
        target.lines.append(line)
    for order_id, number in bad_orders.items():
        dropped = parsed.pop(order_id, None)
        if dropped:
            report.rejected += [(r, f"订单 {order_id} 的第 {number} 行有错误，整单不导入") for r in dropped.rows]
    report.rejected.sort()
    existing = uow.imports.existing_orders(parsed)
    report.accepted, report.updated = len(parsed), len(existing)
    report.new = report.accepted - report.updated
    if apply and parsed:
        _write_orders(uow, list(parsed.values()), existing)
        uow.commit()
        report.applied = True
    if report.applied:
        report.notes += after_orders(uow)
    report.seconds = time.perf_counter() - started
    return report


def _write_orders(uow: AbstractUnitOfWork, parsed: list[order_rows.ParsedOrder], existing: set[str]) -> None:
    uow.imports.add_customers({o.customer_id for o in parsed}, datetime.now(UTC))
    uow.imports.drop_lines(existing)          # in place: the order rows stay (reminders point at them)
    for part in chunks(parsed):
        rows = [{"id": o.order_id, "customer_id": o.customer_id, "agent_id": o.agent_id, "status": o.status,
                 "total": o.total, "created_at": o.created_at, "paid_at": o.paid_at,
                 "cancelled_at": o.created_at if o.status == "cancelled" else None} for o in part]
        uow.imports.write_orders([r for r in rows if r["id"] not in existing], [r for r in rows if r["id"] in existing],
                                 [{"order_id": o.order_id, "sku": sku, "qty": qty, "unit_price": price}
                                  for o in part for sku, qty, price in o.lines])
