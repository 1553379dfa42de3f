"""Session fixtures: one test database, one web app and one action server process, one Rasa agent."""
from __future__ import annotations

import os
import secrets
import tempfile
from pathlib import Path

import pytest

# Settings are read once per process, so the test environment is fixed before any bot module is imported.
_TMP = Path(tempfile.mkdtemp(prefix="store-tests-"))
os.environ["DATABASE_URL"] = f"sqlite:///{_TMP / 'store.db'}"
os.environ.setdefault("REMINDER_DELAY_SECONDS", "2")
os.environ["SQLALCHEMY_SILENCE_UBER_WARNING"] = "1"
os.environ["TF_CPP_MIN_LOG_LEVEL"] = "2"
# Secrets of their own: a clean clone needs none set, and var/secrets.env of a developer is never read.
os.environ["SECRETS_FILE"] = str(_TMP / "secrets.env")
for _name in ("RASA_AUTH_TOKEN", "PAYMENT_NOTIFY_SECRET", "SESSION_SECRET"):
    os.environ[_name] = secrets.token_urlsafe(32)
os.environ["STORE_ADMIN_USER"], os.environ["STORE_ADMIN_PASSWORD"] = "admin", secrets.token_urlsafe(16)
os.environ["TRACKER_RETENTION_DAYS"] = "0"  # schedulers started by tests never purge a developer's var/tracker.db
# Store settings of their own: human service hours all day, so no test depends on the wall clock.
from tests.support.workspace import all_day_store  # noqa: E402

os.environ["STORE_DATA_DIR"] = str(all_day_store(Path(__file__).resolve().parents[1] / "data" / "store",
                                                 _TMP / "store"))

from bot.ops.processes import free_port  # noqa: E402
from tests.support.processes import ServiceProcess  # noqa: E402


@pytest.fixture(scope="session")
def tmp_root() -> Path:
    return _TMP


@pytest.fixture(scope="session")
def store_db() -> str:
    """The migrated test database with the demo store loaded and its co-purchases mined, as `make db` does."""
    from bot.ops.setup_db import prepare_database
    from bot.settings import get_settings

    prepare_database()
    return get_settings().database_url


@pytest.fixture(scope="session")
def scripts_dir(tmp_root: Path) -> Path:
    """A copy of the shipped script library that hot-reload tests may edit."""
    import shutil

    from bot.settings import PROJECT_ROOT

    target = tmp_root / "scripts_library"
    shutil.copytree(PROJECT_ROOT / "scripts_library", target)
    return target


@pytest.fixture(scope="session")
def web_app(store_db: str, scripts_dir: Path, tmp_root: Path) -> ServiceProcess:
    port = free_port()
    with ServiceProcess.start(
        "web", ["-m", "bot.web", "--port", str(port)], port, "/health",
        env={"SCRIPTS_DIR": str(scripts_dir), "TRACKER_DB_URL": f"sqlite:///{tmp_root / 'web-tracker.db'}"}
    ) as process:
        yield process


@pytest.fixture(scope="session")
def action_server(store_db: str, scripts_dir: Path) -> ServiceProcess:
    port = free_port()
    with ServiceProcess.start(
        "actions", ["-m", "rasa_sdk", "--actions", "actions", "--port", str(port)], port, "/health",
        env={"SCRIPTS_DIR": str(scripts_dir)},   # the question bank the hot-reload tests edit
    ) as process:
        yield process


@pytest.fixture(scope="session")
def agent(web_app: ServiceProcess, action_server: ServiceProcess):
    from tests.support.agent import AgentRunner

    runner = AgentRunner.load(nlg_url=f"{web_app.url}/nlg", action_url=f"{action_server.url}/webhook")
    yield runner
    runner.close()
