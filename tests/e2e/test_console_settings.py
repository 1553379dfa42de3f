"""The console's settings editor and staff page over HTTP, on a web app with its own copy of the store files."""
from __future__ import annotations

import re
import shutil
from html import unescape

import httpx
import pytest

from bot.ops.processes import free_port
from bot.settings import PROJECT_ROOT
from tests.support.processes import ServiceProcess
from tests.support.security import bearer, staff_login

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def web(store_db, tmp_path_factory):
    store = tmp_path_factory.mktemp("console-store")
    shutil.copytree(PROJECT_ROOT / "data" / "store", store, dirs_exist_ok=True)
    port = free_port()
    with ServiceProcess.start("web-console", ["-m", "bot.web", "--port", str(port)], port, "/health",
                              env={"STORE_DATA_DIR": str(store)}) as process:
        process.store = store
        yield process


def editor_form(web, headers) -> tuple[str, str]:
    page = httpx.get(f"{web.url}/manager/settings/store.yml", headers=headers).text
    base = re.search(r'name="base" value="([0-9a-f]{64})"', page).group(1)
    text = unescape(re.search(r'<textarea name="text"[^>]*>(.*?)</textarea>', page, re.S).group(1))
    return base, text


def test_edit_refuse_audit_and_revert_over_http(web):
    headers = bearer(staff_login(web.url, "manager")["token"])
    base, text = editor_form(web, headers)
    assert text == (web.store / "store.yml").read_text(encoding="utf-8")
    bad = httpx.post(f"{web.url}/api/console/settings/store.yml", json={"text": "store: [", "base": base},
                     headers=headers)
    assert bad.status_code == 400 and "YAML" in bad.json()["error"]
    edited = text.replace("ship_within_hours: 48", "ship_within_hours: 24")
    saved = httpx.post(f"{web.url}/api/console/settings/store.yml", json={"text": edited, "base": base},
                       headers=headers)
    assert saved.status_code == 200, saved.text
    assert "ship_within_hours: 24" in (web.store / "store.yml").read_text(encoding="utf-8")
    stale = httpx.post(f"{web.url}/api/console/settings/store.yml", json={"text": text, "base": base},
                       headers=headers)
    assert stale.status_code == 409
    history = httpx.get(f"{web.url}/manager/settings", headers=headers).text
    assert f"#{saved.json()['edit_id']} store.yml" in history and "admin" in history
    undo = httpx.post(f"{web.url}/api/console/settings/edits/{saved.json()['edit_id']}/revert", json={},
                      headers=headers)
    assert undo.status_code == 200 and undo.json()["reverts"] == saved.json()["edit_id"]
    assert (web.store / "store.yml").read_text(encoding="utf-8") == text
    assert httpx.get(f"{web.url}/manager/settings/products.yml", headers=headers).status_code == 404


def test_a_manager_adds_a_staff_account_that_can_log_in(web):
    headers = bearer(staff_login(web.url, "manager")["token"])
    added = httpx.post(f"{web.url}/api/console/staff", json={"username": "console-agent-1", "role": "agent"},
                       headers=headers)
    assert added.status_code in (201, 409)
    if added.status_code == 201:
        password = added.json()["password"]
        login = httpx.post(f"{web.url}/api/auth/login", json={"username": "console-agent-1", "password": password})
        assert login.status_code == 200 and login.json()["role"] == "agent"
        agent = bearer(login.json()["token"])
        assert httpx.get(f"{web.url}/manager", headers=agent).status_code == 403
        page = httpx.get(f"{web.url}/manager/handoffs", headers=agent).text
        assert "转人工队列" in page and "经营概览" not in page and "店铺设置" not in page   # nav shows their pages only
    assert "console-agent-1" in httpx.get(f"{web.url}/manager/staff", headers=headers).text
    short = httpx.post(f"{web.url}/api/console/staff", json={"username": "x", "role": "agent", "password": "short"},
                       headers=headers)
    assert short.status_code == 400
