"""The assistant in the trainee's seat: each simulated shopper line goes to the real bot and its reply is graded.

Each run is a fresh conversation (`exam-<scenario>-<hex>`). What the bot gets is what the product gives it:
- the page context: the widget sends the scenario product as `product_sku` with every message, unless the
  scenario says `on_product_page: false`;
- a silence (a silent turn): the channel's `EXTERNAL_silence_nudge`, which channels/socketio.py triggers only
  when the bot's last message asked something;
- the opening silence of a 催付 scenario (situation `unpaid`): an unpaid order of the scenario product whose
  `customer_id` is the conversation, reminded through the reminder scheduler's own checks and send path;
- the opening silence of a 追销 scenario (situation `repurchase`): a delivered order of the scenario product,
  placed two days before it runs out (quantity x consumable_days), reminded through the same path.
Exam orders are cancelled when the run ends.
"""
from __future__ import annotations

import asyncio
import uuid
from dataclasses import replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Awaitable, Protocol

from bot import engagement
from bot.clock import utcnow
from bot.db.models import Customer, Order, OrderLine
from bot.db.uow import AbstractUnitOfWork, run_in_unit_of_work
from bot.orders.service import cancel_order, create_order
from bot.rasa_client import send_message, trigger_intent
from bot.reminders.config import ReminderConfig
from bot.repurchase.planning import outbox_row, predictions
from bot.settings import get_settings
from bot.training.simulator import ShopperLine
from bot.training.types import EXAM_PREFIX, Scenario

if TYPE_CHECKING:
    from bot.reminders.config import ReminderConfig

Message = dict[str, Any]
NUDGE_INTENT = "EXTERNAL_silence_nudge"


class BotTransport(Protocol):
    def send(self, conversation_id: str, text: str, metadata: dict[str, Any]) -> list[Message]:
        """A shopper message; the bot's messages in reply."""

    def trigger(self, conversation_id: str, intent: str, entities: dict[str, Any]) -> list[Message]:
        """An external event (nudge, reminder) into the conversation; the bot's messages it caused."""


class RestTransport:
    """A running Rasa (`RASA_URL`): the REST channel and the trigger_intent API (`--enable-api`)."""

    def __init__(self, base_url: str | None = None) -> None:
        self.base_url = base_url or get_settings().rasa_url

    def send(self, conversation_id: str, text: str, metadata: dict[str, Any]) -> list[Message]:
        return asyncio.run(send_message(conversation_id, text, metadata, self.base_url))

    def trigger(self, conversation_id: str, intent: str, entities: dict[str, Any]) -> list[Message]:
        return asyncio.run(trigger_intent(conversation_id, intent, entities, self.base_url)).get("messages") or []


class AgentRunner(Protocol):
    agent: Any

    def run(self, coroutine: Awaitable[Any]) -> Any:
        """Execute a coroutine on the agent's event loop and return its result."""

    def say(self, sender: str, text: str, metadata: dict[str, Any] | None = None) -> list[Message]:
        """Hand one shopper message to the agent as the channels do; the bot's messages."""


class AgentTransport:
    """An in-process Rasa `Agent` behind a runner such as tests/support/agent.py's (loaded once per session)."""

    def __init__(self, runner: AgentRunner) -> None:
        self.runner = runner

    def send(self, conversation_id: str, text: str, metadata: dict[str, Any]) -> list[Message]:
        return self.runner.say(conversation_id, text, metadata)

    def trigger(self, conversation_id: str, intent: str, entities: dict[str, Any]) -> list[Message]:
        """As Rasa's trigger_intent endpoint does it: under the conversation's lock, after a session check."""
        from rasa.core.channels.channel import (
            CollectingOutputChannel,  # deferred: Rasa is heavy; only this seat needs it
        )

        agent, output = self.runner.agent, CollectingOutputChannel()

        async def _trigger() -> None:
            async with agent.lock_store.lock(conversation_id):
                tracker = await agent.processor.fetch_tracker_and_update_session(conversation_id)
                await agent.trigger_intent(intent, entities, output, tracker)

        self.runner.run(_trigger())
        return output.messages


def reply_text(messages: list[Message]) -> str:
    """What the shopper reads of one bot turn: the texts, and the plain-text line of each product card."""
    lines = []
    for message in messages:
        lines.append(message.get("text") or "")
        custom: dict[str, Any] = message["custom"] if isinstance(message.get("custom"), dict) else {}
        lines += [card.get("text") or card.get("name") or "" for card in custom.get("cards") or ()]
    return "\n".join(line for line in lines if line)


class _CapturingSender:
    """The scheduler's Sender for one exam conversation: delivers through the transport, keeps the reply."""

    def __init__(self, transport: BotTransport) -> None:
        self.transport = transport
        self.messages: list[Message] = []

    async def send(self, customer_id: str, intent: str, entities: dict[str, Any]) -> None:
        self.messages = await asyncio.to_thread(self.transport.trigger, customer_id, intent, entities)

    async def already_delivered(self, customer_id: str, reminder_id: int) -> bool:
        return False                      # a fresh row, claimed once

    async def last_user_message_at(self, customer_id: str) -> None:
        return None                       # the reminder opens the exam: the shopper has not typed yet

    async def last_trouble_at(self, customer_id: str) -> None:
        return None                       # nor complained


class BotSeat:
    """The bot as the trainee; `transport` reaches a running Rasa or an in-process agent.

    The conversation id decides which variant of each script the bot picks; a fixed `run_key` makes it, and so
    the exam, repeatable where conversations do not outlive the run (the tests); by default it is random.
    """

    watches = False

    def __init__(self, transport: BotTransport, name: str = "bot", run_key: str | None = None) -> None:
        self.transport, self.name, self.run_key = transport, name, run_key
        self._scenario: Scenario | None = None
        self.conversation_id = ""
        self._last: list[Message] = []
        self._orders: list[str] = []
        self._purchases: list[str] = []

    def begin(self, scenario: Scenario) -> None:
        self._scenario, self._last, self._orders, self._purchases = scenario, [], [], []
        self.conversation_id = f"{EXAM_PREFIX}{scenario.id}-{self.run_key or uuid.uuid4().hex[:10]}"

    @property
    def scenario(self) -> Scenario:
        """The scenario being sat (set by `begin`)."""
        if self._scenario is None:
            raise RuntimeError("begin() a scenario first")
        return self._scenario

    @property
    def metadata(self) -> dict[str, Any]:
        return {"product_sku": self.scenario.product} if self.scenario.on_product_page else {}

    def answer(self, line: ShopperLine) -> str | None:
        turn = self.scenario.turns[line.turn]
        if line.text:
            messages = self.transport.send(self.conversation_id, line.text, self.metadata)
        elif self.scenario.situation_at(turn) == "unpaid" and not self._orders:
            messages = self._payment_reminder()
        elif self.scenario.situation_at(turn) == "repurchase" and not self._purchases:
            messages = self._repurchase_reminder()
        else:
            messages = self._silence_nudge()
        self._last = messages
        return reply_text(messages) or None

    def _silence_nudge(self) -> list[Message]:
        if not engagement.asks_question([m for m in self._last if "custom" not in m]):
            return []                     # the channel nudges only after a question
        return self.transport.trigger(self.conversation_id, NUDGE_INTENT, {})

    def _payment_reminder(self) -> list[Message]:
        customer = self.conversation_id
        order = run_in_unit_of_work(create_order, customer, [{"sku": self.scenario.product, "qty": 1}])
        self._orders.append(order.order_id)
        # Due now (the exam skips the wait), at any hour, with no follow-up planned after it.
        config = replace(ReminderConfig.from_env(), quiet_hours="off", followup_seconds=0)
        now = utcnow()
        return self._send_reminder_now(config, {"order_id": order.order_id, "customer_id": customer, "kind": "first",
                                                "created_at": now, "due_at": now}, now)

    def _repurchase_reminder(self) -> list[Message]:
        customer, now = self.conversation_id, utcnow()
        config = replace(ReminderConfig.from_env(), quiet_hours="off", holdout_share=0.0)
        order_id = f"EX{uuid.uuid4().hex[:20]}"
        run_in_unit_of_work(plant_purchase, self.scenario, customer, order_id, now)
        self._purchases.append(order_id)
        prediction = run_in_unit_of_work(predictions, now, config, customer)[(customer, self.scenario.product)]
        row = outbox_row(customer, self.scenario.product, prediction, now, config)
        return self._send_reminder_now(config, {**row, "due_at": now}, now)

    def _send_reminder_now(self, config: ReminderConfig, row: dict[str, Any], now: datetime) -> list[Message]:
        """Put one reminder in the outbox, due now (the exam skips the wait), and let the scheduler send it."""
        from bot.reminders.scheduler import Scheduler

        sender = _CapturingSender(self.transport)
        scheduler = Scheduler(config, sender, worker_id=f"exam:{row['customer_id']}")
        reminder_id, claimed = run_in_unit_of_work(claim_reminder_now, row, scheduler.worker, now,
                                                   config.lease_seconds)
        if claimed:
            asyncio.run(scheduler.process(reminder_id))
        return sender.messages

    def end(self) -> None:
        run_in_unit_of_work(cancel_exam_orders, self._orders, self._purchases)
        self._orders, self._purchases = [], []


# The seat's steps, each a use case in the unit of work the seat opens for it (it is the exam's boundary).

def plant_purchase(uow: AbstractUnitOfWork, scenario: Scenario, customer: str, order_id: str, now: datetime) -> None:
    """A delivered order of the scenario's consumable, bought two days before it runs out."""
    product = uow.products.get(scenario.product)
    if product is None or not product.consumable_days:
        raise ValueError(f"scenario {scenario.id}: {scenario.product} is no consumable")
    bought_at = now - timedelta(days=product.consumable_days - 2)
    if uow.customers.get(customer) is None:
        uow.customers.add_all([Customer(id=customer, created_at=bought_at)])
    uow.orders.add(Order(id=order_id, customer_id=customer, agent_id="", status="delivered",
                         total=product.price, created_at=bought_at, paid_at=bought_at,
                         lines=[OrderLine(sku=product.sku, qty=1, unit_price=product.price)]))
    uow.commit()


def claim_reminder_now(uow: AbstractUnitOfWork, row: dict[str, Any], worker: str, now: datetime,
                       lease_seconds: float) -> tuple[int, bool]:
    """Put one reminder in the outbox and claim it for `worker`: (its id, whether the claim held)."""
    customer, repo = row["customer_id"], uow.reminders
    repo.insert_ignore([row])
    reminder_id = max(r.id for r in repo.list(customer) if r.kind == row["kind"])
    claimed = repo.claim(reminder_id, customer, worker, now, now + timedelta(seconds=lease_seconds))
    uow.commit()
    return reminder_id, claimed


def cancel_exam_orders(uow: AbstractUnitOfWork, unpaid: list[str], delivered: list[str]) -> None:
    """The exam's orders are cancelled; the delivered purchases of 追销 exams stop counting."""
    for order_id in unpaid:
        cancel_order(uow, order_id)
    for order_id in delivered:
        order = uow.orders.get(order_id)
        if order is not None:
            order.status = "cancelled"
    uow.commit()
