"""`python -m bot.ops.console_train`: what the console's 开始训练 runs: train (when the data changed), then have
the running Rasa server load the model, so a manager's imported products are recognised without a restart."""
from __future__ import annotations

import asyncio
import logging
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from threading import Lock

import httpx

from bot.ops.train import train
from bot.rasa_client import load_model
from bot.settings import PROJECT_ROOT

log = logging.getLogger("store.console_train")
LOG_FILE = PROJECT_ROOT / "var" / "console-training.log"


@dataclass
class TrainingJob:
    """The one training run a web process may have going (a child process; its output in var/)."""

    process: subprocess.Popen | None = None
    started_at: float | None = None
    _lock: Lock = field(default_factory=Lock)

    def start(self) -> bool:
        """False when a run is still going."""
        with self._lock:
            if self.process is not None and self.process.poll() is None:
                return False
            LOG_FILE.parent.mkdir(parents=True, exist_ok=True)
            with LOG_FILE.open("wb") as out:
                self.process = subprocess.Popen([sys.executable, "-m", "bot.ops.console_train"], cwd=PROJECT_ROOT,
                                                stdout=out, stderr=subprocess.STDOUT)
            self.started_at = time.time()
            return True

    def state(self) -> str:
        if self.process is None:
            return "idle"
        code = self.process.poll()
        return "running" if code is None else ("finished" if code == 0 else "failed")


JOB = TrainingJob()


def main() -> int:
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    model = train()
    try:
        asyncio.run(load_model(str(Path(model).resolve())))
    except httpx.HTTPError as exc:
        log.error("trained %s but Rasa did not load it (%s); it is used at Rasa's next start", model, exc)
        return 1
    log.info("Rasa now serves %s", model)
    return 0


if __name__ == "__main__":
    sys.exit(main())
