"""Deterministic demo order history (standard library only).

`generate_history` builds a few months of realistic orders for the demo store, so that AOV (客单价),
items per buyer, co-purchases ("customers who bought A also bought B") and consumable re-orders (追销)
can be mined from it. `generate_orders_bulk` streams millions of lightweight baskets with planted pairs
for co-purchase benchmarks.

Both are pure functions of their arguments: the same inputs and seed give identical output.
"""
from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from itertools import accumulate
from typing import Iterator, Sequence

from bot.clock import as_utc, utcnow

STORE_TZ = timezone(timedelta(hours=8))  # Asia/Shanghai (no DST)
DEFAULT_AGENTS = ("xiaomei", "aqiang")

# Basket building: probability of adding an item of each kind to an order (when the main item has one).
P_COMPLEMENTARY = 0.35
P_SECOND_COMPLEMENTARY = 0.15  # a second complementary item, given a first one was added
P_LATENT = 0.20
P_SCENE = 0.04
P_SUBSTITUTE = 0.03  # a second style of the same kind ("take one of each")
P_MULTI_QTY = 0.08  # qty 2 for consumables, T-shirts and socks
P_BARGAIN = 0.08  # unit price between floor_price and price
P_REORDER = 0.6  # a consumable buyer comes back near consumable_days
REORDER_ADD_ON_FACTOR = 0.5  # restocking buyers add fewer extra items
OUT_OF_STOCK_SINCE_DAYS = 21  # stock-0 items stopped selling this long before `end`
# Local (Beijing time) order hour weights: lunch break and evening peaks.
HOUR_WEIGHTS = (3, 2, 1, 1, 1, 1, 1, 2, 4, 6, 8, 9, 10, 9, 7, 7, 7, 7, 8, 10, 13, 15, 13, 7)
MULTI_QTY_CATEGORIES = {"T恤"}
MULTI_QTY_SKUS = {"SOCKS-COTTON-5P"}


@dataclass(frozen=True)
class GeneratedOrder:
    order_id: str  # local date YYYYMMDD + 5-digit sequence of that day, e.g. "2026112200017"
    customer_id: str  # e.g. "demo-buyer-0042"
    created_at: datetime  # timezone-aware UTC
    paid_at: datetime | None
    status: str  # "paid" | "shipped" | "delivered" | "cancelled" | "unpaid"
    agent_id: str
    lines: tuple[tuple[str, int, float], ...]  # (sku, qty, unit_price)

    @property
    def amount(self) -> float:
        return round(sum(qty * price for _, qty, price in self.lines), 2)


def _popularity(product: dict) -> float:
    value = product.get("popularity")
    if value:
        return float(value)
    return max(1.0, 10.0 - float(product["price"]) / 40.0)  # cheaper sells more


class _Catalog:
    def __init__(self, products: Sequence[dict], relations: Sequence[dict]):
        self.by_sku = {p["sku"]: p for p in products}
        self.skus = [p["sku"] for p in products]
        self.weight = {p["sku"]: _popularity(p) for p in products}
        self.out_of_stock = {p["sku"] for p in products if int(p.get("stock") or 0) <= 0}
        self.related: dict[tuple[str, str], list[str]] = defaultdict(list)
        for rel in relations:
            if rel["from"] in self.by_sku and rel["to"] in self.by_sku:
                self.related[(rel["from"], rel["type"])].append(rel["to"])
        tags: dict[str, list[str]] = defaultdict(list)
        for p in products:
            for tag in p.get("scenes") or ():
                tags[tag].append(p["sku"])
        self.scene_peers = {
            sku: sorted({peer for tag in (self.by_sku[sku].get("scenes") or ()) for peer in tags[tag]} - {sku},
                        key=self.skus.index)
            for sku in self.skus
        }
        self.cum_all = list(accumulate(self.weight[s] for s in self.skus))
        self.in_stock = [s for s in self.skus if s not in self.out_of_stock]
        self.cum_in_stock = list(accumulate(self.weight[s] for s in self.in_stock))


def _day_start(moment: datetime | None) -> datetime:
    moment = as_utc(moment or utcnow()).astimezone(UTC)
    return moment.replace(hour=0, minute=0, second=0, microsecond=0)


def _status(rng: random.Random, created: datetime, end: datetime) -> tuple[str, datetime | None]:
    """Status and payment time as seen at `end`: recent orders are in flight, old ones mostly delivered."""
    roll = rng.random()
    delay = rng.uniform(1, 9) if roll < 0.7 else rng.uniform(10, 60) if roll < 0.95 else rng.uniform(60, 360)
    paid_at = created + timedelta(minutes=delay)
    age_days = (end - created).total_seconds() / 86400
    roll = rng.random()
    if age_days < 1:
        if roll < 0.07 or paid_at >= end:
            return "unpaid", None
        if roll < 0.10:
            return "cancelled", None
        return ("shipped" if rng.random() < age_days else "paid"), paid_at
    if roll < 0.04:  # closed unpaid, or refunded before shipping
        return "cancelled", (paid_at if rng.random() < 0.4 else None)
    if age_days < 4 and rng.random() > (age_days - 1) / 3:
        return "shipped", paid_at
    return "delivered", paid_at


def generate_history(products: list[dict], relations: list[dict], *, seed: int = 20261122, days: int = 120,
                     orders_per_day: int = 40, end: datetime | None = None, customers: int = 600,
                     agents: Sequence[str] | None = None) -> list[GeneratedOrder]:
    """Orders created in [end - days, end), sorted by creation time.

    `end` defaults to today 00:00 UTC; pass it explicitly for reproducible output. Each order has a main
    item drawn by popularity, plus related items (complementary, latent, same scene, a second style).
    Consumable buyers often re-order near `consumable_days`. Out-of-stock items only appear in orders
    older than OUT_OF_STOCK_SINCE_DAYS.
    """
    rng = random.Random(seed)
    cat = _Catalog(products, relations)
    agents = tuple(agents or DEFAULT_AGENTS)
    end = _day_start(end)
    start = end - timedelta(days=days)
    width = max(4, len(str(max(customers - 1, 0))))
    due: dict[int, list[tuple[int, str, int, bool]]] = defaultdict(list)  # day -> (customer, sku, qty, reorder)
    drafts: list[tuple[datetime, int, str, datetime | None, str, tuple]] = []

    def pick(candidates: list[str], available, taken: set[str]) -> str | None:
        pool = [s for s in candidates if s not in taken and available(s)]
        return rng.choices(pool, weights=[cat.weight[s] for s in pool])[0] if pool else None

    def price_of(sku: str) -> float:
        product = cat.by_sku[sku]
        price = float(product["price"])
        floor = float(product.get("floor_price") or price)
        if floor < price and rng.random() < P_BARGAIN:
            return round(rng.uniform(floor, price), 1)
        return price

    for day in range(days):
        day_start = start + timedelta(days=day)
        recent = (end - day_start).days <= OUT_OF_STOCK_SINCE_DAYS
        available = (lambda s: s not in cat.out_of_stock) if recent else (lambda s: True)
        weekend = (day_start + timedelta(hours=8)).weekday() >= 5
        count = round(orders_per_day * (1.15 if weekend else 0.94) * rng.uniform(0.85, 1.15))
        plan = [entry for entry in due.pop(day, []) if available(entry[1])]
        pool, cum = (cat.in_stock, cat.cum_in_stock) if recent else (cat.skus, cat.cum_all)
        for _ in range(max(0, count - len(plan))):
            main = rng.choices(pool, cum_weights=cum)[0]
            product = cat.by_sku[main]
            multi = (product.get("consumable_days") or product.get("category") in MULTI_QTY_CATEGORIES
                     or main in MULTI_QTY_SKUS)
            qty = 2 if multi and rng.random() < P_MULTI_QTY else 1
            plan.append((int(customers * rng.random() ** 1.6), main, qty, False))
        for customer, main, qty, reorder in plan:
            factor = REORDER_ADD_ON_FACTOR if reorder else 1.0
            lines = [(main, qty)]
            taken = {main}
            extra_kinds = (("complementary", P_COMPLEMENTARY), ("latent", P_LATENT), ("substitute", P_SUBSTITUTE))
            for kind, chance in extra_kinds:
                candidates = cat.related.get((main, kind), [])
                if not candidates or rng.random() >= chance * factor:
                    continue
                picks = 2 if kind == "complementary" and rng.random() < P_SECOND_COMPLEMENTARY else 1
                for _ in range(picks):
                    sku = pick(candidates, available, taken)
                    if sku:
                        lines.append((sku, 1))
                        taken.add(sku)
            if rng.random() < P_SCENE * factor:
                sku = pick(cat.scene_peers[main], available, taken)
                if sku:
                    lines.append((sku, 1))
            local_hour = rng.choices(range(24), weights=HOUR_WEIGHTS)[0]
            created = day_start + timedelta(seconds=((local_hour - 8) % 24) * 3600 + rng.randrange(3600))
            status, paid_at = _status(rng, created, end)
            agent = agents[customer % len(agents)] if rng.random() < 0.7 else rng.choice(agents)
            priced = tuple((sku, q, price_of(sku)) for sku, q in lines)
            drafts.append((created, customer, status, paid_at, agent, priced))
            if status == "cancelled":
                continue
            for sku, q in lines:  # schedule the next purchase of consumables
                days_per_unit = cat.by_sku[sku].get("consumable_days")
                if days_per_unit and rng.random() < P_REORDER:
                    when = created + timedelta(days=days_per_unit * q * rng.uniform(0.85, 1.15))
                    due_day = (when - start).days
                    if due_day < days:
                        due[due_day].append((customer, sku, q, True))

    drafts.sort(key=lambda d: (d[0], d[1]))
    orders: list[GeneratedOrder] = []
    seq: dict[str, int] = defaultdict(int)
    for created, customer, status, paid_at, agent, priced_lines in drafts:
        local_day = created.astimezone(STORE_TZ).strftime("%Y%m%d")
        seq[local_day] += 1
        orders.append(GeneratedOrder(
            order_id=f"{local_day}{seq[local_day]:05d}", customer_id=f"demo-buyer-{customer:0{width}d}",
            created_at=created, paid_at=paid_at, status=status, agent_id=agent, lines=priced_lines))
    return orders


def planted_pairs(skus: Sequence[str], seed: int) -> list[tuple[str, str]]:
    """The pairs `generate_orders_bulk` plants: a quarter of the SKUs, two by two, chosen by seed
    (independent of the order of `skus`)."""
    order = sorted(set(skus))
    random.Random(f"pairs-{seed}").shuffle(order)
    return [(order[2 * i], order[2 * i + 1]) for i in range(len(order) // 4)]


def generate_orders_bulk(skus: list[str], n: int, seed: int) -> Iterator[tuple[str, list[str]]]:
    """Yield n baskets (order_id, [sku, ...]) quickly, for co-purchase mining benchmarks.

    Main items follow a Zipf-like popularity (seeded order). When the main item belongs to a planted pair
    (see `planted_pairs`), its partner joins the basket with probability 0.3; otherwise 10% of baskets get
    one random extra item. Planted pairs therefore have a high lift; random pairs stay near 1.
    """
    if not skus or n <= 0:
        return
    rng = random.Random(seed)
    ranked = list(dict.fromkeys(skus))
    rng.shuffle(ranked)
    cum = list(accumulate(1.0 / (rank + 1) ** 0.8 for rank in range(len(ranked))))
    partner: dict[str, str] = {}
    for a, b in planted_pairs(ranked, seed):
        partner[a], partner[b] = b, a
    rand, choices, chunk = rng.random, rng.choices, 8192
    for base in range(0, n, chunk):
        k = min(chunk, n - base)
        mains = choices(ranked, cum_weights=cum, k=k)
        extras = choices(ranked, cum_weights=cum, k=k)
        for j in range(k):
            main = mains[j]
            roll = rand()
            other = partner.get(main)
            if other is not None and roll < 0.3:
                basket = [main, other]
            elif roll > 0.9 and extras[j] != main:
                basket = [main, extras[j]]
            else:
                basket = [main]
            yield f"{base + j + 1:012d}", basket
