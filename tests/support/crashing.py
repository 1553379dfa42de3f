"""`python -m tests.support.crashing`: the reminder scheduler with a crash injected where the environment says.

REMINDER_CRASH_AT=after_claim|after_send exits the process there, once (the fault-injection e2e tests).
"""
from __future__ import annotations

import logging
import os

from bot.reminders.__main__ import main

log = logging.getLogger("store.reminders")


class EnvCrash:
    """Fault injection: REMINDER_CRASH_AT=after_claim|after_send exits the process there, once.

    With REMINDER_CRASH_MARKER=<path>, "once" holds across processes: only the process that creates the
    marker file crashes.
    """

    def __init__(self) -> None:
        self.at = os.environ.get("REMINDER_CRASH_AT", "")
        self.marker = os.environ.get("REMINDER_CRASH_MARKER", "")
        self.done = False

    def __call__(self, point: str) -> None:
        if point != self.at or self.done:
            return
        self.done = True
        if self.marker:
            try:
                os.close(os.open(self.marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY))
            except FileExistsError:
                return
        log.warning("REMINDER_CRASH_AT=%s: exiting without cleanup", point)
        logging.shutdown()
        os._exit(1)


if __name__ == "__main__":
    main(crash=EnvCrash())
