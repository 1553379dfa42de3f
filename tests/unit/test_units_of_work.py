"""Use cases run in the unit of work they are given (the in-memory fake: no database), commit what they write,
and the turn boundary opens one unit of work per action run."""
from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from rasa_sdk import Action
from rasa_sdk.executor import ActionExecutor

from actions.context import call, open_a_unit_of_work_per_turn
from bot.db import scope
from bot.db.models import ProductRelation
from bot.handoff import queue
from bot.handoff import service as handoff
from bot.handoff.config import load_handoff_config
from bot.orders import service as orders
from bot.payments import service as payments
from bot.recommendations import metrics
from bot.recommendations.bundles import BundleConfig, suggest_bundle
from bot.recommendations.engine import recommend, recommend_in_conversation
from bot.recommendations.types import RecommendationContext as Ctx
from tests.support.fake_uow import FakeUnitOfWork, UnitOfWorkOpened, forbid_own_units_of_work, product

CONFIG = load_handoff_config()


@pytest.fixture(autouse=True)
def no_database(monkeypatch):
    """Every test here fails if a service opens a unit of work of its own (a database one)."""
    forbid_own_units_of_work(monkeypatch)


@pytest.fixture
def uow() -> FakeUnitOfWork:
    return FakeUnitOfWork(
        products=[product("SWIM", category="swim", price=200, floor_price=150, stock=5),
                  product("HAT", category="hat", price=60, floor_price=40, stock=3),
                  product("GONE", category="hat", price=30, stock=0)],
        relations=[ProductRelation(from_sku="SWIM", to_sku="HAT", type="complementary", reason="遮阳"),
                   ProductRelation(from_sku="SWIM", to_sku="GONE", type="complementary", reason="")])


def test_the_fake_refuses_a_service_that_opens_its_own_unit_of_work():
    from bot.db.uow import UnitOfWork

    with pytest.raises(UnitOfWorkOpened):
        UnitOfWork()


def test_an_order_reserves_its_stock_and_is_committed_once(uow):
    order = orders.create_order(uow, "c1", [{"sku": "SWIM", "qty": 2}, {"sku": "HAT", "qty": 1}])
    assert (order.total, order.status) == (460.0, "unpaid")
    assert uow.commits == 1
    assert uow.committed.products["SWIM"].stock == 3 and uow.committed.products["HAT"].stock == 2
    assert order.order_id in uow.committed.orders           # what the next unit of work reads


def test_a_refused_order_rolls_back_what_it_reserved(uow):
    with pytest.raises(orders.OrderError, match="HAT has 3 in stock"):
        orders.create_order(uow, "c1", [{"sku": "SWIM", "qty": 1}, {"sku": "HAT", "qty": 4}])
    assert uow.commits == 0
    assert uow.products.get("SWIM").stock == 5 and uow.committed.products["SWIM"].stock == 5


def test_cancel_gives_the_stock_back_and_paying_a_cancelled_order_is_refused(uow):
    order = orders.create_order(uow, "c1", [{"sku": "HAT", "qty": 2}])
    assert orders.cancel_order(uow, order.order_id).status == "cancelled"
    assert uow.committed.products["HAT"].stock == 3
    outcome = payments.record(uow, order.order_id, order.total, "T-1", "demo")
    assert outcome.status == 409
    assert "T-1" not in uow.committed.payments               # the refused payment is not kept


def test_a_payment_pays_once_and_a_replay_is_a_no_op(uow):
    order = orders.create_order(uow, "c1", [{"sku": "HAT", "qty": 1}])
    assert payments.record(uow, order.order_id, 1.0, "T-0", "demo").status == 400      # wrong amount
    first = payments.record(uow, order.order_id, 60.0, "T-1", "demo")
    assert (first.status, first.body["status"]) == (200, "paid")
    assert uow.committed.orders[order.order_id].status == "paid" and "T-1" in uow.committed.payments
    replay = payments.record(uow, order.order_id, 60.0, "T-1", "demo")
    assert replay.status == 200 and replay.body["duplicate"] is True
    assert payments.record(uow, "missing", 60.0, "T-9", "demo").status == 404


def test_suggestion_events_are_committed_and_remembered(uow):
    assert metrics.record_shown(uow, "chat", [("HAT", "complementary"), ("SWIM", "substitute")]) == 2
    metrics.record_declined(uow, "chat", "SWIM")
    assert uow.commits == 2
    assert metrics.memory(uow, "chat") == (("HAT", "SWIM"), ("SWIM",))
    assert metrics.record_accepted_if_suggested(uow, "chat", "HAT")
    assert not metrics.record_accepted_if_suggested(uow, "chat", "HAT")          # counted once
    assert [(k.kind, k.accepted) for k in metrics.report(uow).by_kind] == [("complementary", 1), ("substitute", 0)]


def test_buying_brings_the_curated_in_stock_complement(uow):
    result = recommend(uow, Ctx(product_sku="SWIM", intent="want_buy"))
    assert [s.product.sku for s in result.suggestions] == ["HAT"] and result.suggestions[0].reason == "遮阳"
    assert result.bundle is None                              # no paid orders: no AOV to price a bundle against


def test_what_the_conversation_declined_is_not_suggested_again(uow):
    metrics.record_declined(uow, "chat", "HAT", "complementary")
    assert recommend_in_conversation(uow, "chat", Ctx(product_sku="SWIM", intent="want_buy")).suggestions == ()


def test_a_bundle_is_priced_inside_the_aov_band(uow):
    bundle = suggest_bundle(uow, "SWIM", aov=200.0, config=BundleConfig())
    assert (bundle.main.sku, bundle.addon.sku, bundle.relation) == ("SWIM", "HAT", "complementary")
    assert 240.0 <= bundle.price <= 247.0 and bundle.saving == round(260.0 - bundle.price, 2)


def test_a_handoff_is_committed_and_released(uow):
    handoff.open_handoff(uow, "chat", "requested", {"last_messages": ["转人工"]})
    assert uow.commits == 1 and handoff.is_handed_over(uow, "chat")
    handoff.open_handoff(uow, "chat", "complaint", {}, urgent=True)               # the open one is updated
    assert [h.reason for h in handoff.open_handoffs(uow)] == ["escalation"]
    assert handoff.release(uow, "chat") == 1 and not handoff.is_handed_over(uow, "chat")
    assert uow.commits == 3


def test_the_queue_gives_a_chat_to_one_agent_and_requeues_it_when_the_agent_leaves(uow):
    now = datetime.now(UTC)
    handoff.open_handoff(uow, "chat-1", "requested", {})
    handoff.open_handoff(uow, "chat-2", "escalation", {}, urgent=True)
    assert [i.conversation_id for i in queue.queue(uow, now)] == ["chat-2", "chat-1"]   # urgent first
    queue.touch(uow, "xiaomei", "小美", now)
    assert queue.claim(uow, "chat-1", "xiaomei", now) == "claimed"
    assert queue.claim(uow, "chat-1", "xiaomei", now) == "already"
    assert queue.claim(uow, "chat-1", "aqiang", now) == "taken"
    assert queue.claim(uow, "nobody", "aqiang", now) == "none"
    assert queue.online_agents(uow, CONFIG, now) == ["xiaomei"]
    swept = queue.sweep(uow, CONFIG, now + timedelta(seconds=CONFIG.agent_offline_seconds + 1))
    assert swept.requeued == ("chat-1",)                      # her workspace went quiet: back to the queue
    assert uow.committed.handoffs[0].status == "waiting"
    assert queue.release(uow, "chat-1") == 1 and queue.current(uow, "chat-1") is None


def test_each_step_of_a_turn_drops_what_it_did_not_commit(uow):
    def reserve_and_forget(uow, sku: str) -> bool:
        return uow.products.reserve(sku, 1)

    async def turn() -> int:
        await scope.in_worker(reserve_and_forget, "HAT")
        return (await scope.in_worker(lambda uow: uow.products.get("HAT"))).stock

    with scope.unit_of_work_scope(lambda: uow):
        assert asyncio.run(turn()) == 3                       # the uncommitted reservation is gone
    assert uow.commits == 0


class ActionTwoSteps(Action):
    def name(self) -> str:
        return "action_two_steps"

    async def run(self, dispatcher, tracker, domain) -> list[dict[str, Any]]:
        first = await call(lambda uow: uow)
        second = await call(lambda uow: uow)
        dispatcher.utter_message(text="same" if first is second else "two")
        return []


def test_the_executor_opens_one_unit_of_work_per_action_run(monkeypatch):
    opened: list[FakeUnitOfWork] = []
    monkeypatch.setattr(scope, "UnitOfWork", lambda: opened.append(FakeUnitOfWork()) or opened[-1])
    open_a_unit_of_work_per_turn()
    executor = ActionExecutor()
    executor.register_action(ActionTwoSteps)
    tracker = {"sender_id": "s", "slots": {}, "latest_message": {}, "events": [], "paused": False,
               "followup_action": None, "active_loop": {}, "latest_action_name": None}
    for _ in range(2):
        result = asyncio.run(executor.run({"next_action": "action_two_steps", "tracker": tracker, "domain": {}}))
        assert result["responses"][0]["text"] == "same"
    assert len(opened) == 2
