"""Store-sized imports: a 10,000-product catalog and a 100,000-order history, through the import service (how
long they take is measured by bench/console.py, not here), and a file over the app's 2 MB request cap uploaded to
the console's import API as a dry run."""
from __future__ import annotations

import shutil

import httpx
import pytest
from sqlalchemy import func, select

from bot.db.models import Order, OrderLine, Product
from bot.db.uow import UnitOfWork
from bot.db.uow import run_in_unit_of_work as in_uow
from bot.imports.samples import orders_csv, products_csv, template
from bot.imports.service import import_orders, import_products
from bot.settings import PROJECT_ROOT
from tests.support.reminders import fresh_database
from tests.support.security import bearer, staff_login

pytestmark = pytest.mark.e2e


def count(model) -> int:
    with UnitOfWork() as uow:
        return uow.session.scalar(select(func.count()).select_from(model))


def test_ten_thousand_products_and_a_hundred_thousand_orders(tmp_path, monkeypatch):
    shutil.copytree(PROJECT_ROOT / "data" / "store", tmp_path / "store")
    monkeypatch.setenv("STORE_DATA_DIR", str(tmp_path / "store"))
    with fresh_database(tmp_path):
        base_products, base_orders = count(Product), count(Order)
        catalog = products_csv(10_000)
        report = in_uow(import_products, catalog, "products.csv", apply=True)
        assert (report.new, report.updated, report.rejected) == (10_000, 0, [])
        assert count(Product) == base_products + 10_000
        history = orders_csv(100_000, 10_000)
        lines = history.count(b"\n") - 1
        report = in_uow(import_orders, history, "orders.csv", apply=True)
        assert (report.rows, report.new, report.rejected) == (lines, 100_000, [])
        assert count(Order) == base_orders + 100_000 and count(OrderLine) >= lines
        again = in_uow(import_products, catalog, "products.csv")
        assert (again.new, again.updated) == (0, 10_000)


def test_a_large_file_uploads_as_a_dry_run_and_writes_nothing(web_app):
    token = staff_login(web_app.url, "manager")["token"]
    big = products_csv(30_000, prefix="UPLOAD")
    assert len(big) > 2 * 1024 * 1024       # over REQUEST_MAX_SIZE: the import route streams its body
    before = count(Product)
    reply = httpx.post(f"{web_app.url}/api/console/imports/products", params={"apply": "0", "filename": "big.csv"},
                       content=big, headers={**bearer(token), "Content-Type": "application/octet-stream"},
                       timeout=120)
    assert reply.status_code == 200, reply.text[:300]
    assert reply.json()["accepted"] == 30_000 and reply.json()["applied"] is False
    assert count(Product) == before
    sample = httpx.get(f"{web_app.url}/manager/imports/orders/template.csv", headers=bearer(token))
    assert sample.status_code == 200 and sample.content == template("orders")
