"""Real scheduler processes (`python -m bot.reminders`), two at once, crashing on purpose, against a fake Rasa,
on SQLite and (marked `scaled`) on a new PostgreSQL database.

The fake Rasa records every trigger_intent call and serves the tracker with the external events, the way
Rasa does; the assertion everywhere is: exactly one trigger per reminder.
"""
from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Iterator

import httpx
import pytest
from aiohttp import web

from bot.ops.processes import free_port
from bot.settings import PROJECT_ROOT
from tests.support.reminders import fresh_database, make_order, rows
from tests.support.security import bearer, notify_payment, shopper
from tests.unit.test_reminders import BACKENDS, database_server

pytestmark = pytest.mark.e2e
ORDERS = 8


class FakeRasa:
    """POST /conversations/<id>/trigger_intent and GET /conversations/<id>/tracker, in a thread."""

    def __init__(self, processing_seconds: float = 0.2) -> None:
        self.port = free_port()
        self.processing_seconds = processing_seconds
        self.events: dict[str, list[dict[str, Any]]] = {}
        self.triggers: list[tuple[str, str, dict[str, Any]]] = []
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @staticmethod
    def authorised(request: web.Request) -> bool:
        """Like Rasa started with --auth-token: every caller must send the token."""
        return request.query.get("token") == os.environ["RASA_AUTH_TOKEN"]

    async def trigger(self, request: web.Request) -> web.Response:
        if not self.authorised(request):
            return web.json_response({"error": "NotAuthenticated"}, status=401)
        conversation, body = request.match_info["cid"], await request.json()
        await asyncio.sleep(self.processing_seconds)  # Rasa runs the action, then stores the tracker
        name, entities = body["name"], body.get("entities") or {}
        self.triggers.append((conversation, name, entities))
        self.events.setdefault(conversation, []).append({
            "event": "user", "timestamp": time.time(), "text": f"EXTERNAL: {name}",
            "metadata": {"is_external": True},
            "parse_data": {"intent": {"name": name}, "entities": [{"entity": k, "value": v} for k, v in entities.items()]},
        })
        return web.json_response({"tracker": {"sender_id": conversation}, "messages": []})

    async def tracker(self, request: web.Request) -> web.Response:
        if not self.authorised(request):
            return web.json_response({"error": "NotAuthenticated"}, status=401)
        conversation = request.match_info["cid"]
        return web.json_response({"sender_id": conversation, "events": self.events.get(conversation, [])})

    def _serve(self) -> None:
        asyncio.set_event_loop(self._loop)
        app = web.Application()
        app.router.add_post("/conversations/{cid}/trigger_intent", self.trigger)
        app.router.add_get("/conversations/{cid}/tracker", self.tracker)
        runner = web.AppRunner(app)
        self._loop.run_until_complete(runner.setup())
        self._loop.run_until_complete(web.TCPSite(runner, "127.0.0.1", self.port).start())
        self._ready.set()
        self._loop.run_forever()
        self._loop.run_until_complete(runner.cleanup())

    def __enter__(self) -> FakeRasa:
        self._thread.start()
        self._ready.wait(10)
        return self

    def __exit__(self, *exc) -> None:
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)

    def per_reminder(self) -> Counter:
        return Counter(int(entities["reminder_id"]) for _, _, entities in self.triggers)


@dataclass
class World:
    env: dict[str, str]
    rasa: FakeRasa
    marker: Path


@pytest.fixture(params=BACKENDS)
def world(request, tmp_path: Path) -> Iterator[World]:
    with fresh_database(tmp_path, database_server(request.param)) as url, FakeRasa() as rasa:
        marker = tmp_path / "crashed"
        yield World({
            **os.environ, "PYTHONPATH": str(PROJECT_ROOT), "DATABASE_URL": url, "RASA_URL": rasa.url,
            "QUIET_HOURS": "off", "REMINDER_DELAY_SECONDS": "1", "REMINDER_FOLLOWUP_SECONDS": "0",
            "REMINDER_HOLDOUT_SHARE": "0", "REMINDER_LEASE_SECONDS": "2", "REMINDER_SEND_TIMEOUT": "1",
            "REMINDER_TRACKER_TIMEOUT": "0.4", "REMINDER_BUSY_SECONDS": "0", "REMINDER_TICK_SECONDS": "0.2",
            "REMINDER_RETRY_SECONDS": "1", "REMINDER_CRASH_MARKER": str(marker),
        }, rasa, marker)


def start(world: World, name: str, *args: str, **extra: str) -> subprocess.Popen:
    log = open(world.marker.parent / f"{name}.log", "w")
    default = ("-m", "tests.support.crashing") if "REMINDER_CRASH_AT" in extra else ("-m", "bot.reminders")
    return subprocess.Popen([sys.executable, *(args or default)], cwd=PROJECT_ROOT, stdout=log,
                            stderr=subprocess.STDOUT, env={**world.env, **extra})


def stop(process: subprocess.Popen) -> int:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(10)
    if process.poll() is None:
        process.kill()
    return process.wait()


def wait_healthy(process: subprocess.Popen, url: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while True:
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(url, timeout=1).status_code == 200:
                return
        assert time.monotonic() < deadline and process.poll() is None, f"{url} did not come up"
        time.sleep(0.2)


def place_orders(count: int = ORDERS) -> list[str]:
    now = datetime.now(UTC)
    return [make_order(f"e2e-{i}", [("TEE-V", 1)], created_at=now) for i in range(count)]


def wait_sent(orders: list[str], expected: int, kinds: tuple[str, ...] = ("first",), timeout: float = 15.0) -> list:
    """Wait until `expected` rows of these kinds exist for the orders and all are sent."""
    deadline = time.monotonic() + timeout
    while True:
        found = [r for order in orders for r in rows(order) if r.kind in kinds]
        if len(found) == expected and all(r.state == "sent" for r in found):
            return found
        assert time.monotonic() < deadline, f"not all sent in {timeout}s: {[(r.id, r.kind, r.state) for r in found]}"
        time.sleep(0.2)


def test_two_schedulers_at_once_send_each_reminder_exactly_once(world):
    rasa = world.rasa
    orders = place_orders()
    workers = [start(world, "a"), start(world, "b")]
    try:
        sent = wait_sent(orders, ORDERS)
        time.sleep(1)  # anything doubled would show up now
    finally:
        codes = [stop(w) for w in workers]
    assert codes == [0, 0]  # SIGTERM is a clean stop
    assert rasa.per_reminder() == Counter({r.id: 1 for r in sent})
    assert {c for c, _, _ in rasa.triggers} == {f"e2e-{i}" for i in range(ORDERS)}
    assert {name for _, name, _ in rasa.triggers} == {"EXTERNAL_payment_reminder"}


@pytest.mark.parametrize("point", ["after_claim", "after_send"])
def test_a_scheduler_killed_mid_send_and_restarted_loses_and_doubles_nothing(world, point):
    rasa = world.rasa
    orders = place_orders()
    workers = [start(world, "a", REMINDER_CRASH_AT=point), start(world, "b", REMINDER_CRASH_AT=point)]
    restarted = None
    try:
        deadline = time.monotonic() + 10
        while all(w.poll() is None for w in workers) and time.monotonic() < deadline:
            time.sleep(0.05)
        crashed = [w for w in workers if w.poll() is not None]
        assert len(crashed) == 1 and crashed[0].returncode == 1, "exactly one scheduler should have crashed"
        restarted = start(world, "restarted", REMINDER_CRASH_AT=point)  # back; the marker says it crashed once
        sent = wait_sent(orders, ORDERS)
        time.sleep(1)
    finally:
        for w in workers + ([restarted] if restarted else []):
            stop(w)
    assert world.marker.exists()
    assert rasa.per_reminder() == Counter({r.id: 1 for r in sent})


def test_stock_change_through_the_web_api_reaches_the_shopper_first(world):
    rasa = world.rasa
    now = datetime.now(UTC)
    unpaid = make_order("stock-1", [("TEE-ROUND", 1)], created_at=now)
    paid = make_order("stock-2", [("TEE-ROUND", 1)], created_at=now, status="paid", paid_at=now)
    port = free_port()
    app = ("from sanic import Sanic\nfrom bot.web.notices import bp\napp = Sanic('notices_e2e')\n"
           f"app.blueprint(bp)\napp.run(host='127.0.0.1', port={port}, access_log=False)\n")
    server, worker = start(world, "web", "-c", app), None
    try:
        base = f"http://127.0.0.1:{port}"
        wait_healthy(server, f"{base}/api/reminders")
        changed = httpx.post(f"{base}/api/products/TEE-ROUND/stock", json={"stock": 0}).json()
        assert changed["notices_planned"] == 2 and changed["stock"] == 0
        assert httpx.post(f"{base}/api/products/NOPE/stock", json={"stock": 0}).status_code == 404
        assert httpx.post(f"{base}/api/products/TEE-ROUND/stock", json={"stock": -1}).status_code == 400
        delayed = httpx.post(f"{base}/api/orders/{paid}/delay", json={"extra_days": 2}).json()
        assert delayed["planned"] is True
        assert httpx.post(f"{base}/api/orders/{paid}/delay", json={"extra_days": "x"}).status_code == 400
        assert httpx.post(f"{base}/api/orders/NOPE/delay", json={"extra_days": 1}).status_code == 404
        worker = start(world, "notices")
        wait_sent([unpaid, paid], 3, kinds=("stock_out", "delay"))
        listed = httpx.get(f"{base}/api/reminders", params={"customer_id": "stock-2"}).json()
        assert sorted(r["kind"] for r in listed) == ["delay", "stock_out"]
        assert all(r["state"] == "sent" for r in listed)
        time.sleep(1.5)  # the unpaid order's payment reminder is due now, but its item is gone
    finally:
        if worker:
            stop(worker)
        stop(server)
    assert [(r.kind, r.state, r.skip_reason) for r in rows(unpaid)] == [
        ("stock_out", "sent", None), ("first", "skipped", "out_of_stock")]
    assert sorted((c, n) for c, n, _ in rasa.triggers) == [
        ("stock-1", "EXTERNAL_change_notice"), ("stock-2", "EXTERNAL_change_notice"),
        ("stock-2", "EXTERNAL_change_notice")]
    assert set(rasa.per_reminder().values()) == {1}


def test_orders_through_the_web_api_unpaid_gets_one_reminder_paid_gets_none(world):
    """The real web app takes the orders; the shopper who pays before the delay is never reminded."""
    port = free_port()
    web, base = start(world, "web-orders", "-m", "bot.web", "--port", str(port)), f"http://127.0.0.1:{port}"
    try:
        wait_healthy(web, f"{base}/health")

        def order(token: str) -> dict:
            reply = httpx.post(f"{base}/api/orders", headers=bearer(token), json={
                "items": [{"sku": "TEE-V", "qty": 1}, {"sku": "CASE-20", "qty": 1}], "agent_id": "aqiang"})
            assert reply.status_code == 201, reply.text
            return reply.json()

        (unpaid_shopper, unpaid_token), (_, paid_token) = shopper(base), shopper(base)
        unpaid, paid = order(unpaid_token), order(paid_token)
        assert (unpaid["status"], unpaid["agent_id"]) == ("unpaid", "aqiang")
        assert notify_payment(base, paid["order_id"], paid["total"]).json()["status"] == "paid"
        worker = start(world, "orders")  # starts after the payment: no timing in this test
        try:
            sent = wait_sent([unpaid["order_id"]], 1)
            time.sleep(1)
        finally:
            stop(worker)
    finally:
        stop(web)
    assert world.rasa.triggers == [(unpaid_shopper, "EXTERNAL_payment_reminder", {"reminder_id": str(sent[0].id)})]
    assert rows(paid["order_id"]) == []
