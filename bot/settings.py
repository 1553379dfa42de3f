"""Typed settings, read once from environment variables with sane defaults."""
from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _env(name: str, default: str) -> str:
    return os.environ.get(name, default)


@dataclass(frozen=True)
class Settings:
    """Everything configurable by environment variable (see README, "Configuration")."""

    database_url: str
    rasa_url: str
    action_server_url: str
    nlg_url: str
    web_port: int
    public_web_url: str
    store_data_dir: Path
    scripts_dir: Path
    reminder_delay_seconds: int
    reminder_followup_seconds: int
    reminder_cap_hours: int
    quiet_hours: str
    holdout_share: float
    repurchase_lead_days: float
    slow_turn_seconds: float
    silence_nudge_seconds: int
    handoff_watch_seconds: float   # how often each web app checks for offline agents and shoppers waiting too long
    silence_nudge_cap: int
    demo_seed: int
    demo_store: bool
    socketio_redis_url: str

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Read the settings once per process."""
    default_db = f"sqlite:///{PROJECT_ROOT / 'var' / 'store.db'}"
    return Settings(
        database_url=_env("DATABASE_URL", default_db),
        rasa_url=_env("RASA_URL", "http://localhost:5005").rstrip("/"),
        action_server_url=_env("ACTION_SERVER_URL", "http://localhost:5055").rstrip("/"),
        nlg_url=_env("NLG_URL", "http://localhost:8000/nlg"),
        web_port=int(_env("WEB_PORT", "8000")),
        public_web_url=_env("PUBLIC_WEB_URL", "http://localhost:8000").rstrip("/"),
        store_data_dir=Path(_env("STORE_DATA_DIR", str(PROJECT_ROOT / "data" / "store"))),
        scripts_dir=Path(_env("SCRIPTS_DIR", str(PROJECT_ROOT / "scripts_library"))),
        reminder_delay_seconds=int(_env("REMINDER_DELAY_SECONDS", "600")),
        reminder_followup_seconds=int(_env("REMINDER_FOLLOWUP_SECONDS", "1800")),
        reminder_cap_hours=int(_env("REMINDER_CAP_HOURS", "24")),
        quiet_hours=_env("QUIET_HOURS", "22:00-08:00"),
        holdout_share=float(_env("REMINDER_HOLDOUT_SHARE", "0.1")),
        repurchase_lead_days=float(_env("REPURCHASE_LEAD_DAYS", "3")),
        slow_turn_seconds=float(_env("SLOW_TURN_SECONDS", "3")),
        silence_nudge_seconds=int(_env("SILENCE_NUDGE_SECONDS", "60")),
        handoff_watch_seconds=float(_env("HANDOFF_WATCH_SECONDS", "2")),
        silence_nudge_cap=int(_env("SILENCE_NUDGE_CAP", "1")),
        demo_seed=int(_env("DEMO_SEED", "20261122")),
        demo_store=_env("DEMO_STORE", "1").lower() not in ("0", "false", "no", "off"),
        socketio_redis_url=_env("SOCKETIO_REDIS_URL", ""),
    )
