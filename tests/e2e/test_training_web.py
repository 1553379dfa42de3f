"""Simulation mode on the web app (a real process): the practice API, scorecards and the manager view."""
from __future__ import annotations

import httpx
import pytest

from bot.ops.processes import free_port
from tests.support.processes import ServiceProcess
from tests.support.security import staff_headers
from tests.unit.training_scripts import GOOD, POOR

pytestmark = pytest.mark.e2e

# The web app with the training blueprint, whether or not bot/web/app.py registers it already.
SERVE = ("import sys; from bot.web.app import create_app; from bot.web.training import bp; app = create_app(); "
         "'training' in app.blueprints or app.blueprint(bp); "
         "app.run(host='127.0.0.1', port=int(sys.argv[1]), access_log=False)")


@pytest.fixture(scope="module")
def web(store_db: str, scripts_dir) -> ServiceProcess:
    port = free_port()
    # generous limits: this test is about the API, not about how fast the test machine answers
    env = {"SCRIPTS_DIR": str(scripts_dir), "TRAINING_FIRST_REPLY_SECONDS": "60", "TRAINING_REPLY_SECONDS": "60"}
    with ServiceProcess.start("training-web", ["-c", SERVE, str(port)], port, "/health", env=env) as process:
        api.headers = staff_headers(process.url, "manager")
        yield process


class _StaffClient:
    """httpx calls with a manager's bearer token (the practice API is for logged-in staff)."""

    headers: dict[str, str] = {}

    def get(self, url: str, **kwargs) -> httpx.Response:
        return httpx.get(url, headers=self.headers, **kwargs)

    def post(self, url: str, **kwargs) -> httpx.Response:
        return httpx.post(url, headers=self.headers, **kwargs)


api = _StaffClient()


def start(web: ServiceProcess, scenario: str, trainee: str) -> dict:
    reply = api.post(f"{web.url}/api/training/sessions", json={"scenario": scenario, "trainee": trainee})
    assert reply.status_code == 201, reply.text
    return reply.json()


def say(web: ServiceProcess, session: str, text: str, client_seconds: float | None = 1.5) -> httpx.Response:
    return api.post(f"{web.url}/api/training/sessions/{session}/replies",
                      json={"text": text, "client_seconds": client_seconds}, timeout=30)


def test_page_and_scenarios_are_served(web: ServiceProcess) -> None:
    page = api.get(f"{web.url}/training")
    assert page.status_code == 200 and "training.js" in page.text
    assert api.get(f"{web.url}/training/static/training.js").status_code == 200
    data = api.get(f"{web.url}/api/training/scenarios").json()
    assert {s["id"] for s in data["scenarios"]} >= set(GOOD) and data["ui"]["send"] and data["errors"] == []


def test_a_good_trainee_practises_in_the_browser_api_and_the_scorecard_is_stored(web: ServiceProcess) -> None:
    session = start(web, "swimsuit_buyer", "web-xiaomei")
    assert session["shopper"]["text"] and session["scenario"]["persona"]["name"]
    for text in GOOD["swimsuit_buyer"]:
        step = say(web, session["session_id"], text).json()
        assert step["reply"]["client_seconds"] == 1.5 and step["reply"]["seconds"] >= 0
    assert step["done"] and step["shopper"]["end"] == "won"
    card = api.post(f"{web.url}/api/training/sessions/{session['session_id']}/finish").json()
    assert card["passed"] and card["total"] == 100 and card["timing"]["browser"]["first"] == 1.5
    runs = api.get(f"{web.url}/api/training/runs", params={"trainee": "web-xiaomei"}).json()
    assert [r["id"] for r in runs] == [card["run_id"]]
    stored = api.get(f"{web.url}/api/training/runs/{card['run_id']}").json()
    assert stored["transcript"] == card["transcript"]


def test_findings_come_back_with_each_reply(web: ServiceProcess) -> None:
    session = start(web, "wrong_item", "web-aqiang")
    step = say(web, session["session_id"], POOR["wrong_item"][0]).json()
    codes = {f["code"] for f in step["reply"]["findings"]}
    assert {"blame", "no_apology"} <= codes and step["shopper"]["turn"] == "angry"
    assert all(f["better_text"] and f["explanation"] for f in step["reply"]["findings"])
    card = api.post(f"{web.url}/api/training/sessions/{session['session_id']}/finish").json()
    assert not card["passed"] and card["outcome"] == "unfinished"


def test_bad_requests_get_clear_errors(web: ServiceProcess) -> None:
    assert api.post(f"{web.url}/api/training/sessions", json={"scenario": "nope", "trainee": "x"}).status_code == 400
    assert api.post(f"{web.url}/api/training/sessions", content=b"not json").status_code == 400
    assert say(web, "no-such-session", "亲~").status_code == 404
    session = start(web, "price_objection", "web-errors")["session_id"]
    assert say(web, session, "").status_code == 400
    assert say(web, session, "亲~", client_seconds=-1).status_code == 400
    assert say(web, session, "x" * 501).status_code == 400
    assert api.get(f"{web.url}/api/training/runs/999999").status_code == 404


def test_manager_view_has_progress_violations_and_difficulty_charts(web: ServiceProcess) -> None:
    session = start(web, "hesitant_buyer", "web-manager-view")
    for text in POOR["hesitant_buyer"]:
        say(web, session["session_id"], text)
    api.post(f"{web.url}/api/training/sessions/{session['session_id']}/finish")
    page = api.get(f"{web.url}/manager/training", timeout=60).text
    assert page.count("<svg") == 3 and "web-manager-view" in page and "hesitant_buyer" in page
    report = api.get(f"{web.url}/api/training/report").json()
    assert any(t["trainee"] == "web-manager-view" for t in report["trainees"])
    assert report["violations"] and report["difficulty"]


def test_the_practice_api_needs_a_login_and_a_trainee_practises_as_themselves(web: ServiceProcess) -> None:
    assert httpx.get(f"{web.url}/api/training/scenarios").status_code == 401
    assert httpx.get(f"{web.url}/training", follow_redirects=False).headers["location"].startswith("/login?next=")
    trainee = staff_headers(web.url, "trainee")
    reply = httpx.post(f"{web.url}/api/training/sessions", json={"scenario": "price_objection", "trainee": "other"},
                       headers=trainee)
    assert reply.status_code == 201
    assert httpx.get(f"{web.url}/api/training/report", headers=trainee).status_code == 403
    opened = [httpx.post(f"{web.url}/api/training/sessions", json={"scenario": "price_objection"}, headers=trainee)
              for _ in range(3)]
    assert [r.status_code for r in opened] == [201, 201, 429]  # open runs per trainee are bounded
