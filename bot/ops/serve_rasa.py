"""Start the Rasa server (rest + socketio, HTTP API) with the current model; used by the Procfile."""
from __future__ import annotations

import os
import sys
from pathlib import Path

from bot.ops.train import model_path
from bot.settings import PROJECT_ROOT


def main() -> None:
    rasa = str(Path(sys.executable).with_name("rasa"))
    port = os.environ.get("RASA_PORT", "5005")
    args = [rasa, "run", "--enable-api", "--cors", "*", "--port", port, "--model", str(model_path()),
            "--credentials", os.environ.get("RASA_CREDENTIALS", "credentials.yml"),
            "--endpoints", os.environ.get("RASA_ENDPOINTS", "endpoints.yml")]
    os.chdir(PROJECT_ROOT)
    os.execv(rasa, args)


if __name__ == "__main__":
    main()
