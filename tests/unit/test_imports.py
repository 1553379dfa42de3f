"""Importing the store's own products and orders: every bad row reported with its reason, dry runs write
nothing, re-imports update in place, and the bot's product recognition and co-purchases follow the new data."""
from __future__ import annotations

import io
import shutil

import pytest
from sqlalchemy import func, select

from bot.db.models import Order, Product
from bot.db.uow import UnitOfWork
from bot.db.uow import run_in_unit_of_work as in_uow
from bot.imports.reader import ImportFileError
from bot.imports.service import import_orders, import_products
from bot.settings import PROJECT_ROOT
from tests.support.reminders import fresh_database

PRODUCTS_CSV = """sku,name,category,price,floor_price,stock,aliases,sizes,colors,scenes,attr:material
MUG-01,陶瓷马克杯,杯子,39,29,50,马克杯|咖啡杯,,白色|蓝色,办公室,陶瓷
MUG-02,保温杯,杯子,89,79,20,,,,,
BAD-PRICE,便宜杯,杯子,abc,,5,,,,,
,无编码,杯子,10,,5,,,,,
MUG-03,低价杯,杯子,10,20,5,,,,,
MUG-01,重复的杯,杯子,10,,5,,,,,
TEE-V,V-neck tee,T恤,75,60,10,,S|M|L,,,
"""


@pytest.fixture
def db(tmp_path, monkeypatch):
    store = tmp_path / "store"
    shutil.copytree(PROJECT_ROOT / "data" / "store", store)
    monkeypatch.setenv("STORE_DATA_DIR", str(store))
    with fresh_database(tmp_path):
        yield store


def count(model) -> int:
    with UnitOfWork() as uow:
        return uow.session.scalar(select(func.count()).select_from(model))


def test_a_dry_run_lists_every_rejected_row_and_writes_nothing(db):
    before = count(Product)
    report = in_uow(import_products, PRODUCTS_CSV.encode(), "products.csv")
    assert report.rows == 7 and report.accepted == 3 and report.new == 2 and report.updated == 1
    reasons = dict(report.rejected)
    assert sorted(reasons) == [4, 5, 6, 7]
    assert "price 不是数字" in reasons[4] and "缺少 sku" in reasons[5]
    assert "最低价 20 高于售价 10" in reasons[6] and "与第 2 行重复" in reasons[7]
    assert not report.applied and count(Product) == before


def test_applying_inserts_updates_in_place_and_the_bot_recognises_the_new_product(db):
    from bot.catalog.index import resolve_mention
    from bot.catalog.products import find_product, get_product

    report = in_uow(import_products, PRODUCTS_CSV.encode(), "products.csv", apply=True)
    assert report.applied and report.new == 2 and report.updated == 1
    mug = in_uow(get_product, "MUG-01")
    assert (mug.price, mug.floor_price, mug.stock, mug.aliases) == (39, 29, 50, ("马克杯", "咖啡杯"))
    assert mug.attributes == {"colors": ["白色", "蓝色"], "material": "陶瓷"} and mug.scenes == ("办公室",)
    tee = in_uow(get_product, "TEE-V")
    assert tee.price == 75 and tee.attributes["sizes"] == ["S", "M", "L"] and tee.name == "V-neck tee"
    assert in_uow(find_product, "咖啡杯").sku == "MUG-01"
    assert in_uow(resolve_mention, "这个陶瓷马克杯多少钱").product.sku == "MUG-01"
    nlu = (db / "imported_products.json").read_text(encoding="utf-8")
    assert "陶瓷马克杯" in nlu and "咖啡杯" in nlu
    again = in_uow(import_products, "sku,name,category,price\nMUG-01,陶瓷马克杯,杯子,45\n".encode(), "p.csv", apply=True)
    assert again.updated == 1 and again.new == 0
    mug = in_uow(get_product, "MUG-01")
    assert mug.price == 45 and mug.stock == 50 and mug.aliases == ("马克杯", "咖啡杯")   # absent columns kept


def test_excel_and_gb18030_files_and_chinese_headers(db):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["商品编码", "商品名称", "类目", "价格", "库存"])
    sheet.append(["XLS-1", "竹纤维毛巾", "日用", 25.5, 30])
    sheet.append(["XLS-2", "坏库存", "日用", 10, -3])
    buffer = io.BytesIO()
    book.save(buffer)
    report = in_uow(import_products, buffer.getvalue(), "catalog.xlsx", apply=True)
    assert report.new == 1 and report.rejected == [(3, "stock 不能小于 0：-3")]
    gbk = "商品编码,商品名称,类目,价格\nGBK-1,纯棉袜子,袜子,19\n".encode("gb18030")
    assert in_uow(import_products, gbk, "gbk.csv").accepted == 1
    with pytest.raises(ImportFileError):
        in_uow(import_products, b"", "empty.csv")
    with pytest.raises(ImportFileError, match="第 2 行"):
        in_uow(import_products, b'sku,name\nA,"' + b"x" * 200_000 + b'"\n', "huge.csv")
    with pytest.raises(ImportFileError, match="Excel"):
        in_uow(import_products, b"PK not really a workbook", "broken.xlsx")


ORDERS_CSV = """order_id,customer_id,created_at,status,sku,qty,unit_price,paid_at
H-1,buyer-a,2026-11-01 10:00:00,已付款,TEE-V,2,69,2026-11-01 10:05:00
H-1,buyer-a,2026-11-01 10:00:00,已付款,CASE-20,1,,2026-11-01 10:05:00
H-2,buyer-b,2026-11-02 11:00:00,paid,TEE-V,1,,
H-3,buyer-c,2026-11-02 12:00:00,paid,NOPE,1,,
H-3,buyer-c,2026-11-02 12:00:00,paid,TEE-V,1,,
H-4,buyer-d,2026-11-03 09:00:00,待付款,TEE-V,1,,
H-5,buyer-e,2026-11-03 09:00:00,paid,TEE-V,1,,
H-5,buyer-x,2026-11-03 09:00:00,paid,CASE-20,1,,
H-6,buyer-f,not a date,paid,TEE-V,1,,
"""


def test_orders_dry_run_then_apply_and_reimport(db):
    before = count(Order)
    report = in_uow(import_orders, ORDERS_CSV.encode(), "orders.csv")
    reasons = dict(report.rejected)
    assert report.rows == 9 and report.accepted == 2 and not report.applied and count(Order) == before
    assert "NOPE 不在商品库中" in reasons[5] and "整单不导入" in reasons[6]
    assert "未付款订单不导入" in reasons[7]
    assert "买家与第 8 行不一致" in reasons[9] and "整单不导入" in reasons[8]
    assert "时间格式" in reasons[10]
    applied = in_uow(import_orders, ORDERS_CSV.encode(), "orders.csv", apply=True)
    assert applied.applied and applied.new == 2 and count(Order) == before + 2
    assert any("关联购买已重新挖掘" in n for n in applied.notes)
    with UnitOfWork() as uow:
        h1 = uow.orders.get("H-1")
        assert h1.total == 69 * 2 + 299 and h1.status == "paid" and len(h1.lines) == 2
        assert h1.paid_at.hour == 2     # 10:05 in Shanghai is 02:05 UTC
    again = in_uow(import_orders, b"order_id,customer_id,created_at,status,sku,qty\n"
                          b"H-1,buyer-a,2026-11-01 10:00:00,shipped,TEE-V,3\n", "o.csv", apply=True)
    assert again.updated == 1 and count(Order) == before + 2
    with UnitOfWork() as uow:
        h1 = uow.orders.get("H-1")
        assert h1.status == "shipped" and [(line.sku, line.qty) for line in h1.lines] == [("TEE-V", 3)]


def test_the_demo_store_can_be_removed_once_real_data_is_in(tmp_path, monkeypatch):
    from bot.catalog.seed import seed_demo_store
    from bot.imports.demo import demo_skus, remove_demo_data
    from tests.support.reminders import use_database

    monkeypatch.setenv("STORE_DATA_DIR", str(PROJECT_ROOT / "data" / "store"))
    with fresh_database(tmp_path):
        use_database(f"sqlite:///{tmp_path / 'demo.db'}", migrate=True)
        in_uow(seed_demo_store, PROJECT_ROOT / "data" / "store", seed=1)
        monkeypatch.setenv("STORE_DATA_DIR", str(tmp_path / "store"))
        shutil.copytree(PROJECT_ROOT / "data" / "store", tmp_path / "store")
        from bot.settings import get_settings

        get_settings.cache_clear()
        in_uow(import_products, "sku,name,category,price\nREAL-1,真实商品,杯子,30\n".encode(), "p.csv", apply=True)
        kept_sku = demo_skus()[0]
        in_uow(import_orders, f"order_id,customer_id,created_at,sku\nREAL-O1,real-buyer,2026-11-01 10:00,{kept_sku}\n"
                      .encode(), "o.csv", apply=True)
        demo_orders = count(Order) - 1
        done = in_uow(remove_demo_data)
        assert done.orders == demo_orders and done.kept == (kept_sku,)
        assert done.products == len(demo_skus()) - 1
        with UnitOfWork() as uow:
            assert sorted(p.sku for p in uow.products.list()) == sorted(["REAL-1", kept_sku])
            assert [o.id for o in uow.session.scalars(select(Order))] == ["REAL-O1"]
