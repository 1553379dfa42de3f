"""The agent workspace scaled out: the queue is the same from every web app, and an agent's reply sent through
either web app reaches the shopper whose socket one of the two Rasa instances holds."""
from __future__ import annotations

import asyncio
import os
import uuid

import httpx
import pytest

from tests.scaled.test_scaled import widget_session

pytestmark = pytest.mark.scaled


def _manager(web: str) -> dict[str, str]:
    reply = httpx.post(f"{web}/api/auth/login", json={"username": os.environ["STORE_ADMIN_USER"],
                                                      "password": os.environ["STORE_ADMIN_PASSWORD"]}, timeout=30)
    reply.raise_for_status()
    return {"Authorization": f"Bearer {reply.json()['token']}"}


def test_one_queue_and_agent_replies_from_either_web_app_reach_the_widget(deployment):
    session = f"scaled-{uuid.uuid4().hex[:8]}"
    webs = [deployment.layout.url(p) for p in deployment.layout.web_instances]
    headers = [_manager(web) for web in webs]

    async def journey() -> list[dict]:
        async with widget_session(deployment.url, session, "转人工") as (_, answers):
            async with httpx.AsyncClient(timeout=60) as http:
                for _ in range(120):                                      # the handoff action has run
                    listed = (await http.get(f"{webs[0]}/api/handoffs", headers=headers[0])).json()
                    if session in [i["conversation_id"] for i in listed]:
                        break
                    await asyncio.sleep(0.5)
                for web, auth in zip(webs, headers, strict=True):           # the same queue from each web app
                    listed = (await http.get(f"{web}/api/handoffs", headers=auth)).json()
                    assert session in [i["conversation_id"] for i in listed], web
                claim = await http.post(f"{webs[0]}/api/handoffs/{session}/claim", headers=headers[0], json={})
                claim.raise_for_status()
                texts = []
                for index in (1, 0):
                    text = f"亲，我来帮您看看哦（{index}）"
                    sent = await http.post(f"{webs[index]}/api/handoffs/{session}/messages", headers=headers[index],
                                           json={"text": text})
                    sent.raise_for_status()
                    texts.append(text)
            received: list[dict] = []
            while len([m for m in received if (m.get("metadata") or {}).get("human_agent")]) < 2:
                received.append(await asyncio.wait_for(answers.get(), 20))
            return received

    received = asyncio.run(journey())
    from_agent = [m for m in received if (m.get("metadata") or {}).get("human_agent")]
    assert [m["text"] for m in from_agent] == ["亲，我来帮您看看哦（1）", "亲，我来帮您看看哦（0）"]
    assert from_agent[0]["metadata"]["human_agent"] == os.environ["STORE_ADMIN_USER"]
