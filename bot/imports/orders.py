"""Order history from a table: one row per order line; the lines of one order share its id, buyer and times."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

from bot.imports.common import RowError, integer, moment, number, text_field

ORDER_ID = re.compile(r"^[A-Za-z0-9_.\-]{1,32}$")
COLUMNS: dict[str, tuple[str, ...]] = {
    "order_id": ("order_id", "订单号", "订单编号"), "customer_id": ("customer_id", "买家", "买家id", "会员"),
    "created_at": ("created_at", "下单时间", "创建时间"), "status": ("status", "订单状态", "状态"),
    "sku": ("sku", "商品编码", "货号"), "qty": ("qty", "数量", "购买数量"), "unit_price": ("unit_price", "单价", "成交价"),
    "paid_at": ("paid_at", "付款时间"), "agent_id": ("agent_id", "客服"),
}
STATUSES = {"paid": "paid", "shipped": "shipped", "delivered": "delivered", "cancelled": "cancelled",
            "已付款": "paid", "买家已付款": "paid", "已发货": "shipped", "卖家已发货": "shipped", "已完成": "delivered",
            "交易成功": "delivered", "已取消": "cancelled", "交易关闭": "cancelled"}
UNPAID = {"unpaid", "待付款", "等待买家付款"}
ALIASES = {spelling: column for column, spellings in COLUMNS.items() for spelling in spellings}


def header_aliases() -> dict[str, str]:
    return dict(ALIASES)


@dataclass
class ParsedOrder:
    order_id: str
    customer_id: str
    agent_id: str
    status: str
    created_at: datetime
    paid_at: datetime | None
    rows: list[int] = field(default_factory=list)
    lines: list[tuple[str, int, float]] = field(default_factory=list)

    @property
    def total(self) -> float:
        return round(sum(q * p for _, q, p in self.lines), 2)


def parse_line(row: dict[str, str], prices: dict[str, float], zone: str) -> tuple[ParsedOrder, tuple[str, int, float]]:
    """The order header and the one line of a row; `prices` are the known products' prices."""
    order_id = text_field(row, "order_id", 32, required=True)
    if not ORDER_ID.match(order_id):
        raise RowError(f"订单号只能包含字母、数字、点、横线和下划线：{order_id!r}")
    raw_status = row.get("status", "").strip().lower() or "paid"
    if raw_status in UNPAID:
        raise RowError("未付款订单不导入（机器人会对未付款订单催付）")
    status = STATUSES.get(raw_status)
    if status is None:
        raise RowError(f"未知订单状态：{raw_status!r}")
    created = moment(row.get("created_at", ""), "created_at", zone) if row.get("created_at") else None
    if created is None:
        raise RowError("缺少 created_at（下单时间）")
    paid_text = row.get("paid_at", "").strip()
    paid = moment(paid_text, "paid_at", zone) if paid_text else (None if status == "cancelled" else created)
    if paid is not None and paid < created:
        raise RowError("付款时间早于下单时间")
    sku = text_field(row, "sku", 64, required=True)
    if sku not in prices:
        raise RowError(f"商品 {sku} 不在商品库中（请先导入商品）")
    qty = integer(row.get("qty") or "1", "qty", 1)
    price_text = row.get("unit_price", "").strip()
    price = number(price_text, "unit_price", 0) if price_text else prices[sku]
    order = ParsedOrder(order_id, text_field(row, "customer_id", 128, required=True),
                        text_field(row, "agent_id", 64), status, created, paid)
    return order, (sku, qty, price)


def same_order(first: ParsedOrder, other: ParsedOrder) -> str | None:
    """Why `other` (a later row of the same order id) disagrees with the first row, if it does."""
    for name, label in (("customer_id", "买家"), ("created_at", "下单时间"), ("status", "订单状态"),
                        ("paid_at", "付款时间")):
        if getattr(first, name) != getattr(other, name):
            return f"同一订单 {first.order_id} 的{label}与第 {first.rows[0]} 行不一致"
    return None
