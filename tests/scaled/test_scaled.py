"""Two Rasa instances behind nginx on PostgreSQL and Redis: a shopper's conversation is one conversation,
whichever instance answers, and messages that arrive together are each answered, once, one after another."""
from __future__ import annotations

import asyncio
import contextlib
import uuid

import httpx
import pytest

from bot.security.tokens import issue_shopper_token
from tests.support.security import bearer, rasa_token

pytestmark = pytest.mark.scaled

# Real shopper messages from the product's journeys (bench/conversations.yml).
MESSAGES = ["亲 在吗", "纯棉圆领T恤多少钱", "太贵了", "有优惠券吗", "发什么快递", "七天无理由吗", "还有货吗",
            "有XL码吗", "这个是什么材质的", "有什么推荐", "我再考虑一下", "谢谢"]


def _say(url: str, sender: str, text: str) -> list[dict]:
    reply = httpx.post(f"{url}/webhooks/rest/webhook", json={"sender": sender, "message": text},
                       headers=bearer(issue_shopper_token(sender)), timeout=60)
    reply.raise_for_status()
    return reply.json()


def _tracker(url: str, sender: str) -> list[dict]:
    reply = httpx.get(f"{url}/conversations/{sender}/tracker", params=rasa_token(), timeout=30)
    reply.raise_for_status()
    return reply.json()["events"]


def _turns(events: list[dict]) -> list[tuple[str, list[str], list[str]]]:
    """(user text, actions run, bot texts) per user message, in tracker order."""
    turns: list[tuple[str, list[str], list[str]]] = []
    for event in events:
        if event["event"] == "user":
            turns.append((event["text"], [], []))
        elif turns and event["event"] == "action":
            turns[-1][1].append(event["name"])
        elif turns and event["event"] == "bot":
            turns[-1][2].append(event.get("text") or "")
    return turns


def test_a_conversation_continues_on_the_other_instance(deployment):
    first, second = deployment.instance_urls()
    sender = f"scaled-{uuid.uuid4().hex[:8]}"
    assert _say(first, sender, "纯棉圆领T恤多少钱")
    assert _say(second, sender, "太贵了")
    # Either instance shows the whole conversation: the tracker store is shared.
    for url in (first, second, deployment.api_url):
        assert [t[0] for t in _turns(_tracker(url, sender))] == ["纯棉圆领T恤多少钱", "太贵了"]


def test_the_public_address_carries_only_the_chat_channels(deployment):
    for method, path in (("GET", "/conversations/x/tracker"), ("PUT", "/model"), ("DELETE", "/model"),
                         ("GET", "/status"), ("POST", "/conversations/x/trigger_intent")):
        reply = httpx.request(method, deployment.url + path, params=rasa_token(), timeout=10)
        assert reply.status_code == 404, (method, path, reply.status_code)
    assert httpx.get(f"{deployment.api_url}/status", timeout=10).status_code == 401


def test_nginx_spreads_conversations_over_both_instances(deployment):
    for _ in range(6):
        assert _say(deployment.url, f"scaled-{uuid.uuid4().hex[:8]}", "你好")
    assert deployment.upstreams_used() == {str(p) for p in deployment.layout.rasa_instances}


def test_messages_sent_together_are_each_answered_once_one_turn_after_another(deployment):
    sender = f"scaled-{uuid.uuid4().hex[:8]}"

    async def burst() -> list[list[dict]]:
        async with httpx.AsyncClient(timeout=120) as client:
            async def send(i: int, text: str) -> list[dict]:
                await asyncio.sleep(i * 0.02)  # all in flight together, through nginx to both instances
                reply = await client.post(f"{deployment.url}/webhooks/rest/webhook",
                                          json={"sender": sender, "message": text},
                                          headers=bearer(issue_shopper_token(sender)))
                reply.raise_for_status()
                return reply.json()

            return await asyncio.gather(*(send(i, text) for i, text in enumerate(MESSAGES)))

    replies = asyncio.run(burst())
    turns = _turns(_tracker(deployment.api_url, sender))

    # No message lost or doubled.
    assert sorted(t[0] for t in turns) == sorted(MESSAGES)
    # Each turn ran to its end (action_listen) before the next message was taken: no interleaving.
    for text, actions, bot_texts in turns:
        assert actions and actions[-1] == "action_listen", f"turn {text!r} was interrupted: {actions}"
        assert bot_texts, f"no answer stored for {text!r}"
    # Each shopper got the answer to their own message, exactly as stored in the conversation.
    stored = {text: [t for t in bot_texts if t] for text, _, bot_texts in turns}
    for text, reply in zip(MESSAGES, replies, strict=False):
        assert [m["text"] for m in reply if m.get("text")] == stored[text]
    assert len(deployment.upstreams_used()) == 2


def test_messages_in_sequence_keep_their_order_across_instances(deployment):
    sender = f"scaled-{uuid.uuid4().hex[:8]}"
    urls = deployment.instance_urls()
    for i, text in enumerate(MESSAGES[:6]):
        assert _say(urls[i % 2], sender, text)
    assert [t[0] for t in _turns(_tracker(deployment.api_url, sender))] == MESSAGES[:6]


@contextlib.asynccontextmanager
async def widget_session(url: str, session: str, first_message: str):
    """A socket.io client like the widget: joins `session`, says `first_message`, yields (client, answers)."""
    import socketio

    client = socketio.AsyncClient()
    confirmed, answers = asyncio.Event(), asyncio.Queue()
    client.on("session_confirm", lambda *_: confirmed.set())
    client.on("bot_uttered", answers.put_nowait)
    # Rasa's socket.io on Sanic serves long-polling only ("Invalid transport" for websocket): every poll of
    # the session must reach the instance that holds it, which the balancer's ip_hash makes sure of.
    await client.connect(url, transports=["polling"], auth={"token": issue_shopper_token(session)})
    try:
        await client.emit("session_request", {"session_id": session})
        await asyncio.wait_for(confirmed.wait(), 20)
        await client.emit("user_uttered", {"message": first_message, "session_id": session})
        yield client, answers
    finally:
        await client.disconnect()


def test_a_chat_widget_talks_over_socketio_through_the_balancer(deployment):
    session = f"scaled-{uuid.uuid4().hex[:8]}"

    async def chat() -> list[dict]:
        async with widget_session(deployment.url, session, "纯棉圆领T恤多少钱") as (_, answers):
            return [await asyncio.wait_for(answers.get(), 60)]

    answers = asyncio.run(chat())
    assert answers[0].get("text")
    assert [t[0] for t in _turns(_tracker(deployment.api_url, session))] == ["纯棉圆领T恤多少钱"]


def test_a_message_pushed_by_either_instance_reaches_the_open_widget(deployment):
    """Reminders and notices arrive by trigger_intent on whichever instance nginx picks; the shopper's socket
    lives on one of them."""
    session = f"scaled-{uuid.uuid4().hex[:8]}"

    async def pushed() -> int:
        async with widget_session(deployment.url, session, "你好") as (_, answers):
            await asyncio.wait_for(answers.get(), 60)
            async with httpx.AsyncClient(timeout=60) as http:
                for url in deployment.instance_urls():
                    reply = await http.post(f"{url}/conversations/{session}/trigger_intent",
                                            params=rasa_token() | {"output_channel": "latest"},
                                            json={"name": "greet"})
                    reply.raise_for_status()
            received = 0
            with contextlib.suppress(asyncio.TimeoutError):
                while received < 2:
                    await asyncio.wait_for(answers.get(), 10)
                    received += 1
            return received

    assert asyncio.run(pushed()) == 2
