"""Store data files that managers may edit while the product runs."""
from __future__ import annotations

from pathlib import Path
from threading import Lock
from typing import Any, Callable, Iterable, TypeVar

import yaml

T = TypeVar("T")
_CACHE: dict[tuple[Path, Callable], tuple[tuple, Any]] = {}
_LOCK = Lock()


def file_stamp(paths: Iterable[Path]) -> tuple:
    """What changes when any of these files is edited: name, modification time and size of each."""
    stamp = []
    for path in paths:
        stat = path.stat()
        stamp.append((str(path), stat.st_mtime_ns, stat.st_size))
    return tuple(stamp)


def parsed_when_changed(path: Path, parse: Callable[[dict], T]) -> T:
    """`parse` of the YAML at `path`, re-read only when the file's stamp changed."""
    stamp = file_stamp([path])
    with _LOCK:
        cached = _CACHE.get((path, parse))
        if cached and cached[0] == stamp:
            return cached[1]
        value = parse(yaml.safe_load(path.read_text(encoding="utf-8")) or {})
        _CACHE[(path, parse)] = (stamp, value)
        return value
