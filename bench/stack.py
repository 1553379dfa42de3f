"""Start the processes under test: the product's full stack and the stock `rasa init` assistant.

Every process gets a free port, its own log file and is measured from spawn to its first real answer
(cold start) and by resident memory (psutil, the process and its children).
"""
from __future__ import annotations

import contextlib
import hashlib
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

import httpx
import psutil
import yaml

from bot.ops.processes import Launched, free_port, health, launch
from bot.ops.serve_rasa import rasa_args
from bot.security import secrets
from bot.security.tokens import issue_shopper_token, new_session_id
from bot.settings import PROJECT_ROOT

PY = sys.executable
RASA = str(Path(sys.executable).with_name("rasa"))
CACHE = Path(os.environ.get("BENCH_CACHE", PROJECT_ROOT / "var" / "bench-cache"))
BASE_ENV = {"PYTHONPATH": str(PROJECT_ROOT), "TF_CPP_MIN_LOG_LEVEL": "2", "SQLALCHEMY_SILENCE_UBER_WARNING": "1"}


def rss_mb(pid: int) -> float:
    """Resident memory of a process and its children, in MB."""
    try:
        proc = psutil.Process(pid)
        return round(sum(p.memory_info().rss for p in [proc, *proc.children(recursive=True)]) / 2**20, 1)
    except psutil.Error:
        return 0.0


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process and its children so far."""
    try:
        proc = psutil.Process(pid)
        return sum(sum(p.cpu_times()[:2]) for p in [proc, *proc.children(recursive=True)])
    except psutil.Error:
        return 0.0


@dataclass
class Service(Launched):
    cold_start_s: float = 0.0
    peak_rss_mb: float = 0.0
    samples: list[float] = field(default_factory=list)

    def sample(self) -> float:
        rss = rss_mb(self.popen.pid)
        self.peak_rss_mb = max(self.peak_rss_mb, rss)
        return rss

    def cpu(self) -> float:
        return cpu_seconds(self.popen.pid)

    def stop(self, grace: float = 15.0) -> None:
        super().stop(grace)


def start(name: str, args: list[str], port: int, ready: Callable[[str], bool], logs: Path, env: dict[str, str],
          cwd: Path = PROJECT_ROOT, timeout: float = 300.0) -> Service:
    """Spawn, then poll `ready(url)` until true; cold_start_s is spawn to the first true."""
    spawned = time.monotonic()
    service = launch(name, args, port, ready, logs / f"{name}.log", {**BASE_ENV, **env}, cwd, timeout, poll=0.1,
                     kind=Service)
    service.cold_start_s = round(time.monotonic() - spawned, 2)
    service.sample()
    return service


def first_answer(text: str) -> Callable[[str], bool]:
    """Ready when the REST channel answers a real message with at least one bot message."""
    def ready(url: str) -> bool:
        sender = new_session_id()
        reply = httpx.post(url + "/webhooks/rest/webhook", json={"sender": sender, "message": text},
                           headers={"Authorization": f"Bearer {issue_shopper_token(sender)}"}, timeout=30)
        return reply.status_code == 200 and bool(reply.json())
    return ready


@contextlib.contextmanager
def services() -> Iterator[list[Service]]:
    started: list[Service] = []
    try:
        yield started
    finally:
        for service in reversed(started):
            service.stop()


def store_endpoints(workdir: Path, web_port: int, actions_port: int, tracker_store: str = "config") -> Path:
    """The project's endpoints.yml with this run's ports and a tracker store in the work dir
    (`tracker_store="memory"` swaps in Rasa's in-memory store, to price the persistent one)."""
    endpoints = yaml.safe_load((PROJECT_ROOT / "endpoints.yml").read_text(encoding="utf-8"))
    endpoints["action_endpoint"] = {"url": f"http://127.0.0.1:{actions_port}/webhook"}
    endpoints["nlg"] = {"url": f"http://127.0.0.1:{web_port}/nlg", "token": "${RASA_AUTH_TOKEN}"}
    if tracker_store == "memory":
        endpoints.pop("tracker_store", None)
    store = endpoints.get("tracker_store") or {}
    if store.get("dialect") == "sqlite":
        store["db"] = str(workdir / "tracker.db")
    target = workdir / "endpoints.yml"
    target.write_text(yaml.safe_dump(endpoints, allow_unicode=True), encoding="utf-8")
    return target


def start_store(workdir: Path, model: Path, into: list[Service], tracker_store: str = "config",
                stock_launcher: bool = False) -> dict[str, str]:
    """Database (migrated, demo store), web app + NLG, action server, Rasa; returns the env they share.
    Rasa runs through bot.ops.rasa_fast (cached schema validators) unless `stock_launcher`."""
    secrets.ensure_file()
    secrets.load()  # the processes inherit the secrets; this process signs shopper tokens with the same key
    web_port, actions_port, rasa_port = free_port(), free_port(), free_port()
    env = {"DATABASE_URL": os.environ.get("BENCH_DATABASE_URL", f"sqlite:///{workdir / 'store.db'}"),
           "WEB_PORT": str(web_port), "NLG_URL": f"http://127.0.0.1:{web_port}/nlg",
           "RASA_URL": f"http://127.0.0.1:{rasa_port}", "ACTION_SERVER_URL": f"http://127.0.0.1:{actions_port}",
           "PUBLIC_WEB_URL": f"http://127.0.0.1:{web_port}"}
    subprocess.run([PY, "-m", "bot.ops.setup_db"], cwd=PROJECT_ROOT, check=True, capture_output=True,
                   env={**os.environ, **BASE_ENV, **env})
    logs = workdir / "logs"
    into.append(start("web", [PY, "-m", "bot.web", "--port", str(web_port)], web_port, health("/health"), logs, env))
    into.append(start("actions", [PY, "-m", "rasa_sdk", "--actions", "actions", "--port", str(actions_port)],
                      actions_port, health("/health"), logs, env))
    endpoints = store_endpoints(workdir, web_port, actions_port, tracker_store)
    launcher = [RASA] if stock_launcher else [PY, "-m", "bot.ops.rasa_fast"]
    into.append(start("rasa", [*launcher, *rasa_args(str(rasa_port), str(model), str(endpoints))],
                      rasa_port, first_answer("你好"), logs, env))
    return env


def baseline_fingerprint() -> str:
    from rasa.version import __version__

    return hashlib.sha256(f"rasa-init-{__version__}-{platform.python_version()}".encode()).hexdigest()[:12]


def baseline_project(logs: Path) -> tuple[Path, dict]:
    """`rasa init --no-prompt` in the cache (created and trained once per fingerprint)."""
    root = CACHE / f"rasa-init-{baseline_fingerprint()}"
    meta_path = root / "bench-meta.json"
    if meta_path.exists() and list((root / "models").glob("*.tar.gz")):
        return root, {**json.loads(meta_path.read_text()), "cached": True}
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    logs.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    with (logs / "baseline-init.log").open("w") as log:
        subprocess.run([RASA, "init", "--no-prompt", "--init-dir", str(root)], cwd=root, check=True, stdout=log,
                       stderr=subprocess.STDOUT, env={**os.environ, **BASE_ENV})
    meta = {"train_seconds": round(time.monotonic() - started, 1), "what": "rasa init --no-prompt (scaffold+train)"}
    meta_path.write_text(json.dumps(meta))
    return root, {**meta, "cached": False}


def start_baseline(logs: Path, into: list[Service]) -> dict:
    root, meta = baseline_project(logs)
    model = max((root / "models").glob("*.tar.gz"), key=lambda p: p.stat().st_mtime)
    port = free_port()
    into.append(start("baseline-rasa", [RASA, "run", "--enable-api", "--port", str(port), "--model", str(model)],
                      port, first_answer("hello"), logs, {}, cwd=root))
    return meta
