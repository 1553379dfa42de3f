"""Stock is reserved when an order is placed and given back on cancel or expiry; an order is paid only by a
signed notification; pay, cancel and expiry race safely. On SQLite and (marked `scaled`) PostgreSQL."""
from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest

from bot.db.uow import UnitOfWork
from bot.orders import service as orders
from bot.payments import service as payments
from tests.support.reminders import fresh_database, set_order, set_stock
from tests.unit.test_reminders import BACKENDS, database_server


@pytest.fixture(params=BACKENDS)
def db(request, tmp_path):
    with fresh_database(tmp_path, database_server(request.param)) as url:
        yield url


def stock(sku: str) -> int:
    with UnitOfWork() as uow:
        return uow.products.get(sku).stock


def together(count: int, work) -> list:
    """Run `work(i)` in `count` threads released at once; each result, or the exception it raised."""
    barrier = threading.Barrier(count)

    def run(i: int):
        barrier.wait()
        try:
            return work(i)
        except Exception as exc:  # noqa: BLE001 - collected for the assertions
            return exc

    with ThreadPoolExecutor(count) as pool:
        return list(pool.map(run, range(count)))


def test_twenty_concurrent_orders_on_stock_five_never_oversell(db) -> None:
    set_stock("TEE-V", 5)
    results = together(20, lambda i: orders.create_order(f"buyer-{i}", [{"sku": "TEE-V", "qty": 1}]))
    placed = [r for r in results if isinstance(r, orders.OrderView)]
    refused = [r for r in results if isinstance(r, orders.OrderError)]
    assert len(placed) == 5 and len(refused) == 15, [r for r in results if not isinstance(r, (orders.OrderView,
                                                                                              orders.OrderError))]
    assert stock("TEE-V") == 0
    assert len({o.order_id for o in placed}) == 5 and all(len(o.order_id) == 16 for o in placed)


def test_repeated_lines_are_summed_and_a_refused_order_reserves_nothing(db) -> None:
    set_stock("TEE-V", 3)
    with pytest.raises(orders.OrderError, match="TEE-V has 3 in stock"):
        orders.create_order("summer", [{"sku": "TEE-V", "qty": 2}, {"sku": "TEE-V", "qty": 2}])
    with pytest.raises(orders.OrderError, match="unknown sku"):
        orders.create_order("summer", [{"sku": "TEE-V", "qty": 1}, {"sku": "NOPE", "qty": 1}])
    assert stock("TEE-V") == 3
    order = orders.create_order("summer", [{"sku": "TEE-V", "qty": 2}, {"sku": "TEE-V", "qty": 1}])
    assert [(line.sku, line.qty) for line in order.lines] == [("TEE-V", 3)] and stock("TEE-V") == 0


def test_cancel_and_expiry_give_the_stock_back_once(db) -> None:
    before = stock("CASE-20")
    cancelled = orders.create_order("c1", [{"sku": "CASE-20", "qty": 2}])
    old = orders.create_order("c2", [{"sku": "CASE-20", "qty": 1}])
    assert stock("CASE-20") == before - 3
    assert orders.cancel_order(cancelled.order_id).status == "cancelled"
    assert orders.cancel_order(cancelled.order_id).status == "cancelled"  # a second cancel changes nothing
    assert stock("CASE-20") == before - 1
    set_order(old.order_id, created_at=datetime.now(UTC) - timedelta(days=3))
    assert orders.expire_orders(datetime.now(UTC) - timedelta(days=2)) == 1
    assert orders.get_order(old.order_id).status == "cancelled" and stock("CASE-20") == before


def signed(order_id: str, amount: float, trade_no: str) -> tuple[bytes, str, dict]:
    body = {"order_id": order_id, "amount": amount, "trade_no": trade_no}
    raw = payments.encode(body)
    return raw, payments.sign(raw), body


def test_only_a_signed_notification_with_the_right_amount_pays_and_a_replay_is_a_no_op(db) -> None:
    order = orders.create_order("payer", [{"sku": "TEE-V", "qty": 2}])
    raw, signature, body = signed(order.order_id, 138.0, "T-1")
    assert payments.notify(raw, None, body).status == 401
    assert payments.notify(raw, "0" * 64, body).status == 401
    assert payments.notify(raw, payments.sign(raw, "another-secret"), body).status == 401
    forged = payments.encode({**body, "amount": 0.01})
    assert payments.notify(forged, signature, {**body, "amount": 0.01}).status == 401  # body changed after signing
    cheap = signed(order.order_id, 1.0, "T-2")
    assert payments.notify(*cheap).status == 400
    assert orders.get_order(order.order_id).status == "unpaid"
    first = payments.notify(raw, signature, body)
    assert (first.status, first.body["status"]) == (200, "paid")
    paid_at = orders.get_order(order.order_id).paid_at
    replay = payments.notify(raw, signature, body)
    assert replay.status == 200 and replay.body["duplicate"] is True
    assert orders.get_order(order.order_id).paid_at == paid_at


def test_pay_and_cancel_race_and_exactly_one_wins(db) -> None:
    set_stock("TEE-V", 40)
    placed = [orders.create_order(f"racer-{i}", [{"sku": "TEE-V", "qty": 1}]) for i in range(8)]
    for i, order in enumerate(placed):
        notification = signed(order.order_id, order.total, f"race-{i}")
        pay, cancel = together(2, lambda who: payments.notify(*notification) if who == 0
                               else orders.cancel_order(order.order_id))
        final = orders.get_order(order.order_id).status
        assert final in ("paid", "cancelled")
        assert (pay.status == 200) == (final == "paid") and (pay.status == 409) == (final == "cancelled")
        assert cancel.status == final
    cancelled = sum(orders.get_order(o.order_id).status == "cancelled" for o in placed)
    assert stock("TEE-V") == 40 - 8 + cancelled  # only the cancelled ones gave their item back
