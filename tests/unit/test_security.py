"""Secrets file, signed tokens, staff passwords and login throttling, socket.io metadata, library edits that
would silence the bot, notice caps, leases on the database clock, tracker retention."""
from __future__ import annotations

import os
import shutil
import sqlite3
import stat
import time
from dataclasses import replace
from datetime import timedelta

import pytest

from bot.reminders import service as reminders
from bot.security import secrets, staff, tokens
from channels.session_guard import parse_metadata
from tests.support.reminders import T0, FakeClock, FakeSender, make_order, rows, set_stock
from tests.unit.test_reminders import CONFIG, db, scheduler, step  # noqa: F401  (db is a fixture)


def test_missing_secrets_are_generated_once_into_a_private_file_and_the_environment_wins(tmp_path, monkeypatch):
    path = tmp_path / "var" / "secrets.env"
    monkeypatch.setenv("SECRETS_FILE", str(path))
    for name in (*secrets.GENERATED, "STORE_ADMIN_USER"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("RASA_AUTH_TOKEN", "from-the-environment")
    generated = secrets.ensure_file()
    assert set(generated) == {"STORE_ADMIN_PASSWORD", "PAYMENT_NOTIFY_SECRET", "SESSION_SECRET", "STORE_ADMIN_USER"}
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert secrets.ensure_file() == {}  # the second start generates nothing
    stored = secrets.read_file(path)
    assert "RASA_AUTH_TOKEN" not in stored and stored["STORE_ADMIN_USER"] == "admin"
    assert len(stored["SESSION_SECRET"]) >= 40 and stored["SESSION_SECRET"] != stored["PAYMENT_NOTIFY_SECRET"]


def test_the_first_start_prints_the_managers_password_once(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("SECRETS_FILE", str(tmp_path / "secrets.env"))
    monkeypatch.delenv("STORE_ADMIN_PASSWORD", raising=False)
    secrets.main()
    password = secrets.read_file(tmp_path / "secrets.env")["STORE_ADMIN_PASSWORD"]
    assert password in capsys.readouterr().out
    secrets.main()
    assert password not in capsys.readouterr().out


def test_tokens_are_bound_to_their_purpose_and_cannot_be_altered():
    session = tokens.new_session_id()
    shopper_token = tokens.issue_shopper_token(session)
    assert tokens.shopper_session(shopper_token) == session
    staff_token = tokens.issue_staff_token("alice", "agent")
    assert tokens.shopper_session(staff_token) is None and tokens.staff_identity(shopper_token) is None
    assert tokens.staff_identity(staff_token) == tokens.StaffIdentity("alice", "agent")
    head, body, signature = shopper_token.split(".")
    assert tokens.shopper_session(f"{head}.{body}.{signature[::-1]}") is None
    assert tokens.shopper_session(tokens.issue_shopper_token(session, days=-1)) is None  # expired
    assert tokens.bearer("Bearer abc") == "abc" and tokens.bearer("Basic abc") is None and tokens.bearer(None) is None


def test_passwords_are_bcrypt_hashes_and_failed_logins_are_throttled():
    hashed = staff.hash_password("a-long-password")
    assert hashed.startswith("$2") and "a-long-password" not in hashed
    assert staff.check_password("a-long-password", hashed) and not staff.check_password("wrong", hashed)
    throttle = staff.LoginThrottle(limit=2, window=60, ip_limit=3)
    keys = ("user:bob", "ip:10.0.0.1")
    for _ in range(2):
        assert throttle.retry_after(*keys) == 0
        throttle.failed(*keys)
    assert throttle.retry_after(*keys) > 0
    assert throttle.retry_after("user:carol", "ip:10.0.0.1") == 0  # an office address allows more tries
    with pytest.raises(staff.StaffError):
        staff.add_staff("x y", "a-long-password", "agent")


def test_socketio_metadata_that_is_not_json_never_drops_the_message():
    assert parse_metadata('{"product_sku": "A"}') == {"product_sku": "A"}
    assert parse_metadata("{not json") == {} and parse_metadata("[1]") == {} and parse_metadata(None) == {}
    assert parse_metadata({"cart": []}) == {"cart": []}


@pytest.fixture
def live(tmp_path):
    from bot.scripts.live import LiveLibrary
    from bot.settings import PROJECT_ROOT

    shutil.copytree(PROJECT_ROOT / "scripts_library", tmp_path / "lib")
    return LiveLibrary(tmp_path / "lib", min_interval=0)


def _edit(path, text: str) -> None:
    path.write_text(text, encoding="utf-8")
    stamp = time.time() + 5
    os.utime(path, (stamp, stamp))


def test_an_emptied_script_file_is_rejected_and_the_bot_still_answers(live):
    from bot.scripts.render import RenderRequest, render

    _edit(live.directory / "smalltalk.yml", "")
    library = live.get()
    assert live.status.rejected_at and any("file is empty" in str(e) for e in live.status.errors)
    assert render(library, RenderRequest("utter_greet")).text
    assert render(library, RenderRequest("utter_no_such_response")).text  # the guard fallback speaks


def test_an_edit_that_loses_a_response_the_bot_needs_is_rejected(live):
    import yaml

    path = live.directory / "smalltalk.yml"
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    del document["responses"]["utter_guard_fallback"]
    _edit(path, yaml.safe_dump(document, allow_unicode=True))
    assert "utter_guard_fallback" in live.get().responses
    assert any(e.key == "utter_guard_fallback" and "needed" in e.reason for e in live.status.errors)


def test_render_never_raises_for_a_missing_response():
    from bot.scripts.loader import ScriptLibrary
    from bot.scripts.render import RenderRequest, render

    assert render(ScriptLibrary(), RenderRequest("utter_greet")).text == ""


def test_change_notices_are_capped_per_order_and_per_shopper(db):  # noqa: F811
    order = make_order("capped-notices", [("TEE-V", 1)], status="paid", paid_at=T0)
    for days in (1, 2, 3):
        reminders.notify_delay(order, days, now=T0)
    with pytest.raises(reminders.NoticeError, match="at most"):
        reminders.notify_delay(order, 4, now=T0)
    others = [make_order("capped-notices", [("TEE-ROUND", 1)], status="paid", paid_at=T0) for _ in range(4)]
    set_stock("TEE-ROUND", 0)
    reminders.notify_stock_out("TEE-ROUND", now=T0, config=CONFIG)
    sender = FakeSender()
    step(scheduler(sender, FakeClock(T0 + timedelta(minutes=1)), replace(CONFIG, notice_cap_per_order=2)))
    states = [(r.kind, r.state, r.skip_reason) for o in [order, *others] for r in rows(o)]
    assert states.count(("delay", "sent", None)) == 2 and ("delay", "skipped", "cap") in states
    assert len(sender.sends) == 5 and ("stock_out", "skipped", "cap") in states  # five per shopper


def test_a_worker_whose_clock_runs_ahead_cannot_take_a_live_lease(db):  # noqa: F811
    from bot.reminders.scheduler import Scheduler

    make_order("lease-1", [("TEE-V", 1)])
    sender, clock = FakeSender(), FakeClock(T0 + timedelta(minutes=11))
    holder = Scheduler(CONFIG, sender, clock=clock, worker_id="holder", crash=lambda point: None)
    holder.plan(clock())
    assert holder.claim_next(clock()) is not None  # leased for 30 s on the database's clock
    ahead = Scheduler(CONFIG, sender, clock=FakeClock(clock() + timedelta(hours=1)), worker_id="ahead",
                      crash=lambda point: None)
    assert ahead.claim_next(ahead.clock()) is None


def test_idle_conversations_leave_the_tracker_store(tmp_path):
    from bot.ops.retention import purge_conversations

    path = tmp_path / "tracker.db"
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE events (id INTEGER PRIMARY KEY, sender_id TEXT, timestamp REAL)")
        now = time.time()
        connection.executemany("INSERT INTO events (sender_id, timestamp) VALUES (?, ?)",
                               [("old", now - 100 * 86400), ("old", now - 95 * 86400), ("active", now - 100 * 86400),
                                ("active", now - 86400)])
    assert purge_conversations(90, f"sqlite:///{path}", now) == 2
    with sqlite3.connect(path) as connection:
        assert [r[0] for r in connection.execute("SELECT DISTINCT sender_id FROM events")] == ["active"]
    assert purge_conversations(0, f"sqlite:///{path}") == 0


def test_a_repeated_emit_of_one_reminder_id_says_nothing_the_second_time(db):  # noqa: F811
    import asyncio

    from rasa_sdk import Tracker
    from rasa_sdk.executor import CollectingDispatcher

    from actions.reminders import ActionSendPaymentReminder
    from bot.reminders.sender import times_delivered

    make_order("emit-1", [("TEE-V", 1)])
    scheduler(FakeSender(), FakeClock(T0 + timedelta(minutes=1))).plan(T0 + timedelta(minutes=1))
    reminder_id = rows(customer_id="emit-1")[0].id
    parse = {"intent": {"name": "EXTERNAL_payment_reminder"}, "text": "",
             "entities": [{"entity": "reminder_id", "value": str(reminder_id)}]}
    external = {"event": "user", "text": "EXTERNAL: EXTERNAL_payment_reminder", "parse_data": parse}

    def said(events: list[dict]) -> list:
        dispatcher = CollectingDispatcher()
        tracker = Tracker("emit-1", {}, parse, events, False, None, {}, "action_listen")
        asyncio.run(ActionSendPaymentReminder().run(dispatcher, tracker, {}))
        return dispatcher.messages

    assert said([external])  # the first delivery speaks
    repeated = [external, {"event": "bot", "text": "亲~"}, external]
    assert times_delivered(repeated, reminder_id) == 2 and said(repeated) == []  # the retried emit says nothing
