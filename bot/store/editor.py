"""Editing the store's settings files from the console: validated by each file's own loader before anything is
written (the running product keeps the last good file), written atomically (hot reload: the loaders re-read a
file when it changes), recorded in the audit log, revertable."""
from __future__ import annotations

import difflib
import hashlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import yaml

from bot.bargain.ladder import parse_ladder
from bot.db.uow import UnitOfWork
from bot.recommendations.bundles import parse_bundle_config
from bot.recommendations.store_data import parse_scenes
from bot.settings import get_settings
from bot.store.audit import AuditRepository, EditView
from bot.store.config import parse_store

MAX_CHARS = 200_000
CONDITIONS = ("multi_buy", "full_reduction", "pay_now_gift", "review_cashback", "final")


class SettingsError(ValueError):
    """An edit that cannot be saved: which file, which line, why (shown to the manager)."""


def _store(document: dict[str, Any]) -> None:
    store = parse_store(document)
    for agent in store.agents:
        if not isinstance(agent, dict) or not agent.get("id") or not agent.get("name"):
            raise SettingsError("store.agents: every agent needs an id and a name")
    store.agent(None)


def _bargain(document: dict[str, Any]) -> None:
    ladder = parse_ladder(document)
    if not ladder or not all(isinstance(step, dict) and step.get("condition") in CONDITIONS for step in ladder):
        raise SettingsError(f"ladder: a list of steps, each with a condition ({', '.join(CONDITIONS)})")


def _bundles(document: dict[str, Any]) -> None:
    parse_bundle_config(document)


def _scenes(document: dict[str, Any]) -> None:
    parse_scenes(document)


@dataclass(frozen=True)
class Editable:
    name: str
    title: str
    check: Callable[[dict[str, Any]], None]


# The files of data/store a manager edits here; the check is the file's own loader (new keys are accepted).
FILES = {f.name: f for f in (
    Editable("store.yml", "店铺设置（名称、风格、物流、退换、优惠、客服、服务时间、转人工关键词）", _store),
    Editable("bargain.yml", "议价阶梯", _bargain),
    Editable("bundles.yml", "搭配套餐定价", _bundles),
    Editable("scenes.yml", "场景推荐", _scenes),
)}


def path_of(name: str) -> Path:
    if name not in FILES:
        raise SettingsError(f"{name}: not an editable settings file")
    return get_settings().store_data_dir / name


def read(name: str) -> str:
    path = path_of(name)
    return path.read_text(encoding="utf-8") if path.exists() else ""


def digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def validate(name: str, text: str) -> None:
    """Raise SettingsError with the line and reason when the text is not a valid `name`."""
    if len(text) > MAX_CHARS:
        raise SettingsError(f"{name}: longer than {MAX_CHARS} characters")
    try:
        document = yaml.safe_load(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        line = f"第 {mark.line + 1} 行" if mark else ""
        raise SettingsError(f"{name} {line}: YAML 格式错误：{exc.problem}") from None
    if not isinstance(document, dict):
        raise SettingsError(f"{name}: 文件内容应是一个 YAML 映射（key: value）")
    try:
        FILES[name].check(document)
    except SettingsError:
        raise
    except (KeyError, ValueError, TypeError, AttributeError) as exc:
        detail = f"缺少 {exc}" if isinstance(exc, KeyError) else str(exc)
        raise SettingsError(f"{name}: {detail}") from None


def _write(path: Path, text: str) -> None:
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    with os.fdopen(handle, "w", encoding="utf-8") as out:
        out.write(text)
    os.replace(temp, path)


def save(name: str, text: str, editor: str, base: str | None = None, reverts: int | None = None) -> int:
    """Validate, write and record an edit; `base` (the digest the editor started from) guards lost updates."""
    before = read(name)
    if base is not None and base != digest(before):
        raise SettingsError(f"{name}: 文件在您编辑期间被修改过，请重新打开后再保存")
    validate(name, text)
    if text == before:
        raise SettingsError(f"{name}: 没有改动")
    with UnitOfWork() as uow:
        edit_id = AuditRepository(uow.session).add(name, editor, before, text, reverts)
        _write(path_of(name), text)
        uow.commit()
    return edit_id


def revert(edit_id: int, editor: str) -> int:
    """Put back the file as it was before edit `edit_id` (itself recorded as a new edit)."""
    with UnitOfWork() as uow:
        edit = AuditRepository(uow.session).get(edit_id)
    if edit is None:
        raise SettingsError(f"没有编号为 {edit_id} 的修改记录")
    return save(edit.file, edit.before, editor, reverts=edit_id)


def history(name: str | None = None, limit: int = 50) -> list[EditView]:
    with UnitOfWork() as uow:
        return list(AuditRepository(uow.session).history(name, limit))


def diff(edit: EditView) -> str:
    return "".join(difflib.unified_diff(edit.before.splitlines(True), edit.after.splitlines(True),
                                        fromfile=f"{edit.file} (之前)", tofile=f"{edit.file} (之后)", n=2))
