"""Store data files that managers may edit while the product runs."""
from __future__ import annotations

from pathlib import Path
from threading import Lock
from typing import Any, Callable, TypeVar

import yaml

T = TypeVar("T")
_CACHE: dict[tuple[Path, Callable], tuple[float, Any]] = {}
_LOCK = Lock()


def parsed_when_changed(path: Path, parse: Callable[[dict], T]) -> T:
    """`parse` of the YAML at `path`, re-read only when the file's modification time changed."""
    mtime = path.stat().st_mtime
    with _LOCK:
        cached = _CACHE.get((path, parse))
        if cached and cached[0] == mtime:
            return cached[1]
        value = parse(yaml.safe_load(path.read_text(encoding="utf-8")) or {})
        _CACHE[(path, parse)] = (mtime, value)
        return value
