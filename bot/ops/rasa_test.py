"""Run `rasa test core` on the test stories with --fail-on-prediction-errors against the current model."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from bot.ops.train import model_path
from bot.security import secrets
from bot.settings import PROJECT_ROOT


def main() -> int:
    secrets.ensure_file()  # endpoints.yml names ${RASA_AUTH_TOKEN}
    secrets.load()
    rasa = Path(sys.executable).with_name("rasa")
    command = [str(rasa), "test", "core", "--model", str(model_path()), "--stories", "tests/stories",
               "--fail-on-prediction-errors", "--out", "results/core", "--no-plot"]
    print(" ".join(command), flush=True)
    return subprocess.run(command, cwd=PROJECT_ROOT).returncode


if __name__ == "__main__":
    sys.exit(main())
