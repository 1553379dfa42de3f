"""Dry run or apply an import of products or orders; after applying, the bot uses the new data at once."""
from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Any, Iterable, Iterator

from sqlalchemy import bindparam, delete, insert, select, update

from bot.db.models import Customer, Order, OrderLine, Product
from bot.db.uow import UnitOfWork
from bot.imports import orders as order_rows
from bot.imports import products as product_rows
from bot.imports.common import ImportReport, RowError
from bot.imports.reader import table_rows
from bot.store.config import load_store

CHUNK = 2000


def _chunks(items: list, size: int = CHUNK) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _existing(session, column, keys: Iterable[str]) -> set[str]:
    found: set[str] = set()
    for part in _chunks(list(keys)):
        found |= set(session.scalars(select(column).where(column.in_(part))))
    return found


def import_products(data: bytes, filename: str, apply: bool = False) -> ImportReport:
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
    with UnitOfWork() as uow:
        existing = _existing(uow.session, Product.sku, records)
        report.accepted, report.updated = len(records), len(existing)
        report.new = report.accepted - report.updated
        if apply and records:
            _write_products(uow, records, existing)
            uow.commit()
            report.applied = True
    if report.applied:
        from bot.imports.refresh import after_products

        report.notes += after_products(list(records.values()))
    report.seconds = time.perf_counter() - started
    return report


def _write_products(uow: UnitOfWork, records: dict[str, dict[str, Any]], existing: set[str]) -> None:
    session = uow.session
    attributes: dict[str, dict] = {}
    for part in _chunks(sorted(existing)):
        attributes.update(session.execute(select(Product.sku, Product.attributes).where(Product.sku.in_(part))).all())
    defaults = {"stock": 0, "attributes": {}, "scenes": [], "aliases": [], "description": "", "image": "",
                "consumable_days": None, "restock_date": None}
    new = [{**defaults, **v} for sku, v in records.items() if sku not in existing]
    updates = []
    for sku in existing:
        values = dict(records[sku])
        if "attributes" in values:
            values["attributes"] = {**(attributes.get(sku) or {}), **values["attributes"]}
        updates.append(values)
    for part in _chunks(new):
        session.execute(insert(Product.__table__), part)
    by_columns: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for values in updates:     # one executemany UPDATE per set of columns given (rows of one file mostly share it)
        by_columns.setdefault(tuple(sorted(values)), []).append(values)
    table = Product.__table__
    for columns, rows in by_columns.items():
        stmt = update(table).where(table.c.sku == bindparam("key_sku")).values(
            {c: bindparam(c) for c in columns if c != "sku"})
        for part in _chunks(rows):
            session.execute(stmt, [{**r, "key_sku": r["sku"]} for r in part])


def import_orders(data: bytes, filename: str, apply: bool = False) -> ImportReport:
    """Check every line; with `apply`, write the orders whose every line passed (updating existing ones)."""
    started = time.perf_counter()
    report = ImportReport("orders")
    zone = load_store().timezone
    with UnitOfWork() as uow:
        prices = dict(uow.session.execute(select(Product.sku, Product.price)).all())
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
    with UnitOfWork() as uow:
        existing = _existing(uow.session, Order.id, parsed)
        report.accepted, report.updated = len(parsed), len(existing)
        report.new = report.accepted - report.updated
        if apply and parsed:
            _write_orders(uow, list(parsed.values()), existing)
            uow.commit()
            report.applied = True
    if report.applied:
        from bot.imports.refresh import after_orders

        report.notes += after_orders()
    report.seconds = time.perf_counter() - started
    return report


def _write_orders(uow: UnitOfWork, parsed: list[order_rows.ParsedOrder], existing: set[str]) -> None:
    session, now = uow.session, datetime.now(UTC)
    customers = {o.customer_id for o in parsed}
    known = _existing(session, Customer.id, customers)
    for part in _chunks(sorted(customers - known)):
        session.execute(insert(Customer.__table__), [{"id": c, "created_at": now} for c in part])
    for part in _chunks(sorted(existing)):   # in place: the order rows stay (reminders point at them)
        session.execute(delete(OrderLine).where(OrderLine.order_id.in_(part)))
    for part in _chunks(parsed):
        rows = [{"id": o.order_id, "customer_id": o.customer_id, "agent_id": o.agent_id, "status": o.status,
                 "total": o.total, "created_at": o.created_at, "paid_at": o.paid_at,
                 "cancelled_at": o.created_at if o.status == "cancelled" else None} for o in part]
        fresh = [r for r in rows if r["id"] not in existing]
        if fresh:
            session.execute(insert(Order.__table__), fresh)
        session.bulk_update_mappings(Order, [r for r in rows if r["id"] in existing])
        session.execute(insert(OrderLine.__table__), [
            {"order_id": o.order_id, "sku": sku, "qty": qty, "unit_price": price}
            for o in part for sku, qty, price in o.lines])
