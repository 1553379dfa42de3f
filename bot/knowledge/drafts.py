"""Save a manager's entry into scripts_library/knowledge/: validated like every library edit, written atomically."""
from __future__ import annotations

import os
import shutil
import tempfile
import threading
from pathlib import Path
from typing import Any

import yaml

from bot.knowledge.bank import load_bank

TARGET = "manager.yml"
HEADER = "# Entries written from the manager page (/manager/knowledge); edit freely, the linter checks them.\n"
_LOCK = threading.Lock()


def _entries(path: Path) -> list[dict[str, Any]]:
    if not path.exists():
        return []
    return list((yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("knowledge") or [])


def save_entry(scripts_dir: Path, entry: dict[str, Any]) -> list[str]:
    """Add or replace the entry (by id) in knowledge/manager.yml; returns the errors that blocked it."""
    directory = scripts_dir / "knowledge"
    entry = {k: v for k, v in entry.items() if v not in (None, "", [])}
    with _LOCK:
        entries = [e for e in _entries(directory / TARGET) if e.get("id") != entry.get("id")] + [entry]
        text = HEADER + yaml.safe_dump({"knowledge": entries}, allow_unicode=True, sort_keys=False, width=120)
        with tempfile.TemporaryDirectory() as tmp:
            trial = Path(tmp) / "knowledge"
            shutil.copytree(directory, trial) if directory.exists() else trial.mkdir()
            (trial / TARGET).write_text(text, encoding="utf-8")
            _, problems = load_bank(trial, scripts_dir.name)
        errors = [str(p) for p in problems if p.severity == "error"]
        if errors:
            return errors
        directory.mkdir(parents=True, exist_ok=True)
        partial = directory / f".{TARGET}.tmp"
        partial.write_text(text, encoding="utf-8")
        os.replace(partial, directory / TARGET)
    return []
