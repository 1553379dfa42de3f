"""Secrets: from the environment, else from var/secrets.env (generated on first start, mode 600).

`python -m bot.security.secrets` (run by `make run`) creates the file when needed and prints the first manager's
password once, when it generates it. The environment always overrides the file.
"""
from __future__ import annotations

import os
import secrets as random
from functools import lru_cache
from pathlib import Path

from bot.settings import PROJECT_ROOT

GENERATED = ("STORE_ADMIN_PASSWORD", "RASA_AUTH_TOKEN", "PAYMENT_NOTIFY_SECRET", "SESSION_SECRET")
DEFAULTS = {"STORE_ADMIN_USER": "admin"}


def secrets_path() -> Path:
    return Path(os.environ.get("SECRETS_FILE", str(PROJECT_ROOT / "var" / "secrets.env")))


def read_file(path: Path) -> dict[str, str]:
    """Plain `NAME=value` lines; blank lines and `#` comments are ignored."""
    if not path.exists():
        return {}
    values = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        name, sep, value = line.strip().partition("=")
        if sep and not name.startswith("#"):
            values[name.strip()] = value.strip()
    return values


def ensure_file(path: Path | None = None) -> dict[str, str]:
    """Generate every secret that neither the environment nor the file has; returns the generated ones."""
    path = path or secrets_path()
    stored = read_file(path)
    missing = {name: random.token_urlsafe(24 if name == "STORE_ADMIN_PASSWORD" else 32)
               for name in GENERATED if name not in os.environ and name not in stored}
    for name, value in DEFAULTS.items():
        if name not in os.environ and name not in stored:
            missing[name] = value
    if missing:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        with os.fdopen(fd, "a", encoding="utf-8") as handle:
            handle.writelines(f"{name}={value}\n" for name, value in missing.items())
    os.chmod(path, 0o600)
    return missing


@lru_cache(maxsize=1)
def load() -> None:
    """Put the file's values into os.environ where the environment has none (once per process)."""
    for name, value in read_file(secrets_path()).items():
        os.environ.setdefault(name, value)


def get_secret(name: str) -> str:
    """A secret's value; a clear error when it is set nowhere (run `make run` or set the variable)."""
    load()
    value = os.environ.get(name) or DEFAULTS.get(name)
    if not value:
        raise RuntimeError(f"secret {name} is not set: export it or run `python -m bot.security.secrets`")
    return value


def main() -> None:
    generated = ensure_file()
    path = secrets_path()
    if "STORE_ADMIN_PASSWORD" in generated:
        user = os.environ.get("STORE_ADMIN_USER") or read_file(path).get("STORE_ADMIN_USER", "admin")
        print(f"First manager account: {user} / {generated['STORE_ADMIN_PASSWORD']}  (stored in {path}; "
              "shown only this once)")
    elif generated:
        print(f"generated {', '.join(sorted(generated))} into {path}")


if __name__ == "__main__":
    main()
