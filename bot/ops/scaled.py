"""`make run-scaled`: several Rasa instances, replicated action servers and web apps behind nginx, on PostgreSQL
and Redis, supervised by honcho through a generated Procfile (in var/scaled/).

Rasa instances share a PostgreSQL tracker store and a Redis lock store (deploy/scaled/endpoints.yml); the
application database is PostgreSQL; nginx (deploy/nginx.conf.template) balances REST and API calls and keeps
socket.io sticky; two reminder schedulers run side by side (rows are claimed by a conditional UPDATE).

    PYTHONPATH=. .venv/bin/python -m bot.ops.scaled [--instances 2] [--prepare-only]
Environment: SCALED_POSTGRES (postgresql://postgres@127.0.0.1:5432), SCALED_REDIS (redis://127.0.0.1:6379/0).
"""
from __future__ import annotations

import argparse
import os
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from sqlalchemy import create_engine, text

from bot.ops.serve_rasa import rasa_args
from bot.ops.train import model_path
from bot.security import secrets
from bot.security.origins import extra_origins
from bot.settings import PROJECT_ROOT

DEPLOY = PROJECT_ROOT / "deploy"
BIN = Path(sys.executable).parent


@dataclass(frozen=True)
class Layout:
    """Ports and names of one scaled deployment; the public ports are those of `make run`."""

    rasa_port: int = 5005
    rasa_api_port: int = 5004             # Rasa's HTTP API through nginx, loopback only
    web_port: int = 8000
    actions_port: int = 5055
    rasa_instances: tuple[int, ...] = (5006, 5007)
    action_instances: tuple[int, ...] = (5056, 5057)
    web_instances: tuple[int, ...] = (8001, 8002)
    schedulers: int = 2
    postgres: str = "postgresql://postgres@127.0.0.1:5432"
    redis: str = "redis://127.0.0.1:6379/0"
    app_db: str = "store_scaled"
    tracker_db: str = "store_scaled_tracker"
    lock_prefix: str = "storescaled"
    run_dir: Path = field(default=PROJECT_ROOT / "var" / "scaled")
    host: str = "127.0.0.1"               # every internal listener
    public_host: str = "127.0.0.1"        # the channels and the web app (SCALED_PUBLIC_HOST=0.0.0.0 to publish)

    @classmethod
    def with_instances(cls, count: int, **overrides) -> Layout:
        base = cls(**overrides)
        return cls(**{**overrides, "rasa_instances": tuple(base.rasa_port + 1 + i for i in range(count)),
                      "action_instances": tuple(base.actions_port + 1 + i for i in range(count)),
                      "web_instances": tuple(base.web_port + 1 + i for i in range(count))})

    def url(self, port: int) -> str:
        return f"http://{self.host}:{port}"

    @property
    def database_url(self) -> str:
        return f"{self.postgres.replace('postgresql://', 'postgresql+psycopg2://', 1)}/{self.app_db}"


def environment(layout: Layout) -> dict[str, str]:
    """What every process of the deployment sees (settings of bot/settings.py and deploy/scaled/endpoints.yml)."""
    pg, redis = urlsplit(layout.postgres), urlsplit(layout.redis)
    return {
        "PYTHONPATH": str(PROJECT_ROOT), "TF_CPP_MIN_LOG_LEVEL": "2", "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
        "DATABASE_URL": layout.database_url,
        "RASA_URL": layout.url(layout.rasa_api_port), "NLG_URL": f"{layout.url(layout.web_port)}/nlg",
        "ACTION_SERVER_URL": layout.url(layout.actions_port), "PUBLIC_WEB_URL": layout.url(layout.web_port),
        "ACTION_ENDPOINT_URL": f"{layout.url(layout.actions_port)}/webhook",
        "NLG_ENDPOINT_URL": f"{layout.url(layout.web_port)}/nlg",
        "TRACKER_DB_HOST": f"{pg.hostname}:{pg.port or 5432}", "TRACKER_DB_NAME": layout.tracker_db,
        "TRACKER_DB_USER": pg.username or "postgres", "TRACKER_DB_PASSWORD": pg.password or "",
        "TRACKER_DB_URL": f"postgresql+psycopg2://{pg.username or 'postgres'}{':' + pg.password if pg.password else ''}"
                          f"@{pg.hostname}:{pg.port or 5432}/{layout.tracker_db}",
        "LOCK_REDIS_HOST": redis.hostname or "127.0.0.1", "LOCK_REDIS_PORT": str(redis.port or 6379),
        "LOCK_REDIS_DB": redis.path.strip("/") or "0", "LOCK_REDIS_PREFIX": layout.lock_prefix,
        "SOCKETIO_REDIS_URL": layout.redis,  # for a socket.io client manager shared by the instances
    }


def render_nginx(layout: Layout) -> str:
    def servers(ports: tuple[int, ...]) -> str:
        return "\n".join(f"        server {layout.host}:{p} max_fails=3 fail_timeout=10s;" for p in ports)

    text = (DEPLOY / "nginx.conf.template").read_text(encoding="utf-8")
    for name, value in {"RUN_DIR": str(layout.run_dir), "HOST": layout.host, "PUBLIC_HOST": layout.public_host,
                        "RASA_PORT": str(layout.rasa_port), "RASA_API_PORT": str(layout.rasa_api_port),
                        "ACTIONS_PORT": str(layout.actions_port), "WEB_PORT": str(layout.web_port),
                        "RASA_SERVERS": servers(layout.rasa_instances),
                        "ACTION_SERVERS": servers(layout.action_instances),
                        "WEB_SERVERS": servers(layout.web_instances)}.items():
        text = text.replace(f"@@{name}@@", value)
    return text


def procfile(layout: Layout, model: Path, nginx: str = "nginx") -> str:
    py = BIN / "python"
    lines = [f"nginx: {nginx} -p {layout.run_dir} -c {layout.run_dir / 'nginx.conf'} -g 'daemon off;'"]
    lines += [f"web{i + 1}: {py} -m bot.web --port {p}" for i, p in enumerate(layout.web_instances)]
    lines += [f"actions{i + 1}: SANIC_HOST={layout.host} {py} -m rasa_sdk --actions actions --port {p}"
              for i, p in enumerate(layout.action_instances)]
    # The token stays out of the file: the shell honcho starts expands it from the environment.
    origins = [layout.url(layout.web_port), *extra_origins()]
    lines += [f"rasa{i + 1}: {py} -m bot.ops.rasa_fast " + " ".join(
        shlex.quote(a) for a in rasa_args(str(p), str(model), str(DEPLOY / "scaled" / "endpoints.yml"),
                                          layout.host, token="@@TOKEN@@", origins=origins)
    ).replace("@@TOKEN@@", '"$RASA_AUTH_TOKEN"')
        for i, p in enumerate(layout.rasa_instances)]
    lines += [f"reminders{i + 1}: {py} -m bot.reminders" for i in range(layout.schedulers)]
    return "\n".join(lines) + "\n"


def check_services(layout: Layout) -> None:
    """Clear errors for what is missing: nginx, PostgreSQL, Redis."""
    import redis  # deferred: only the scaled layout needs the Redis client

    if shutil.which("nginx") is None:
        raise SystemExit("nginx is not installed: `apt-get install -y nginx` (make run-scaled does it)")
    try:
        with create_engine(f"{layout.postgres}/postgres").connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception as exc:  # noqa: BLE001 - any driver error means the same thing here
        raise SystemExit(f"PostgreSQL at {layout.postgres} is not reachable: {exc}") from exc
    try:
        redis.Redis.from_url(layout.redis, socket_timeout=3).ping()
    except redis.RedisError as exc:
        raise SystemExit(f"Redis at {layout.redis} is not reachable: {exc}") from exc


def create_database(postgres: str, name: str) -> None:
    engine = create_engine(f"{postgres}/postgres", isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        if conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).first() is None:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()


def prepare(layout: Layout, model: Path) -> Path:
    """Databases (app schema + demo store, tracker tables), nginx config and Procfile; returns the Procfile."""
    check_services(layout)
    env = {**os.environ, **environment(layout)}
    create_database(layout.postgres, layout.app_db)
    create_database(layout.postgres, layout.tracker_db)
    subprocess.run([str(BIN / "python"), "-m", "bot.ops.setup_db"], cwd=PROJECT_ROOT, env=env, check=True)
    # Tables created once here, so that instances starting together do not race on CREATE TABLE.
    subprocess.run([str(BIN / "python"), "-c", "from rasa.core.tracker_store import SQLTrackerStore as S; import os; "
                    "S(dialect='postgresql', host=os.environ['TRACKER_DB_HOST'], db=os.environ['TRACKER_DB_NAME'], "
                    "username=os.environ['TRACKER_DB_USER'], password=os.environ['TRACKER_DB_PASSWORD'])"],
                   cwd=PROJECT_ROOT, env=env, check=True, capture_output=True)
    (layout.run_dir / "tmp").mkdir(parents=True, exist_ok=True)
    (layout.run_dir / "nginx.conf").write_text(render_nginx(layout), encoding="utf-8")
    nginx = shutil.which("nginx") or "nginx"
    subprocess.run([nginx, "-t", "-q", "-p", str(layout.run_dir), "-c", str(layout.run_dir / "nginx.conf")],
                   check=True)
    target = layout.run_dir / "Procfile"
    target.write_text(procfile(layout, model, nginx), encoding="utf-8")
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--instances", type=int, default=2, help="Rasa instances, action servers and web apps each")
    parser.add_argument("--schedulers", type=int, default=2, help="reminder scheduler processes")
    parser.add_argument("--model", type=Path, default=None, help="default: models/store-<fingerprint>.tar.gz")
    parser.add_argument("--prepare-only", action="store_true", help="write var/scaled/ and set up databases only")
    args = parser.parse_args()
    secrets.ensure_file()
    secrets.load()
    layout = Layout.with_instances(args.instances, schedulers=args.schedulers,
                                   postgres=os.environ.get("SCALED_POSTGRES", Layout.postgres),
                                   redis=os.environ.get("SCALED_REDIS", Layout.redis),
                                   public_host=os.environ.get("SCALED_PUBLIC_HOST", Layout.public_host))
    model = (args.model or model_path()).resolve()
    if not model.exists():
        raise SystemExit(f"no model {model}: run `make train` first")
    target = prepare(layout, model)
    print(f"wrote {target}; public ({layout.public_host}): channels {layout.rasa_port}, web {layout.web_port}; "
          f"loopback: Rasa API {layout.rasa_api_port}, actions {layout.actions_port}")
    if args.prepare_only:
        return
    os.environ.update(environment(layout))
    honcho = str(BIN / "honcho")
    os.chdir(PROJECT_ROOT)
    os.execv(honcho, [honcho, "start", "-f", str(target), "-d", str(PROJECT_ROOT)])


if __name__ == "__main__":
    main()
