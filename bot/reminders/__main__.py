"""`python -m bot.reminders`: run the reminder scheduler until SIGTERM or SIGINT (finishes the row in hand)."""
from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import signal
from typing import Callable

from bot.bootstrap import bootstrap
from bot.ops import retention
from bot.reminders.config import ReminderConfig
from bot.reminders.scheduler import Scheduler
from bot.reminders.sender import RasaSender

log = logging.getLogger("store.reminders")
MAINTENANCE_SECONDS = 3600  # order expiry and tracker retention (bot/ops/retention.py)


async def run(scheduler: Scheduler, tick: float, once: bool = False) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()

    def request_stop() -> None:
        stop.set()
        scheduler.stopping = True  # the step in progress stops after the row in hand

    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, request_stop)
    log.info("reminder scheduler %s started (tick %ss)", scheduler.worker, tick)
    maintained: float | None = None
    while not stop.is_set():
        if maintained is None or loop.time() - maintained >= MAINTENANCE_SECONDS:
            maintained = loop.time()
            try:
                await asyncio.to_thread(retention.run_once)
            except Exception:  # the next hour tries again
                log.exception("retention run failed")
        try:
            outcomes = await scheduler.step()
            busy = {k: v for k, v in outcomes.items() if v}
            if busy:
                log.info("step: %s", busy)
        except Exception:  # keep the loop alive; the row's lease makes it safe to retry
            log.exception("scheduler step failed")
        if once:
            break
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=tick)
    log.info("reminder scheduler %s stopped", scheduler.worker)


def main(crash: Callable[[str], None] | None = None) -> None:
    """Run the scheduler; `crash` is a fault-injection hook for tests (the product passes none)."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--once", action="store_true", help="run one step and exit")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    bootstrap()                      # the process's composition root: its jobs' unit-of-work factory
    config = ReminderConfig.from_env()
    sender = RasaSender(config.rasa_url, config.send_timeout, config.tracker_timeout)
    asyncio.run(run(Scheduler(config, sender, crash=crash), config.tick_seconds, once=args.once))


if __name__ == "__main__":
    main()
