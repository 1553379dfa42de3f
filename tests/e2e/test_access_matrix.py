"""Who may call what on the web app: every route is classified, staff-only routes refuse anonymous callers and
the wrong roles and change nothing, cookie sessions need the CSRF value, failed logins are throttled."""
from __future__ import annotations

import re

import httpx
import pytest
from sqlalchemy import func, select

from bot.db.models import Handoff, Order, Product
from bot.db.uow import UnitOfWork
from bot.reminders.tables import Reminder
from bot.security.tables import StaffUser
from bot.store.audit import SettingsEdit
from bot.web.access import ROUTES, STAFF_LEVELS, route_key
from tests.support.security import bearer, shopper, staff_login

pytestmark = pytest.mark.e2e
STAFF_ONLY = sorted(key for key, level in ROUTES.items() if level in STAFF_LEVELS)
SAMPLE = {"sku": "PAPER-ROLL-27", "order_id": "1234567890123456", "conversation_id": "shopper-abcdef12",
          "session_id": "run-1", "run_id": "1", "__file_uri__": "training.js",
          "kind": "products", "name": "store.yml", "edit_id": "1"}


def concrete(path: str) -> str:
    return re.sub(r"<(\w+)>", lambda m: SAMPLE[m.group(1)], path)


def state() -> tuple:
    """What an anonymous call must not change: stock, orders, reminders, open handoffs, products, settings
    edits, staff accounts."""
    with UnitOfWork() as uow:
        s = uow.session
        return (s.scalar(select(func.sum(Product.stock))), tuple(s.execute(
            select(Order.status, func.count()).group_by(Order.status).order_by(Order.status)).all()),
            s.scalar(select(func.count()).select_from(Reminder)),
            s.scalar(select(func.count()).select_from(Handoff).where(Handoff.released_at.is_(None))),
            s.scalar(select(func.count()).select_from(Product)), s.scalar(select(func.count()).select_from(SettingsEdit)),
            s.scalar(select(func.count()).select_from(StaffUser)))


def test_every_route_of_the_web_app_is_classified_and_every_entry_is_a_route(store_db) -> None:
    from bot.web.app import create_app

    app = create_app()
    app.router.finalize()
    routes = {route_key(m, r.path) for r in app.router.routes for m in r.methods if m not in ("HEAD", "OPTIONS")}
    assert sorted(routes - ROUTES.keys()) == [], "classify these routes in bot/web/access.py"
    assert sorted(ROUTES.keys() - routes) == [], "these entries of bot/web/access.py are no routes"


@pytest.mark.parametrize("method,path", STAFF_ONLY, ids=[f"{m} {p}" for m, p in STAFF_ONLY])
def test_staff_only_routes_refuse_anonymous_callers_and_change_nothing(web_app, method, path) -> None:
    before = state()
    _, shopper_token = shopper(web_app.url)
    for headers in ({}, bearer(shopper_token), bearer("not-a-token")):
        reply = httpx.request(method, web_app.url + concrete(path), headers=headers, json={"stock": 0,
                              "extra_days": 2, "scenario": "price_objection", "text": "亲~"}, follow_redirects=False)
        if method == "GET" and path.startswith(("/manager", "/training", "/agent")) and reply.status_code == 302:
            assert reply.headers["location"].startswith("/login?next=")  # a page sends the browser to 登录
        else:
            assert reply.status_code in (401, 403), (reply.status_code, reply.text[:200])
    assert state() == before


def test_roles_manager_does_everything_agent_and_trainee_only_their_part(web_app) -> None:
    tokens = {role: bearer(staff_login(web_app.url, role)["token"]) for role in STAFF_LEVELS}
    for (method, path), level in ROUTES.items():
        if level not in STAFF_LEVELS or method != "GET":
            continue
        for role, headers in tokens.items():
            status = httpx.get(web_app.url + concrete(path), headers=headers, timeout=60).status_code
            allowed = role in STAFF_LEVELS[level]
            assert (status != 403) == allowed, (role, path, status)


def test_cookie_sessions_need_the_csrf_value_and_the_login_page_sends_back(web_app) -> None:
    page = httpx.get(f"{web_app.url}/manager/library", follow_redirects=True)
    assert "登录" in page.text and page.url.path == "/login"
    with httpx.Client(base_url=web_app.url) as browser:
        import os

        reply = browser.post("/login", data={"username": os.environ["STORE_ADMIN_USER"],
                                             "password": os.environ["STORE_ADMIN_PASSWORD"],
                                             "next": "/manager/reminders"})
        assert reply.status_code == 302 and reply.headers["location"] == "/manager/reminders"
        cookie = reply.headers.get_list("set-cookie")
        assert any("store_session=" in c and "HttpOnly" in c and "SameSite=Strict" in c for c in cookie)
        assert browser.get("/manager/reminders").status_code == 200
        no_csrf = browser.post("/api/products/NOPE/stock", json={"stock": 1})
        assert no_csrf.status_code == 403 and "CSRF" in no_csrf.json()["error"]
        with_csrf = browser.post("/api/products/NOPE/stock", json={"stock": 1},
                                 headers={"X-CSRF-Token": browser.cookies["store_csrf"]})
        assert with_csrf.status_code == 404  # past the checks: the product is unknown
    evil = httpx.post(f"{web_app.url}/login", data={"username": "x", "password": "y", "next": "https://evil.test/"})
    assert evil.status_code == 401


def test_failed_logins_are_throttled(web_app) -> None:
    from tests.support.security import STAFF_PASSWORD, ensure_staff

    ensure_staff("throttled-agent", "agent")
    login = {"username": "throttled-agent", "password": "wrong-password"}
    codes = [httpx.post(f"{web_app.url}/api/auth/login", json=login).status_code for _ in range(6)]
    assert codes == [401] * 5 + [429]
    right = httpx.post(f"{web_app.url}/api/auth/login", json={**login, "password": STAFF_PASSWORD})
    assert right.status_code == 429 and right.json()["error"]


def test_the_login_api_answers_as_the_brief_says(web_app) -> None:
    answer = staff_login(web_app.url, "agent")
    assert answer["role"] == "agent" and answer["token"]
    assert httpx.get(f"{web_app.url}/api/handoffs", headers=bearer(answer["token"])).status_code == 200
    assert httpx.post(f"{web_app.url}/api/auth/login", json={"username": "x"}).status_code == 400


def test_the_add_staff_command_creates_a_login(web_app) -> None:
    import subprocess
    import sys

    from tests.support.processes import ROOT

    done = subprocess.run([sys.executable, "-m", "bot.security.staff", "add", "cli-trainee", "--role", "trainee",
                           "--password-stdin"], input="a-long-password\n", capture_output=True, text=True, cwd=ROOT,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    reply = httpx.post(f"{web_app.url}/api/auth/login", json={"username": "cli-trainee", "password": "a-long-password"})
    assert reply.status_code == 200 and reply.json()["role"] == "trainee"


def test_the_nlg_endpoint_answers_only_callers_with_the_internal_token(web_app) -> None:
    body = {"response": "utter_greet", "tracker": {"sender_id": "x", "events": []}}
    assert httpx.post(f"{web_app.url}/nlg", json=body).status_code == 401
    assert httpx.post(f"{web_app.url}/nlg", json=body, params={"token": "wrong"}).status_code == 401
    import os

    reply = httpx.post(f"{web_app.url}/nlg", json=body, params={"token": os.environ["RASA_AUTH_TOKEN"]})
    assert reply.status_code == 200 and reply.json()["text"]
