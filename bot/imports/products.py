"""Products from a table: one row per product (sku, name, category, price, floor price, stock, aliases, ...)."""
from __future__ import annotations

import re
from datetime import date
from typing import Any

from bot.imports.common import RowError, integer, number, split_list, text_field

SKU = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,63}$")
# column -> accepted header spellings (lower case); the README lists them.
COLUMNS: dict[str, tuple[str, ...]] = {
    "sku": ("sku", "商品编码", "货号"), "name": ("name", "商品名称", "名称"), "category": ("category", "类目", "分类"),
    "price": ("price", "价格", "售价"), "floor_price": ("floor_price", "最低价", "底价"), "stock": ("stock", "库存"),
    "aliases": ("aliases", "别名"), "sizes": ("sizes", "尺码"), "colors": ("colors", "颜色"),
    "scenes": ("scenes", "场景"), "description": ("description", "描述", "卖点"), "image": ("image", "图片"),
    "consumable_days": ("consumable_days", "使用天数"), "restock_date": ("restock_date", "补货日期"),
}
LIST_ATTRIBUTES = ("sizes", "colors")
ATTRIBUTE_PREFIXES = ("attr:", "属性:", "属性：")
ALIASES = {spelling: column for column, spellings in COLUMNS.items() for spelling in spellings}


def header_aliases() -> dict[str, str]:
    return dict(ALIASES)


def _attributes(row: dict[str, str]) -> dict[str, Any]:
    attributes: dict[str, Any] = {}
    for column in LIST_ATTRIBUTES:
        if row.get(column, "").strip():
            attributes[column] = split_list(row[column])
    for key, value in row.items():
        prefix = next((p for p in ATTRIBUTE_PREFIXES if key.startswith(p)), None)
        if prefix and value.strip():
            name = key[len(prefix):].strip()
            if not name or len(name) > 32:
                raise RowError(f"属性列名 {key!r} 不合适")
            parts = split_list(value)
            attributes[name] = parts if len(parts) > 1 else value.strip()
    return attributes


def parse_product(row: dict[str, str], present: set[str]) -> dict[str, Any]:
    """The product's column values from one row; columns absent from the file are left out (kept on update)."""
    sku = text_field(row, "sku", 64, required=True)
    if not SKU.match(sku):
        raise RowError(f"sku 只能包含字母、数字、点、横线和下划线：{sku!r}")
    values: dict[str, Any] = {"sku": sku, "name": text_field(row, "name", 200, required=True),
                              "category": text_field(row, "category", 64, required=True),
                              "price": number(row.get("price", ""), "price", 0.01)}
    floor = row.get("floor_price", "").strip()
    values["floor_price"] = number(floor, "floor_price", 0.01) if floor else values["price"]
    if values["floor_price"] > values["price"]:
        raise RowError(f"最低价 {values['floor_price']:g} 高于售价 {values['price']:g}")
    if "stock" in present:
        values["stock"] = integer(row.get("stock") or "0", "stock")
    if "aliases" in present:
        values["aliases"] = [a for a in split_list(row.get("aliases", "")) if len(a) <= 50]
    if "scenes" in present:
        values["scenes"] = split_list(row.get("scenes", ""))
    for column, limit in (("description", 2000), ("image", 300)):
        if column in present:
            values[column] = text_field(row, column, limit)
    if "consumable_days" in present:
        days = row.get("consumable_days", "").strip()
        values["consumable_days"] = integer(days, "consumable_days", 1) if days else None
    if "restock_date" in present:
        when = row.get("restock_date", "").strip()
        try:
            values["restock_date"] = date.fromisoformat(when.replace("/", "-")) if when else None
        except ValueError:
            raise RowError(f"restock_date 日期格式应为 YYYY-MM-DD：{when!r}") from None
    attributes = _attributes(row)
    if attributes:
        values["attributes"] = attributes
    return values
