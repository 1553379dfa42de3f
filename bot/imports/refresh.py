"""After an import: product recognition, co-purchase rules and the NLU catalog follow the new data.

The web app's caches are cleared at once; the action server re-reads products within its cache TTL (30 s), so no
restart is needed. The NLU lookups (product names) are regenerated at the next training, which the console offers.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from bot.catalog.index import CATALOG
from bot.catalog.products import NAME_INDEX
from bot.db.uow import AbstractUnitOfWork
from bot.ops import catalog_nlu
from bot.ops.train import model_path
from bot.recommendations.bundles import store_aov
from bot.recommendations.mining import recompute
from bot.settings import get_settings

IMPORTED_FILE = "imported_products.json"  # beside products.yml; read by bot.ops.catalog_nlu (JSON: 10,000 fast)
NLU_FIELDS = ("sku", "name", "aliases", "category")


def imported_catalog_path() -> Path:
    return get_settings().store_data_dir / IMPORTED_FILE


def _write_nlu_catalog(records: list[dict[str, Any]]) -> None:
    """Keep the names, aliases, categories and colors of imported products for the next NLU training."""
    if not records:
        return
    path = imported_catalog_path()
    current = {}
    if path.exists():
        current = {p["sku"]: p for p in json.loads(path.read_text(encoding="utf-8")).get("products", [])}
    for record in records:
        entry = {**current.get(record["sku"], {}), **{k: record[k] for k in NLU_FIELDS if k in record}}
        colors = (record.get("attributes") or {}).get("colors")
        if colors:
            entry["attributes"] = {"colors": colors}
        current[record["sku"]] = entry
    document = {"generated_by": "the console's product import: names for the NLU lookups (bot.ops.catalog_nlu)",
                "products": list(current.values())}
    path.write_text(json.dumps(document, ensure_ascii=False, indent=0), encoding="utf-8")


def training_due() -> bool:
    """Whether the NLU lookups generated from the catalog differ from the ones the model was trained with."""
    return bool(catalog_nlu.stale()) or not model_path().exists()


def after_products(records: list[dict[str, Any]]) -> list[str]:
    NAME_INDEX.clear()
    CATALOG.clear()
    _write_nlu_catalog(records)
    notes = ["商品识别与推荐已使用新商品（客服机器人进程在 30 秒内刷新，无需重启）。"]
    if training_due():
        notes.append("商品名称词表已更新：请在「商品与订单导入」页面开始训练，训练后机器人能更准确地识别新商品名。")
    return notes


def after_orders(uow: AbstractUnitOfWork) -> list[str]:
    """Co-purchase rules mined again and the store's order value, in the import's unit of work."""
    mined = recompute(uow)
    aov = store_aov(uow)
    notes = [f"关联购买已重新挖掘：{len(mined)} 条规则，来自 {mined.orders} 个订单。"]
    notes.append(f"近 30 天客单价 {aov:.2f} 元，搭配套餐价格区间随之更新。" if aov else
                 "近 30 天没有付款订单，搭配套餐暂按商品价格计算。")
    return notes
