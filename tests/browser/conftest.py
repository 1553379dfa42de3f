"""The whole product for browser tests: web app, action server, Rasa (socketio) and the reminder scheduler,
on free ports against the test database, plus Debian's Chromium driven by Playwright (never a downloaded one)."""
from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import pytest

from bot.ops import serve_rasa
from bot.ops.processes import free_port
from tests.support.processes import ROOT, ServiceProcess

SCREENSHOTS = ROOT / "results" / "screenshots"
VENDOR_JS = ROOT / "bot" / "web" / "static" / "vendor" / "socket.io.min.js"
INJECTION = '<img src=x onerror="window.__pwned=1">'
PROBE_SKU = "TEST-PROBE-001"
REMINDER_DELAY_SECONDS = "4"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "browser: tests that drive Chromium through Playwright")


def chromium_path() -> str | None:
    return os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or shutil.which("chromium-browser")


def trained_model() -> Path:
    """The model for the current training data; else the newest one (a warning: answers may be dated)."""
    from bot.ops.train import MODELS, model_path

    if model_path().exists():
        return model_path()
    models = sorted(MODELS.glob("store-*.tar.gz"), key=lambda p: p.stat().st_mtime)
    if not models:
        pytest.skip("no trained model: run `make train` first")
    warnings.warn(f"training data changed since {models[-1].name} was trained; run `make train`", stacklevel=2)
    return models[-1]


@pytest.fixture(scope="module")
def probe_product(store_db: str) -> Iterator[str]:
    """A test-only product whose name is an HTML injection attempt; removed again after the module."""
    from bot.db.models import Product
    from bot.db.uow import UnitOfWork

    with UnitOfWork() as uow:
        uow.products.add_all([Product(
            sku=PROBE_SKU, name=f"测试商品{INJECTION}", category="测试", price=9.9, floor_price=9.9, stock=50,
            attributes={}, scenes=[], aliases=[], description=INJECTION, image="")])
        uow.commit()
    yield PROBE_SKU
    with UnitOfWork() as uow:
        uow.session.delete(uow.products.get(PROBE_SKU))
        uow.commit()


@dataclass
class Stack:
    """The running product: URLs of its processes; Rasa can be restarted like a server crash or deploy."""

    web: str
    actions: str
    rasa: str
    partner_port: int  # another shop's site that embeds the widget (listed in CORS_ORIGINS)
    env: dict[str, str]
    rasa_args: list[str]
    processes: contextlib.ExitStack

    def start_rasa(self) -> contextlib.ExitStack:
        port = int(self.rasa.rsplit(":", 1)[1])
        rasa = contextlib.ExitStack()
        health = f"/status?token={os.environ['RASA_AUTH_TOKEN']}"
        rasa.enter_context(ServiceProcess.start("rasa", self.rasa_args, port, health, self.env, 300))
        return rasa

    def restart_rasa(self) -> None:
        self.processes.close()
        self.processes = self.start_rasa()


@pytest.fixture(scope="module")
def stack(store_db: str, probe_product: str, tmp_root: Path) -> Iterator[Stack]:
    """Start every process of `make run` on free ports; skips without a trained model."""
    if not VENDOR_JS.exists():
        pytest.fail(f"{VENDOR_JS.relative_to(ROOT)} is missing: run `make widget`")
    model = trained_model()
    web, actions, rasa = (f"http://127.0.0.1:{free_port()}" for _ in range(3))
    partner_port = free_port()
    endpoints = tmp_root / "browser-endpoints.yml"
    endpoints.write_text(
        f"action_endpoint:\n  url: \"{actions}/webhook\"\n"
        f"nlg:\n  url: \"{web}/nlg\"\n  token: ${{RASA_AUTH_TOKEN}}\n"
        f"tracker_store:\n  type: SQL\n  dialect: sqlite\n  db: \"{tmp_root / 'browser-tracker.db'}\"\n")
    env = {"RASA_URL": rasa, "NLG_URL": f"{web}/nlg", "PUBLIC_WEB_URL": web, "ACTION_SERVER_URL": actions,
           "SILENCE_NUDGE_SECONDS": "3600", "REMINDER_DELAY_SECONDS": REMINDER_DELAY_SECONDS, "QUIET_HOURS": "off",
           "REMINDER_HOLDOUT_SHARE": "0", "REMINDER_BUSY_SECONDS": "0", "REMINDER_FOLLOWUP_SECONDS": "0",
           "REMINDER_TICK_SECONDS": "0.5", "CORS_ORIGINS": f"http://localhost:{partner_port}",
           # repurchase reminders: re-planned every second, due at the run-out itself and stale 15 minutes
           # after it, so the demo buyers of the test database are not all reminded while the tests run
           "REPURCHASE_PLAN_SECONDS": "1", "REPURCHASE_LEAD_DAYS": "0", "REPURCHASE_GRACE_DAYS": "0.01"}
    # Locked down as in `make run`: API token, CORS for the store's own origin only.
    rasa_args = ["-m", "rasa", *serve_rasa.rasa_args(rasa.rsplit(":", 1)[1], str(model), str(endpoints),
                                                     origins=[web, env["CORS_ORIGINS"]])]
    with contextlib.ExitStack() as services:
        for name, url, args in (("web", web, ["-m", "bot.web", "--port"]),
                                ("actions", actions, ["-m", "rasa_sdk", "--actions", "actions", "--port"])):
            port = url.rsplit(":", 1)[1]
            services.enter_context(ServiceProcess.start(name, [*args, port], int(port), "/health", env))
        log = services.enter_context((tmp_root / "reminders.log").open("w"))
        scheduler = subprocess.Popen([sys.executable, "-m", "bot.reminders"], cwd=ROOT, stdout=log,
                                     stderr=subprocess.STDOUT, env={**os.environ, "PYTHONPATH": str(ROOT), **env})
        services.callback(scheduler.wait, 10)
        services.callback(scheduler.terminate)
        running = Stack(web, actions, rasa, partner_port, env, rasa_args, contextlib.ExitStack())
        running.processes = running.start_rasa()
        try:
            yield running
        finally:
            running.processes.close()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    executable = chromium_path()
    if not executable:
        pytest.skip("Chromium is not installed (make browser installs Debian's package)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, stack):
    """A fresh shopper (own localStorage) on a desktop viewport; page.errors collects script errors."""
    context = browser.new_context(viewport={"width": 1280, "height": 860}, locale="zh-CN")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.errors = errors
    yield page
    context.close()


@pytest.fixture
def shot():
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(page, name: str) -> Path:
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path))
        return path

    return take
