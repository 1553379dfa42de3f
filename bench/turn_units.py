"""Units of work, worker-thread hops and SQL statements of one confirm-purchase turn, in process.

    python -m bench.turn_units [--json]

A shopper on the swimsuit's product page asks about it, then says 就要这个: the action server runs
`action_confirm_purchase` through rasa_sdk's executor (as its webhook does), which confirms and, pacing
allowing, offers the bundle or what goes with it. Counted: units of work entered (`UnitOfWork.__enter__`),
hops to a worker thread (`loop.run_in_executor`, which `asyncio.to_thread` uses) and SQL statements sent. The
first turn of the process fills the catalog index; later turns (new shoppers) are the steady state.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import tempfile
import threading
import uuid
from pathlib import Path
from typing import Any

PRODUCT = "SWIM-ONEPIECE-001"          # a bundle partner and related items: the whole suggestion path
TURNS = 5


def _prepare_database() -> None:
    """A throw-away SQLite database with the demo store, set before any bot module reads the settings."""
    os.environ["DATABASE_URL"] = f"sqlite:///{Path(tempfile.mkdtemp(prefix='bench-turn-')) / 'store.db'}"
    os.environ.setdefault("SQLALCHEMY_SILENCE_UBER_WARNING", "1")
    from bot.ops.setup_db import prepare_database

    prepare_database()


class Counts:
    def __init__(self) -> None:
        self.units = self.hops = self.statements = 0

    def as_dict(self) -> dict[str, int]:
        return {"units_of_work": self.units, "thread_hops": self.hops, "sql_statements": self.statements}


def _instrument(counts: Counts) -> None:
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    from bot.db.uow import UnitOfWork

    enter = UnitOfWork.__enter__

    def counted_enter(self):
        counts.units += 1
        return enter(self)

    UnitOfWork.__enter__ = counted_enter  # type: ignore[method-assign]
    run_in_executor = asyncio.base_events.BaseEventLoop.run_in_executor

    def counted_run_in_executor(self, executor, func, *args):
        counts.hops += 1
        return run_in_executor(self, executor, func, *args)

    asyncio.base_events.BaseEventLoop.run_in_executor = counted_run_in_executor  # type: ignore[method-assign]

    @event.listens_for(Engine, "before_cursor_execute")
    def _statement(*_args: Any) -> None:
        counts.statements += 1


def _tracker(sender: str) -> dict[str, Any]:
    def user(text: str, intent: str) -> dict[str, Any]:
        message = {"text": text, "intent": {"name": intent, "confidence": 1.0}, "entities": [],
                   "metadata": {"product_sku": PRODUCT}}
        return {"event": "user", "text": text, "parse_data": message, "metadata": message["metadata"]}

    asked, decided = user("这款泳衣有什么颜色", "ask_product_info"), user("就要这个", "want_buy")
    events = [asked, {"event": "bot", "text": "有黑色和藏青色哦", "data": {}, "metadata": {}}, decided]
    return {"sender_id": sender, "slots": {}, "latest_message": decided["parse_data"], "events": events,
            "paused": False, "followup_action": None, "active_loop": {}, "latest_action_name": "action_listen"}


def run(turns: int = TURNS) -> dict[str, Any]:
    _prepare_database()
    from rasa_sdk.executor import ActionExecutor

    executor = ActionExecutor()
    executor.register_package("actions")
    for thread in threading.enumerate():
        if thread.name == "knowledge-warm-up":   # the action server's start-up job, not part of a turn
            thread.join()
    counts = Counts()
    _instrument(counts)
    measured: list[dict[str, Any]] = []
    for _ in range(turns):
        counts.__init__()  # type: ignore[misc]
        call = {"next_action": "action_confirm_purchase", "tracker": _tracker(f"bench-{uuid.uuid4().hex[:8]}"),
                "domain": {}}
        result = asyncio.run(executor.run(call))
        responses = [m.get("response") for m in (result or {}).get("responses", [])]
        measured.append({**counts.as_dict(), "responses": responses})
    return {"product": PRODUCT, "first_turn": measured[0], "later_turn": measured[-1]}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--turns", type=int, default=TURNS)
    args = parser.parse_args(argv)
    result = run(args.turns)
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
        return
    for label in ("first_turn", "later_turn"):
        turn = result[label]
        print(f"{label:<11} units of work {turn['units_of_work']:>3}   thread hops {turn['thread_hops']:>2}   "
              f"SQL statements {turn['sql_statements']:>3}   replies {', '.join(map(str, turn['responses']))}")


if __name__ == "__main__":
    main()
