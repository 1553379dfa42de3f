"""Co-purchase mining against a small hand-computed order set, in memory and through the database."""
from __future__ import annotations

import random
from collections import Counter
from datetime import UTC, datetime
from itertools import combinations

import pytest

from bot.recommendations.mining import MiningConfig, PairCounter, mine_baskets, rules_from_counts

# Ten orders; the empty one does not count, a repeated SKU counts once. N = 9.
#   item counts: A 4, B 4, C 3, D 1, E 3, F 2
#   pairs:       AB 3 (orders 1, 2, 5), AC 2 (1, 3), BC 2 (1, 4), EF 2 (8, 9)
BASKETS = [
    ["A", "B", "C"], ["A", "B"], ["A", "C"], ["B", "C"], ["A", "B", "A"], ["D"], [], ["E", "F"], ["E", "F"], ["E"],
]
ALL = MiningConfig(min_support=1, min_confidence=0.0, min_lift=0.0)
# (support, confidence, lift) worked out by hand: support = n_ab / 9, confidence = n_ab / n_a,
# lift = n_ab * 9 / (n_a * n_b).
EXPECTED = {
    ("A", "B"): (3 / 9, 3 / 4, 27 / 16), ("B", "A"): (3 / 9, 3 / 4, 27 / 16),
    ("A", "C"): (2 / 9, 2 / 4, 18 / 12), ("C", "A"): (2 / 9, 2 / 3, 18 / 12),
    ("B", "C"): (2 / 9, 2 / 4, 18 / 12), ("C", "B"): (2 / 9, 2 / 3, 18 / 12),
    ("E", "F"): (2 / 9, 2 / 3, 3.0), ("F", "E"): (2 / 9, 2 / 2, 3.0),
}


def as_table(result) -> dict[tuple[str, str], tuple[float, float, float]]:
    return {(r.sku_a, r.sku_b): (r.support, r.confidence, r.lift) for r in result.rules()}


def test_hand_computed_support_confidence_and_lift():
    result = mine_baskets(BASKETS, ALL)
    assert result.orders == 9
    assert result.items == 6
    assert result.pairs == 4
    table = as_table(result)
    assert set(table) == set(EXPECTED)
    for pair, expected in EXPECTED.items():
        assert table[pair] == pytest.approx(expected), pair
    assert result.rule("A", "B").pair_count == 3


@pytest.mark.parametrize("config, expected", [
    (MiningConfig(min_support=2, min_confidence=0.6, min_lift=1.6), {("A", "B"), ("B", "A"), ("E", "F"), ("F", "E")}),
    (MiningConfig(min_support=3, min_confidence=0.0, min_lift=0.0), {("A", "B"), ("B", "A")}),
    (MiningConfig(min_support=2, min_confidence=0.7, min_lift=0.0), {("A", "B"), ("B", "A"), ("F", "E")}),
    (MiningConfig(min_support=1, min_confidence=0.0, min_lift=2.0), {("E", "F"), ("F", "E")}),
    (MiningConfig(min_support=4, min_confidence=0.0, min_lift=0.0), set()),
])
def test_thresholds(config, expected):
    assert set(as_table(mine_baskets(BASKETS, config))) == expected


def test_rules_are_ordered_by_confidence_for_each_item():
    result = mine_baskets(BASKETS, ALL)
    assert sorted(r.sku_b for r in result.rules() if r.sku_a == "C") == ["A", "B"]
    confidences = [r.confidence for r in result.rules() if r.sku_a == "A"]
    assert confidences == sorted(confidences, reverse=True)


def test_chunked_counting_matches_naive_counting():
    rng = random.Random(3)
    skus = [f"S{i}" for i in range(40)]
    baskets = [rng.sample(skus, rng.randint(0, 6)) + rng.sample(skus, rng.randint(0, 2)) for _ in range(3000)]
    counter = PairCounter(chunk=97).add_all(baskets)           # forces many partial merges
    result = rules_from_counts(counter, ALL)
    pairs, items = Counter(), Counter()
    for basket in baskets:
        unique = sorted(set(basket))
        items.update(unique)
        pairs.update(combinations(unique, 2))
    n = sum(1 for b in baskets if b)
    assert result.orders == n
    assert result.pairs == len(pairs)
    for rule in result.rules():
        together = pairs[tuple(sorted((rule.sku_a, rule.sku_b)))]
        assert rule.pair_count == together
        assert rule.confidence == pytest.approx(together / items[rule.sku_a])
        assert rule.lift == pytest.approx(together * n / (items[rule.sku_a] * items[rule.sku_b]))
    assert len(result) == 2 * len(pairs)


def test_oversized_baskets_count_items_but_not_pairs():
    result = mine_baskets([["A", "B", "C"], ["A", "B"]], MiningConfig(min_support=1, min_confidence=0, min_lift=0,
                                                                      max_basket=2))
    assert result.orders == 2
    assert set(as_table(result)) == {("A", "B"), ("B", "A")}
    rule = result.rule("A", "B")
    assert (rule.pair_count, rule.confidence) == (1, 0.5)          # A was in both baskets, with B in one counted


def test_recompute_reads_orders_from_the_database_and_stores_rules(tmp_path):
    from sqlalchemy import select

    from bot.db.engine import get_session_factory
    from bot.db.migrate import upgrade
    from bot.db.models import Customer, Order, OrderLine, Product
    from bot.db.uow import UnitOfWork
    from bot.recommendations.mining import recompute
    from bot.recommendations.tables import CoPurchase

    url = f"sqlite:///{tmp_path / 'mining.db'}"
    upgrade(url)
    factory = get_session_factory(url)
    moment = datetime(2026, 1, 1, tzinfo=UTC)
    with UnitOfWork(factory) as uow:
        uow.session.add_all(Product(sku=s, name=s, category="c", price=10, floor_price=8, stock=1, attributes={},
                                    scenes=[], aliases=[], description="", image="") for s in "ABCDEFX")
        uow.session.add(Customer(id="buyer"))
        uow.session.flush()
        baskets = [b for b in BASKETS if b] + [["A", "X"], ["A", "X"], ["A", "X"]]
        for i, basket in enumerate(baskets):
            status = "cancelled" if "X" in basket else "delivered"      # cancelled orders do not count
            order = Order(id=f"o{i:03d}", customer_id="buyer", status=status, total=10, created_at=moment)
            order.lines = [OrderLine(sku=s, qty=1, unit_price=10) for s in basket]
            uow.session.add(order)
        uow.commit()
    with UnitOfWork(factory) as uow:
        result = recompute(uow, ALL)
    assert result.orders == 9
    with UnitOfWork(factory) as uow:
        rows = {(r.sku_a, r.sku_b): (r.pair_count, r.support, r.confidence, r.lift, r.computed_at)
                for r in uow.session.scalars(select(CoPurchase))}
    assert set(rows) == set(EXPECTED)
    assert rows[("A", "B")][:4] == pytest.approx((3, 3 / 9, 3 / 4, 27 / 16))
    assert rows[("F", "E")][:4] == pytest.approx((2, 2 / 9, 1.0, 3.0))
    assert rows[("A", "B")][4] is not None
    with UnitOfWork(factory) as uow:
        recompute(uow, MiningConfig(min_support=3, min_confidence=0, min_lift=0))
    with UnitOfWork(factory) as uow:                          # recomputing replaces the stored rules
        assert {(r.sku_a, r.sku_b) for r in uow.session.scalars(select(CoPurchase))} == {("A", "B"), ("B", "A")}
