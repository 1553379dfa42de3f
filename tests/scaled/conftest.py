"""The scale-out deployment (bot/ops/scaled.py) on this machine's PostgreSQL, Redis and nginx, under honcho.

One deployment per session: two Rasa instances, two action servers, two web apps and two reminder schedulers
behind nginx, on throw-away databases and a throw-away Redis key prefix. Skips with the reason when nginx,
PostgreSQL, Redis or the trained model is missing.
"""
from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

import httpx
import pytest

from bot.ops.processes import free_port

POSTGRES = os.environ.get("SCALED_POSTGRES", "postgresql://postgres@127.0.0.1:5432")
REDIS = os.environ.get("SCALED_REDIS", "redis://127.0.0.1:6379/0")
START_TIMEOUT = 300.0


def _model() -> Path:
    """The current model, or SCALED_TEST_MODEL (a model file to test the deployment with while data changes)."""
    from bot.ops.train import model_path

    return Path(os.environ["SCALED_TEST_MODEL"]) if os.environ.get("SCALED_TEST_MODEL") else model_path()


def _missing() -> str | None:
    import redis
    from sqlalchemy import create_engine, text

    if shutil.which("nginx") is None:
        return "nginx is not installed (apt-get install -y nginx)"
    try:
        engine = create_engine(f"{POSTGRES}/postgres", connect_args={"connect_timeout": 3})
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        engine.dispose()
    except Exception as exc:  # noqa: BLE001 - any driver error: no usable server
        return f"PostgreSQL not reachable at {POSTGRES}: {exc.__class__.__name__}"
    try:
        redis.Redis.from_url(REDIS, socket_timeout=3).ping()
    except redis.RedisError as exc:
        return f"Redis not reachable at {REDIS}: {exc.__class__.__name__}"
    if not _model().exists():
        return f"no trained model {_model().name} (make train)"
    return None


@dataclass
class Deployment:
    layout: Any
    honcho: subprocess.Popen
    log_path: Path

    @property
    def url(self) -> str:
        """The balancer's public Rasa address (chat channels only)."""
        return self.layout.url(self.layout.rasa_port)

    @property
    def api_url(self) -> str:
        """Rasa's HTTP API through the balancer, on loopback, for the store's own processes."""
        return self.layout.url(self.layout.rasa_api_port)

    def instance_urls(self) -> list[str]:
        return [self.layout.url(p) for p in self.layout.rasa_instances]

    def upstreams_used(self) -> set[str]:
        """Rasa instances nginx sent requests to, from its access log."""
        log = self.layout.run_dir / "nginx-access.log"
        time.sleep(1.2)  # the access log is flushed every second
        ports = {str(p) for p in self.layout.rasa_instances}
        return {addr.rsplit(":", 1)[1] for line in log.read_text().splitlines()
                for addr in line.split()[-2:-1] if addr.rsplit(":", 1)[-1] in ports}


def _answers(url: str) -> bool:
    from tests.support.security import bearer, shopper

    sender, token = shopper()
    with contextlib.suppress(httpx.HTTPError, ValueError):
        reply = httpx.post(f"{url}/webhooks/rest/webhook", json={"sender": sender, "message": "你好"},
                           headers=bearer(token), timeout=30)
        return reply.status_code == 200 and bool(reply.json())
    return False


def _drop(layout) -> None:
    import redis
    from sqlalchemy import create_engine, text

    engine = create_engine(f"{POSTGRES}/postgres", isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        for name in (layout.app_db, layout.tracker_db):
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    engine.dispose()
    client = redis.Redis.from_url(REDIS)
    for key in client.scan_iter(f"{layout.lock_prefix}*"):
        client.delete(key)


@pytest.fixture(scope="session")
def deployment(tmp_path_factory) -> Iterator[Deployment]:
    reason = _missing()
    if reason:
        pytest.skip(f"scaled setup unavailable: {reason}")
    from bot.ops.scaled import Layout, environment, prepare
    from bot.settings import PROJECT_ROOT

    tag = uuid.uuid4().hex[:8]
    run_dir = tmp_path_factory.mktemp("scaled")
    layout = Layout(rasa_port=free_port(), rasa_api_port=free_port(), web_port=free_port(), actions_port=free_port(),
                    rasa_instances=(free_port(), free_port()), action_instances=(free_port(), free_port()),
                    web_instances=(free_port(), free_port()), postgres=POSTGRES, redis=REDIS,
                    app_db=f"scaled_app_{tag}", tracker_db=f"scaled_tracker_{tag}", lock_prefix=f"scaled{tag}",
                    run_dir=run_dir)
    try:
        procfile = prepare(layout, _model().resolve())
        log_path = run_dir / "honcho.log"
        honcho = subprocess.Popen([str(Path(sys.executable).with_name("honcho")), "start", "-f", str(procfile),
                                   "-d", str(PROJECT_ROOT)], cwd=PROJECT_ROOT, stdout=log_path.open("w"),
                                  stderr=subprocess.STDOUT, env={**os.environ, **environment(layout)},
                                  start_new_session=True)
        deployment = Deployment(layout, honcho, log_path)
        try:
            deadline = time.monotonic() + START_TIMEOUT
            while not all(_answers(u) for u in deployment.instance_urls()) or not _answers(deployment.url):
                if honcho.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"scaled deployment did not come up:\n{log_path.read_text()[-4000:]}")
                time.sleep(1)
            yield deployment
        finally:
            honcho.send_signal(signal.SIGTERM)
            try:
                honcho.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(honcho.pid, signal.SIGKILL)
                honcho.wait()
    finally:
        _drop(layout)
