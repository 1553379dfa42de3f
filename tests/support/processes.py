"""Start project processes for tests and wait until their health endpoint answers."""
from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import httpx

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class ServiceProcess:
    name: str
    port: int
    popen: subprocess.Popen
    log_path: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    @classmethod
    @contextlib.contextmanager
    def start(cls, name: str, args: list[str], port: int, health: str, env: dict[str, str] | None = None,
              timeout: float = 120.0) -> Iterator[ServiceProcess]:
        log_path = Path(os.environ["DATABASE_URL"].removeprefix("sqlite:///")).parent / f"{name}-{port}.log"
        log = log_path.open("w")
        popen = subprocess.Popen([sys.executable, *args], cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
                                 env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})})
        process = cls(name, port, popen, log_path)
        try:
            deadline = time.monotonic() + timeout
            while True:
                if popen.poll() is not None:
                    raise RuntimeError(f"{name} exited early:\n{process.log()[-3000:]}")
                with contextlib.suppress(httpx.HTTPError):
                    if httpx.get(process.url + health, timeout=2).status_code == 200:
                        break
                if time.monotonic() > deadline:
                    raise RuntimeError(f"{name} did not become healthy:\n{process.log()[-3000:]}")
                time.sleep(0.2)
            yield process
        finally:
            popen.terminate()
            with contextlib.suppress(subprocess.TimeoutExpired):
                popen.wait(10)
            if popen.poll() is None:
                popen.kill()
            log.close()
