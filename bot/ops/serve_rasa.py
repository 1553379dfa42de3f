"""Start the Rasa server (rest + socketio, HTTP API) with the current model; used by the Procfile."""
from __future__ import annotations

import os
import sys

from bot.ops.train import model_path
from bot.settings import PROJECT_ROOT


def main() -> None:
    port = os.environ.get("RASA_PORT", "5005")
    # bot.ops.rasa_fast is `rasa` with answer schemas compiled once and the SQLite tracker store in WAL mode
    # (bench/README.md has the measurements).
    args = [sys.executable, "-m", "bot.ops.rasa_fast", "run", "--enable-api", "--cors", "*", "--port", port, "--model", str(model_path()),
            "--credentials", os.environ.get("RASA_CREDENTIALS", "credentials.yml"),
            "--endpoints", os.environ.get("RASA_ENDPOINTS", "endpoints.yml")]
    os.chdir(PROJECT_ROOT)
    os.execv(sys.executable, args)


if __name__ == "__main__":
    main()
