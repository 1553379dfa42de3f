"""Example files in the documented column mapping: the console's templates (下载模板) and store-sized files for the
import test and benchmark (10,000 products, 100,000 orders)."""
from __future__ import annotations

import random
from datetime import datetime, timedelta

PRODUCT_HEADER = "sku,name,category,price,floor_price,stock,aliases,sizes,colors,scenes,attr:material"
ORDER_HEADER = "order_id,customer_id,created_at,status,sku,qty,unit_price,paid_at,agent_id"


def products_csv(n: int, prefix: str = "SAMPLE") -> bytes:
    """n products SAMPLE-00000...; every column of the mapping used."""
    lines = [PRODUCT_HEADER]
    for i in range(n):
        price = 20 + (i * 7) % 480
        lines.append(f"{prefix}-{i:05d},示例商品{i:05d}号,类目{i % 40:02d},{price},{price * 0.8:.2f},{(i * 13) % 200},"
                     f"商品{i:05d}|款{i:05d},S|M|L,白色|黑色,办公室|逛街,棉")
    return ("\n".join(lines) + "\n").encode()


def orders_csv(n: int, skus: int, prefix: str = "SAMPLE", seed: int = 7) -> bytes:
    """n orders of 1-3 lines over the products of `products_csv(skus)`, two minutes apart from 2026-06-01."""
    rng = random.Random(seed)
    start = datetime(2026, 6, 1, 9, 0)
    lines = [ORDER_HEADER]
    for i in range(n):
        created = start + timedelta(minutes=i * 2)
        status = "交易成功" if i % 10 else "交易关闭"
        paid = "" if status == "交易关闭" else f"{created + timedelta(minutes=3):%Y-%m-%d %H:%M:%S}"
        buyer = f"buyer-{rng.randrange(max(1, n // 4)):06d}"
        for _ in range(rng.choice((1, 1, 2, 3))):
            lines.append(f"HIST{i:07d},{buyer},{created:%Y-%m-%d %H:%M:%S},{status},{prefix}-{rng.randrange(skus):05d},"
                         f"{rng.choice((1, 1, 2))},,{paid},")
    return ("\n".join(lines) + "\n").encode()


def template(kind: str) -> bytes:
    """A three-row example the manager fills in (opens in Excel: UTF-8 with BOM)."""
    body = products_csv(3) if kind == "products" else orders_csv(3, 3)
    return "\ufeff".encode() + body
