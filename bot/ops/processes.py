"""Starting a project process on a free port and waiting until it answers: the one launcher of the benchmarks
(bench/stack.py) and the end-to-end tests (tests/support/processes.py)."""
from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, TypeVar

import httpx

from bot.settings import PROJECT_ROOT

L = TypeVar("L", bound="Launched")
LOG_TAIL = 3000   # characters of the log shown when a process fails to start


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Launched:
    name: str
    port: int
    popen: subprocess.Popen
    log_path: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def stop(self, grace: float = 10.0) -> None:
        """Terminate, wait up to `grace` seconds, then kill."""
        if self.popen.poll() is None:
            self.popen.terminate()
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.popen.wait(grace)
        if self.popen.poll() is None:
            self.popen.kill()
            self.popen.wait()


def health(path: str) -> Callable[[str], bool]:
    """Ready when `path` answers 200."""
    return lambda url: httpx.get(url + path, timeout=2).status_code == 200


def launch(name: str, args: list[str], port: int, ready: Callable[[str], bool], log_path: Path,
           env: dict[str, str] | None = None, cwd: Path = PROJECT_ROOT, timeout: float = 120.0, poll: float = 0.2,
           kind: type[L] = Launched) -> L:  # type: ignore[assignment]
    """Spawn `args` (output to `log_path`, `env` over this environment), then poll `ready(url)` until true.

    A process that exits early or is not ready within `timeout` seconds is stopped and raises RuntimeError with
    the end of its log."""
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with log_path.open("w") as log:
        popen = subprocess.Popen(args, cwd=cwd, stdout=log, stderr=subprocess.STDOUT, env={**os.environ, **(env or {})})
    process = kind(name, port, popen, log_path)
    deadline = time.monotonic() + timeout
    while True:
        if popen.poll() is not None:
            raise RuntimeError(f"{name} exited early (see {log_path}):\n{process.log()[-LOG_TAIL:]}")
        with contextlib.suppress(httpx.HTTPError):
            if ready(process.url):
                return process
        if time.monotonic() > deadline:
            process.stop()
            raise RuntimeError(f"{name} not ready after {timeout:.0f}s (see {log_path}):\n{process.log()[-LOG_TAIL:]}")
        time.sleep(poll)
