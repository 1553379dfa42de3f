"""Demo store data and the deterministic order-history generator (bot/catalog/history.py)."""
from __future__ import annotations

import sys
import time
from collections import Counter, defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # allow running this file directly with plain `pytest`
    sys.path.insert(0, str(ROOT))

from bot.catalog import history  # noqa: E402
from bot.catalog.history import generate_history, generate_orders_bulk, planted_pairs  # noqa: E402

DATA = ROOT / "data" / "store"
END = datetime(2026, 11, 22, tzinfo=UTC)
PAID = {"paid", "shipped", "delivered"}


def _load(name: str) -> dict:
    with open(DATA / name, encoding="utf-8") as fh:
        return yaml.safe_load(fh)


PRODUCTS = _load("products.yml")["products"]
RELATIONS = _load("relations.yml")["relations"]
SCENES = _load("scenes.yml")["scenes"]
STORE = _load("store.yml")["store"]
BY_NAME = {p["name"]: p for p in PRODUCTS}
SKUS = {p["sku"] for p in PRODUCTS}


def _history(**kwargs) -> list[history.GeneratedOrder]:
    kwargs.setdefault("end", END)
    return generate_history(PRODUCTS, RELATIONS, **kwargs)


@pytest.fixture(scope="module")
def orders() -> list[history.GeneratedOrder]:
    return _history()


def _paid(orders):
    return [o for o in orders if o.status in PAID]


def _lift(orders, a: set[str], b: set[str]) -> float:
    baskets = [{sku for sku, _, _ in o.lines} for o in orders]
    n_a = sum(bool(x & a) for x in baskets)
    n_b = sum(bool(x & b) for x in baskets)
    n_ab = sum(bool(x & a) and bool(x & b) for x in baskets)
    return n_ab * len(baskets) / (n_a * n_b)


# --- store data -------------------------------------------------------------------------------------------

def test_catalog_data_is_consistent():
    assert len(PRODUCTS) >= 48 and len(SKUS) == len(PRODUCTS) == len(BY_NAME)
    assert {p["name"] for p in PRODUCTS if p["stock"] == 0} == {"条纹圆领T恤", "莫代尔打底衫", "24寸拉杆箱"}
    for p in PRODUCTS:
        assert 0 < p["floor_price"] < p["price"], p["sku"]
        assert p["image"] == f"/static/products/{p['sku'].lower()}.svg"
    assert {BY_NAME[n]["category"] for n in ("纯棉圆领T恤", "V领T恤", "立领T恤")} == {"T恤"}
    assert all(55 <= BY_NAME[n]["price"] <= 79 for n in ("纯棉圆领T恤", "V领T恤", "立领T恤"))
    # "off" must stay a string key: unquoted, YAML 1.1 turns it into False
    assert all("off" in tier for tier in STORE["promotions"]["full_reduction"])


def test_relations_and_scenes_reference_existing_skus():
    assert len(RELATIONS) >= 40
    assert {r["type"] for r in RELATIONS} == {"substitute", "complementary", "latent"}
    for rel in RELATIONS:
        assert rel["from"] in SKUS and rel["to"] in SKUS and rel["from"] != rel["to"], rel
        assert rel["reason"].strip()
    pairs = {(r["from"], r["to"], r["type"]) for r in RELATIONS}
    sku = {name: BY_NAME[name]["sku"] for name in BY_NAME}
    seeds = [("纯棉圆领T恤", "V领T恤", "substitute"), ("纯棉圆领T恤", "立领T恤", "substitute"),
             ("条纹圆领T恤", "纯棉圆领T恤", "substitute"), ("24寸拉杆箱", "20寸拉杆箱", "substitute"),
             ("20寸拉杆箱", "双肩包", "complementary"), ("女士风衣外套", "纯棉圆领T恤", "complementary"),
             ("连体泳衣", "防晒霜SPF50", "latent"), ("连体泳衣", "珍珠项链", "latent"),
             ("成犬狗粮10kg", "狗粮试吃装", "complementary"), ("洗衣液3kg", "柔顺剂", "complementary")]
    for a, b, kind in seeds:
        assert (sku[a], sku[b], kind) in pairs, (a, b, kind)
    tagged = defaultdict(set)
    for p in PRODUCTS:
        for tag in p["scenes"]:
            tagged[tag].add(p["sku"])
    scene_of = {s["id"]: s for s in SCENES}
    for scene in SCENES:
        assert set(scene["products"]) == tagged[scene["keywords"][0]], scene["id"]
    for scene_id, dress in (("office", "通勤连衣裙"), ("street", "碎花连衣裙"), ("party", "亮片吊带连衣裙"),
                            ("beach", "波西米亚度假长裙")):
        assert sku[dress] in scene_of[scene_id]["products"]


# --- generate_history ------------------------------------------------------------------------------------

def test_same_seed_same_output_and_different_seed_differs(orders):
    assert _history() == orders
    other = _history(seed=7)
    assert other != orders
    assert [o.lines for o in other[:50]] != [o.lines for o in orders[:50]]


def test_end_is_truncated_to_the_day():
    late = END + timedelta(hours=15, minutes=30)
    assert _history(days=10, end=late) == _history(days=10)


def test_orders_are_well_formed(orders):
    agents = {a["id"] for a in STORE["agents"]}
    ids = [o.order_id for o in orders]
    assert len(ids) == len(set(ids)) and all(len(i) >= 12 and i.isdigit() for i in ids)
    assert 0.8 * 120 * 40 <= len(orders) <= 1.2 * 120 * 40
    assert [o.created_at for o in orders] == sorted(o.created_at for o in orders)
    for o in orders:
        assert o.created_at.utcoffset() == timedelta(0)
        assert END - timedelta(days=120) <= o.created_at < END
        assert o.agent_id in agents and o.customer_id.startswith("demo-buyer-")
        assert o.lines and all(sku in SKUS and qty >= 1 for sku, qty, _ in o.lines)
        assert len({sku for sku, _, _ in o.lines}) == len(o.lines)
        if o.status in PAID:
            assert o.paid_at is not None and o.created_at < o.paid_at < END
        if o.status == "unpaid":
            assert o.paid_at is None and END - o.created_at < timedelta(days=1)
    statuses = Counter(o.status for o in orders)
    assert statuses["delivered"] > 0.85 * len(orders)


def test_prices_stay_between_floor_and_list_price(orders):
    by_sku = {p["sku"]: p for p in PRODUCTS}
    for o in orders:
        for sku, _, price in o.lines:
            assert by_sku[sku]["floor_price"] <= price <= by_sku[sku]["price"], (sku, price)


@pytest.mark.parametrize("seed", [20261122, 1, 2])
def test_items_per_order_and_aov_match_the_seed_store(seed):
    paid = _paid(_history(seed=seed))
    items = sum(qty for o in paid for _, qty, _ in o.lines) / len(paid)
    aov = sum(o.amount for o in paid) / len(paid)
    assert 1.1 <= items <= 1.3, items
    assert 70 <= aov <= 100, aov


def test_related_items_are_bought_together(orders):
    sku = {name: BY_NAME[name]["sku"] for name in BY_NAME}
    luggage = {sku["20寸拉杆箱"], sku["24寸拉杆箱"]}
    assert _lift(orders, luggage, {sku["双肩包"]}) > 2
    assert _lift(orders, {sku["成犬狗粮10kg"]}, {sku["狗粮试吃装"]}) > 2
    # all complementary pairs together: far above chance
    comp = [r for r in RELATIONS if r["type"] == "complementary"]
    baskets = [{s for s, _, _ in o.lines} for o in orders]
    together = sum(1 for b in baskets for r in comp if r["from"] in b and r["to"] in b)
    assert together > 0.05 * len(orders)


def test_consumables_are_reordered_near_their_cycle(orders, monkeypatch):
    days = {p["sku"]: p["consumable_days"] for p in PRODUCTS if p.get("consumable_days")}

    def near_cycle_share(history_orders) -> tuple[int, float]:
        bought = defaultdict(list)
        for o in _paid(history_orders):
            for sku, _, _ in o.lines:
                if sku in days:
                    bought[(o.customer_id, sku)].append(o.created_at)
        gaps = [((b - a).days, days[sku]) for (_, sku), times in bought.items() for a, b in zip(times, times[1:], strict=False)]
        near = sum(0.75 * cycle <= gap <= 1.25 * cycle for gap, cycle in gaps)
        return near, near / max(1, len(gaps))

    near, share = near_cycle_share(orders)
    assert near >= 300 and share > 0.35, (near, share)
    monkeypatch.setattr(history, "P_REORDER", 0.0)  # control: without planned reorders the share collapses
    _, control_share = near_cycle_share(_history())
    assert share > 2 * control_share


def test_out_of_stock_items_only_in_older_orders(orders):
    out = {p["sku"] for p in PRODUCTS if p["stock"] == 0}
    seen = {sku for o in orders for sku, _, _ in o.lines if sku in out}
    assert seen == out
    recent = END - timedelta(days=history.OUT_OF_STOCK_SINCE_DAYS)
    assert not any(sku in out for o in orders if o.created_at >= recent for sku, _, _ in o.lines)


def test_history_is_fast():
    start = time.perf_counter()
    _history()
    assert time.perf_counter() - start < 1.5  # typically ~0.15 s


# --- generate_orders_bulk --------------------------------------------------------------------------------

def test_bulk_baskets_are_deterministic_with_planted_pairs():
    skus = sorted(SKUS)
    first = list(generate_orders_bulk(skus, 50_000, seed=3))
    assert first == list(generate_orders_bulk(skus, 50_000, seed=3))
    assert first != list(generate_orders_bulk(skus, 50_000, seed=4))
    assert len(first) == 50_000 and len({oid for oid, _ in first}) == 50_000
    assert all(basket and set(basket) <= SKUS and len(set(basket)) == len(basket) for _, basket in first)
    counts = Counter(s for _, basket in first for s in basket)
    pair_counts = Counter(tuple(sorted(basket)) for _, basket in first if len(basket) == 2)
    n = len(first)

    def lift(a, b):
        return pair_counts[tuple(sorted((a, b)))] * n / (counts[a] * counts[b])

    pairs = planted_pairs(skus, 3)
    assert len(pairs) == len(skus) // 4
    assert min(lift(a, b) for a, b in pairs) > 3
    planted = {tuple(sorted(p)) for p in pairs}
    others = [lift(a, b) for (a, b), c in pair_counts.items() if (a, b) not in planted and c >= 20]
    assert others and max(others) < 1.5


def test_bulk_million_is_fast():
    start = time.perf_counter()
    total = sum(len(basket) for _, basket in generate_orders_bulk(sorted(SKUS), 1_000_000, seed=1))
    assert total > 1_000_000
    assert time.perf_counter() - start < 10  # typically ~2 s
