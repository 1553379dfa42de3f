"""The whole path with a real Rasa server: a shopper chats, orders through the web app, does not pay, and the
scheduler process pushes the reminder into that open conversation through trigger_intent; the shopper's
reasons get the fitting answers. Rasa runs locked down as in `make run`: its API needs the token, and one
shopper cannot read, join or speak in another's chat. Skips with the reason when no trained model is there."""
from __future__ import annotations

import os
import re
import tarfile
import time
from pathlib import Path
from typing import Iterator

import httpx
import pytest
import yaml

from bot.ops.processes import free_port
from bot.ops.serve_rasa import rasa_args
from bot.scripts.loader import load_library
from bot.security.tokens import issue_shopper_token
from bot.settings import PROJECT_ROOT
from tests.e2e.test_reminders_e2e import World, start, stop, wait_healthy
from tests.support.reminders import fresh_database
from tests.support.security import bearer, rasa_token, shopper

CREDENTIALS = ("channels.rest.StoreRestInput:\nchannels.socketio.StoreSocketIOInput:\n"
               "  user_message_evt: user_uttered\n  bot_message_evt: bot_uttered\n  session_persistence: true\n")

pytestmark = [pytest.mark.e2e, pytest.mark.agent]
LIBRARY, _ = load_library(PROJECT_ROOT / "scripts_library")


def latest_model() -> Path | None:
    from bot.ops.train import model_path

    current = model_path()
    if current.exists():
        return current
    models = sorted(PROJECT_ROOT.glob("models/store-*.tar.gz"), key=lambda p: p.stat().st_mtime)
    return models[-1] if models else None


def model_actions(model: Path) -> set[str]:
    with tarfile.open(model) as archive:
        member = next(m for m in archive.getmembers() if m.name.endswith("domain_provider/domain.yml"))
        return set(yaml.safe_load(archive.extractfile(member).read()).get("actions") or [])


def matches(response: str, text: str) -> bool:
    """Is `text` one of the response's variants with its placeholders filled?"""
    for variant in LIBRARY.responses[response].variants:
        pattern = re.sub(r"\\\{[a-z_]+\\\}", ".+", re.escape(variant.text))
        if re.fullmatch(pattern, text, re.S):
            return True
    return False


class Stack:
    def __init__(self, world: World, model: Path) -> None:
        self.world, self.model, self.processes = world, model, []
        self.web_port, self.action_port, self.rasa_port = free_port(), free_port(), free_port()
        self.web, self.rasa = f"http://127.0.0.1:{self.web_port}", f"http://127.0.0.1:{self.rasa_port}"

    def __enter__(self) -> Stack:
        endpoints = self.world.marker.parent / "endpoints.yml"
        endpoints.write_text(f'action_endpoint:\n  url: "http://127.0.0.1:{self.action_port}/webhook"\n'
                             f'nlg:\n  url: "{self.web}/nlg"\n  token: ${{RASA_AUTH_TOKEN}}\n', encoding="utf-8")
        credentials = self.world.marker.parent / "credentials.yml"
        credentials.write_text(CREDENTIALS, encoding="utf-8")
        env = {"RASA_URL": self.rasa, "NLG_URL": f"{self.web}/nlg"}
        self.processes = [
            start(self.world, "web", "-m", "bot.web", "--port", str(self.web_port), **env),
            start(self.world, "actions", "-m", "rasa_sdk", "--actions", "actions", "--port", str(self.action_port)),
            start(self.world, "rasa", "-m", "rasa", *rasa_args(str(self.rasa_port), str(self.model), str(endpoints),
                                                               credentials=str(credentials)), **env),
        ]
        wait_healthy(self.processes[0], f"{self.web}/health")
        wait_healthy(self.processes[1], f"http://127.0.0.1:{self.action_port}/health")
        wait_healthy(self.processes[2], f"{self.rasa}/status?token={rasa_token()['token']}", timeout=300)
        self.processes.append(start(self.world, "scheduler", RASA_URL=self.rasa))
        return self

    def __exit__(self, *exc) -> None:
        for process in self.processes:
            stop(process)

    def session(self) -> str:
        """A new shopper session (its id is the sender id; the token is signed with the stack's secret)."""
        return shopper()[0]

    def say(self, sender: str, text: str) -> list[str]:
        token = issue_shopper_token(sender)
        reply = httpx.post(f"{self.rasa}/webhooks/rest/webhook", json={"sender": sender, "message": text},
                           headers=bearer(token), timeout=60)
        reply.raise_for_status()
        return [m.get("text") or "" for m in reply.json()]

    def bot_texts(self, sender: str) -> list[str]:
        events = httpx.get(f"{self.rasa}/conversations/{sender}/tracker", params=rasa_token(),
                           timeout=30).json()["events"]
        return [e.get("text") or "" for e in events if e.get("event") == "bot"]

    def order(self, sender: str) -> str:
        reply = httpx.post(f"{self.web}/api/orders", json={"items": [{"sku": "TEE-V", "qty": 2}], "agent_id": "aqiang"},
                           headers=bearer(issue_shopper_token(sender)), timeout=10)
        assert reply.status_code == 201, reply.text
        return reply.json()["order_id"]

    def wait_reminder(self, sender: str, seen: int, timeout: float = 60.0) -> str:
        deadline = time.monotonic() + timeout
        while True:
            texts = self.bot_texts(sender)
            if len(texts) > seen and matches("utter_payment_reminder", texts[-1]):
                return texts[-1]
            assert time.monotonic() < deadline, f"no reminder in the conversation: {texts[seen:]}"
            time.sleep(0.5)


@pytest.fixture(scope="module")
def stack(tmp_path_factory) -> Iterator[Stack]:
    model = latest_model()
    if model is None:
        pytest.skip("no trained model in models/ (run `make train`)")
    tmp = tmp_path_factory.mktemp("reminders-rasa")
    with fresh_database(tmp) as url:
        world = World({**os.environ, "PYTHONPATH": str(PROJECT_ROOT), "DATABASE_URL": url,
                       "QUIET_HOURS": "off", "REMINDER_DELAY_SECONDS": "1", "REMINDER_FOLLOWUP_SECONDS": "0",
                       "REMINDER_HOLDOUT_SHARE": "0", "REMINDER_BUSY_SECONDS": "1", "REMINDER_TICK_SECONDS": "0.5",
                       "TF_CPP_MIN_LOG_LEVEL": "2"}, None, tmp / "marker")
        with Stack(world, model) as running:
            yield running


def test_the_reminder_reaches_the_open_conversation_in_the_agents_voice(stack):
    sender = stack.session()
    assert stack.say(sender, "你好")
    stack.order(sender)
    reminder = stack.wait_reminder(sender, len(stack.bot_texts(sender)))
    assert "阿强" in reminder and "V-neck tee×2" in reminder


REASONS = [  # (what the shopper says, the response that must answer it)
    ("太贵了", "utter_unpaid_reason_price"),
    ("别家更便宜", "utter_unpaid_reason_compare"),
    ("付不了款", "utter_unpaid_reason_payment"),
    ("发什么快递", "utter_unpaid_reason_shipping"),
    ("忘记付款了", "utter_unpaid_reason_forgot"),
]


def test_each_reason_after_a_reminder_gets_the_fitting_answer(stack):
    if "action_answer_unpaid_reason" not in model_actions(stack.model):
        pytest.skip(f"{stack.model.name} was trained before the reminder answers (run `make train`)")
    sender = stack.session()
    stack.say(sender, "你好")
    stack.order(sender)
    stack.wait_reminder(sender, len(stack.bot_texts(sender)))
    for text, response in REASONS:
        replies = stack.say(sender, text)
        assert replies and matches(response, replies[0]), (text, replies)
    declined = stack.session()
    stack.say(declined, "你好")
    stack.order(declined)
    stack.wait_reminder(declined, len(stack.bot_texts(declined)))
    replies = stack.say(declined, "不用了")
    assert replies and matches("utter_unpaid_reason_no_longer", replies[0]), replies
    assert httpx.get(f"{stack.web}/health").status_code == 200


def test_rasa_api_without_the_token_is_refused(stack):
    sender = stack.session()
    for method, path in (("GET", "/status"), ("GET", f"/conversations/{sender}/tracker"),
                         ("POST", f"/conversations/{sender}/tracker/events"), ("PUT", "/model"),
                         ("DELETE", "/model"), ("POST", f"/conversations/{sender}/trigger_intent")):
        for params in ({}, {"token": "wrong"}):
            reply = httpx.request(method, stack.rasa + path, params=params, json=[{"event": "bot", "text": "x"}])
            assert reply.status_code == 401, (method, path, reply.status_code)
    assert stack.bot_texts(sender) == []  # nothing was pushed into the conversation


def test_the_rest_channel_needs_the_sessions_own_token(stack):
    mine, token = shopper()
    other = stack.session()
    url = f"{stack.rasa}/webhooks/rest/webhook"
    assert httpx.post(url, json={"sender": mine, "message": "你好"}).status_code == 401
    assert httpx.post(url, json={"sender": other, "message": "你好"}, headers=bearer(token)).status_code == 403
    assert httpx.post(url, content=b"x" * 20_000, headers=bearer(token)).status_code == 413
    assert httpx.post(url, json={"sender": mine, "message": ["x"]}, headers=bearer(token)).status_code == 400
    reply = httpx.post(url, json={"sender": mine, "message": "你好" * 400, "metadata": "not json"},
                       headers=bearer(token), timeout=60)
    assert reply.status_code == 200 and reply.json()
    assert stack.bot_texts(other) == []


def test_one_shopper_cannot_read_join_or_speak_in_another_chat(stack):
    import asyncio

    import socketio

    victim, victim_token = shopper(stack.web)
    _, thief_token = shopper(stack.web)
    assert stack.say(victim, "你好")
    history = f"{stack.web}/api/chat/{victim}/history"
    assert httpx.get(history).status_code == 401
    assert httpx.get(history, headers=bearer(thief_token)).status_code == 403
    assert httpx.get(history, params={"token": victim_token}).json()["messages"]

    async def socket(token: str | None, session_id: str, text: str, metadata=None) -> tuple[bool, list]:
        client, events = socketio.AsyncClient(), []
        client.on("session_confirm", lambda data: events.append(("confirm", data)))
        client.on("session_refused", lambda data: events.append(("refused", data)))
        client.on("bot_uttered", lambda data: events.append(("bot", data)))
        try:
            await client.connect(stack.rasa, transports=["polling"], auth={"token": token} if token else None)
        except socketio.exceptions.ConnectionError:
            return False, events
        await client.emit("session_request", {"session_id": session_id})
        await asyncio.sleep(1)
        if client.connected:
            await client.emit("user_uttered", {"message": text, "session_id": session_id, "metadata": metadata})
            await asyncio.sleep(8)
            await client.disconnect()
        return True, events

    before = stack.bot_texts(victim)
    assert asyncio.run(socket(None, victim, "你好"))[0] is False  # no token: the connection is refused
    connected, events = asyncio.run(socket(thief_token, victim, "我要退款到这个账户"))
    assert connected and ("refused", {"error": "session id does not match the token"}) in events
    assert not any(kind in ("confirm", "bot") for kind, _ in events)
    assert stack.bot_texts(victim) == before  # the thief neither joined nor spoke
    _, events = asyncio.run(socket(victim_token, victim, "在吗", metadata="{not json"))
    assert ("confirm", victim) in events and any(kind == "bot" for kind, _ in events)  # junk metadata: still heard
