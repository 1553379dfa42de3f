"""The library as served: hot-reloaded on change, the last good version kept when an edit is invalid."""
from __future__ import annotations

import logging
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path

from bot.scripts.documents import LibraryError
from bot.scripts.lint import responses_in_code, responses_in_domain
from bot.scripts.loader import ScriptLibrary, load_library
from bot.scripts.render import GUARD_FALLBACK
from bot.settings import PROJECT_ROOT
from bot.store.files import file_stamp

log = logging.getLogger("store.scripts")


def needed_responses() -> set[str]:
    """Every response the domain, the bot's code or the reply guard names (the same set as the lint's)."""
    return {*responses_in_code(PROJECT_ROOT), *responses_in_domain(PROJECT_ROOT / "domain"), GUARD_FALLBACK}


@dataclass
class ReloadStatus:
    loaded_at: float = 0.0
    rejected_at: float | None = None
    errors: list[LibraryError] = field(default_factory=list)
    warnings: list[LibraryError] = field(default_factory=list)


class LiveLibrary:
    """Checks file stamps at most every `min_interval` seconds; reloads when anything changed."""

    def __init__(self, directory: Path, min_interval: float = 0.25, needed: set[str] | None = None) -> None:
        """`needed`: responses a reload must keep (default: those the domain, the code and the guard use)."""
        self.directory = directory
        self.needed = needed if needed is not None else needed_responses()
        self.min_interval = min_interval
        self.status = ReloadStatus()
        self.history: deque[tuple[float, str]] = deque(maxlen=50)
        self._lock = threading.Lock()
        self._stamp: tuple = ()
        self._checked = 0.0
        self._library = ScriptLibrary()
        self._reload(initial=True)

    def _file_stamp(self) -> tuple:
        return file_stamp(sorted(self.directory.glob("*.yml")) + sorted(self.directory.glob("knowledge/*.yml")))

    def _reload(self, initial: bool = False) -> None:
        self._stamp = self._file_stamp()
        library, problems = load_library(self.directory)
        errors = [e for e in problems if e.severity == "error"] + self._lost(library)
        self.status.warnings = [e for e in problems if e.severity != "error"]
        if errors and not initial:
            self.status.errors, self.status.rejected_at = errors, time.time()
            self.history.append((time.time(), f"rejected: {len(errors)} error(s)"))
            for error in errors:
                log.error("script library edit rejected, still serving the last good version: %s", error)
            return
        if errors:
            for error in errors:
                log.error("script library has errors: %s", error)
        self._library = library
        self.status.errors = errors
        self.status.loaded_at = time.time()
        self.status.rejected_at = None
        self.history.append((time.time(), f"loaded {len(library.responses)} responses"))
        log.info("script library loaded: %d responses", len(library.responses))

    def _lost(self, library: ScriptLibrary) -> list[LibraryError]:
        """Needed responses the serving library has and the new one would lose (an edit never silences the bot)."""
        lost = sorted((self.needed & self._library.responses.keys()) - library.responses.keys())
        return [LibraryError(self._library.responses[name].file, self._library.responses[name].line, name,
                             "response is needed by the bot but missing from the edited library") for name in lost]

    def get(self) -> ScriptLibrary:
        now = time.monotonic()
        if now - self._checked >= self.min_interval:
            with self._lock:
                self._checked = now
                if self._file_stamp() != self._stamp:
                    self._reload()
        return self._library
