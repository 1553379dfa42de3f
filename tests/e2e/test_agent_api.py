"""The agent workspace API on the running web app: every endpoint needs a staff login with the agent role,
bodies are validated, the live check answers from the service rules, a shopper sees only their own handoff."""
from __future__ import annotations

import httpx
import pytest

from bot.handoff import queue
from bot.handoff.service import open_handoff
from bot.web.access import ROUTES
from tests.support.security import bearer, shopper, staff_headers

pytestmark = pytest.mark.e2e
WORKSPACE = sorted(k for k, v in ROUTES.items() if k[1].startswith(("/api/handoffs", "/api/assist", "/api/agent")))


def url(path: str) -> str:
    return path.replace("<conversation_id>", "chat-none-00000000")


def test_the_workspace_api_is_all_there() -> None:
    assert {p for _, p in WORKSPACE} >= {
        "/api/handoffs", "/api/handoffs/<conversation_id>/claim", "/api/handoffs/<conversation_id>/release",
        "/api/handoffs/<conversation_id>/messages", "/api/handoffs/<conversation_id>/suggestions",
        "/api/assist/check", "/api/agent/offline"}


@pytest.mark.parametrize("method,path", WORKSPACE, ids=[f"{m} {p}" for m, p in WORKSPACE])
def test_every_agent_endpoint_refuses_anonymous_shopper_and_trainee_callers(web_app, method, path) -> None:
    _, shopper_token = shopper(web_app.url)
    trainee = staff_headers(web_app.url, "trainee")
    body = {"text": "亲~"}
    for headers, status in (({}, 401), (bearer(shopper_token), 401), (bearer("forged"), 401), (trainee, 403)):
        reply = httpx.request(method, web_app.url + url(path), headers=headers, json=body, timeout=20)
        assert reply.status_code == status, (headers, reply.status_code, reply.text[:200])


def test_the_live_check_flags_a_flat_refusal_and_not_reassurance(web_app) -> None:
    agent = staff_headers(web_app.url, "agent")
    flagged = httpx.post(f"{web_app.url}/api/assist/check", headers=agent, json={"text": "不行，这个做不到"}).json()
    refusal = [f for f in flagged["findings"] if f["rule"] == "flat_refusal"]
    assert refusal and refusal[0]["reason"] and refusal[0]["better"]
    fine = httpx.post(f"{web_app.url}/api/assist/check", headers=agent, json={"text": "不用担心哦"}).json()
    assert fine == {"findings": []}
    too_long = httpx.post(f"{web_app.url}/api/assist/check", headers=agent, json={"text": "亲" * 501})
    assert too_long.status_code == 400 and "text" in too_long.json()["error"]


def test_claims_are_exclusive_and_only_the_claiming_agent_may_answer(web_app) -> None:
    conversation_id, _ = shopper()
    open_handoff(conversation_id, "requested", {"last_messages": ["转人工"]})
    agent = staff_headers(web_app.url, "agent")
    listed = httpx.get(f"{web_app.url}/api/handoffs", headers=agent).json()
    mine = next(i for i in listed if i["conversation_id"] == conversation_id)
    assert mine["status"] == "waiting" and mine["reason"] == "requested" and mine["waiting_seconds"] >= 0
    status = httpx.get(f"{web_app.url}/api/agent/status", headers=agent).json()
    assert "agent-test" in status["online_agents"] and status["me"] == "agent-test"   # listing = being online
    queue.touch("someone-else", "阿强")             # online: the watchdog leaves an online agent's claim alone
    queue.claim(conversation_id, "someone-else")
    taken = httpx.post(f"{web_app.url}/api/handoffs/{conversation_id}/claim", headers=agent, json={})
    assert taken.status_code == 409
    reply = httpx.post(f"{web_app.url}/api/handoffs/{conversation_id}/messages", headers=agent, json={"text": "亲~"})
    assert reply.status_code == 409
    empty = httpx.post(f"{web_app.url}/api/handoffs/{conversation_id}/messages", headers=agent, json={})
    assert empty.status_code == 400
    missing = httpx.post(f"{web_app.url}/api/handoffs/chat-none-00000000/claim", headers=agent, json={})
    assert missing.status_code == 404
    queue.release(conversation_id)


def test_a_shopper_reads_only_their_own_handoff_state_with_the_widget_labels(web_app) -> None:
    conversation_id, token = shopper(web_app.url)
    open_handoff(conversation_id, "requested", {}, mode="queue")
    mine = httpx.get(f"{web_app.url}/api/chat/{conversation_id}/handoff", params={"token": token}).json()
    assert mine["state"] == "waiting" and "第" in mine["status_text"]
    assert mine["labels"]["ai_label"] and mine["labels"]["human_button"] == "转人工"
    _, other = shopper(web_app.url)
    assert httpx.get(f"{web_app.url}/api/chat/{conversation_id}/handoff", params={"token": other}).status_code == 403
    queue.release(conversation_id)


def test_the_manager_reviews_human_replies_by_agent_and_day(web_app) -> None:
    from bot.handoff.assist import DraftContext, check_draft
    from bot.handoff.replies import record_reply
    from bot.scripts.loader import load_library
    from bot.settings import PROJECT_ROOT

    library = load_library(PROJECT_ROOT / "scripts_library")[0]
    conversation_id, _ = shopper()
    record_reply(conversation_id, "review-agent", "不行，这个做不到", check_draft("不行，这个做不到", DraftContext(), library))
    manager = staff_headers(web_app.url, "manager")
    review = httpx.get(f"{web_app.url}/api/quality", headers=manager, params={"days": 1}).json()
    day = next(d for d in review["days"] if d["agent"] == "review-agent")
    assert day["flagged"] == 1 and "flat_refusal" in day["rules"]
    assert conversation_id in [c["conversation_id"] for c in review["worst"]]
    page = httpx.get(f"{web_app.url}/manager/quality", headers=manager)
    assert page.status_code == 200 and "人工回复质检" in page.text
    agent = staff_headers(web_app.url, "agent")
    assert httpx.get(f"{web_app.url}/api/quality", headers=agent).status_code == 403
