"""Start the Rasa server (rest + socketio, HTTP API) with the current model; used by the Procfile.

The HTTP API needs RASA_AUTH_TOKEN (`--auth-token`), browsers may call it only from the store's own origins
(PUBLIC_WEB_URL, CORS_ORIGINS), and it listens on RASA_HOST (default 127.0.0.1: loopback only).
"""
from __future__ import annotations

import os
import sys

from bot.ops.train import model_path
from bot.security.origins import allowed_origins
from bot.security.secrets import get_secret
from bot.settings import PROJECT_ROOT


def rasa_args(port: str, model: str, endpoints: str, host: str = "127.0.0.1", token: str | None = None,
              credentials: str | None = None, origins: list[str] | None = None) -> list[str]:
    """`rasa run` arguments (used here, by the scaled launcher and by the tests that start Rasa)."""
    token = token or get_secret("RASA_AUTH_TOKEN")
    credentials = credentials or os.environ.get("RASA_CREDENTIALS", "credentials.yml")
    # One argument `--auth-token=<token>`: a generated token may start with "-", which argparse would take for a flag.
    return ["run", "--enable-api", f"--auth-token={token}", "--cors", *(origins or allowed_origins()),
            "--interface", host, "--port", port, "--model", model,
            "--credentials", credentials, "--endpoints", endpoints]


def main() -> None:
    # bot.ops.rasa_fast is `rasa` with answer schemas compiled once and the SQLite tracker store in WAL mode
    # (bench/README.md has the measurements).
    args = rasa_args(os.environ.get("RASA_PORT", "5005"), str(model_path()),
                     os.environ.get("RASA_ENDPOINTS", "endpoints.yml"), os.environ.get("RASA_HOST", "127.0.0.1"))
    os.environ.setdefault("SANIC_REQUEST_MAX_SIZE", str(8 * 1024 * 1024))  # Sanic's default is 100 MB
    os.chdir(PROJECT_ROOT)
    os.execv(sys.executable, [sys.executable, "-m", "bot.ops.rasa_fast", *args])


if __name__ == "__main__":
    main()
