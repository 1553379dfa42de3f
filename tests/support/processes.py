"""Start project processes for tests and wait until their health endpoint answers (bot/ops/processes.py)."""
from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path
from typing import Iterator

from bot.ops import processes
from bot.ops.processes import Launched

ROOT = Path(__file__).resolve().parents[2]


class ServiceProcess(Launched):
    @classmethod
    @contextlib.contextmanager
    def start(cls, name: str, args: list[str], port: int, health: str, env: dict[str, str] | None = None,
              timeout: float = 120.0) -> Iterator[ServiceProcess]:
        log_path = Path(os.environ["DATABASE_URL"].removeprefix("sqlite:///")).parent / f"{name}-{port}.log"
        process = processes.launch(name, [sys.executable, *args], port, processes.health(health), log_path,
                                   {"PYTHONPATH": str(ROOT), **(env or {})}, ROOT, timeout, kind=cls)
        try:
            yield process
        finally:
            process.stop()
