"""Editing store settings from the console: checked by the file's loader, hot-reloaded, audited, revertable."""
from __future__ import annotations

import shutil

import pytest

from bot.settings import PROJECT_ROOT
from bot.store import editor
from bot.store.config import load_store
from tests.support.reminders import fresh_database


@pytest.fixture
def store_dir(tmp_path, monkeypatch):
    folder = tmp_path / "store"
    shutil.copytree(PROJECT_ROOT / "data" / "store", folder)
    monkeypatch.setenv("STORE_DATA_DIR", str(folder))
    with fresh_database(tmp_path):
        yield folder


def test_a_valid_edit_is_served_at_once_and_recorded(store_dir):
    original = editor.read("store.yml")
    edited = original.replace("name: 悦享生活旗舰店", "name: 小林的杂货铺")
    edit_id = editor.save("store.yml", edited, "manager-a", base=editor.digest(original))
    assert load_store().name == "小林的杂货铺"
    [entry] = editor.history("store.yml")
    assert (entry.id, entry.editor, entry.before, entry.after) == (edit_id, "manager-a", original, edited)
    assert "-  name: 悦享生活旗舰店" in editor.diff(entry) and "+  name: 小林的杂货铺" in editor.diff(entry)


def test_new_keys_are_accepted(store_dir):
    text = editor.read("store.yml") + "  escalation_keywords: [投诉, 12315]\n  service_hours: {start: \"09:00\"}\n"
    editor.save("store.yml", text, "manager-a")
    assert "12315" in (store_dir / "store.yml").read_text(encoding="utf-8")


@pytest.mark.parametrize("name,text,reason", [
    ("store.yml", "store:\n  id: demo\n   name: x\n", "第 3 行"),
    ("store.yml", "store:\n  id: demo\n", "缺少 'name'"),
    ("store.yml", "- just a list\n", "YAML 映射"),
    ("store.yml", "store:\n  id: demo\n  name: x\n  agents: [{id: a}]\n", "id and a name"),
    ("bargain.yml", "ladder: []\n", "each with a condition"),
    ("bundles.yml", "bundles:\n  band: [1.5, 1.2]\n", "band"),
    ("products.yml", "products: []\n", "not an editable"),
])
def test_a_bad_edit_is_refused_with_its_reason_and_nothing_changes(store_dir, name, text, reason):
    before = (store_dir / name).read_text(encoding="utf-8") if (store_dir / name).exists() else None
    with pytest.raises(editor.SettingsError, match=reason):
        editor.save(name, text, "manager-a")
    assert ((store_dir / name).read_text(encoding="utf-8") if (store_dir / name).exists() else None) == before
    assert editor.history() == []
    assert load_store().name == "悦享生活旗舰店"


def test_a_stale_editor_cannot_overwrite_and_an_edit_can_be_reverted(store_dir):
    original = editor.read("bargain.yml")
    base = editor.digest(original)
    first = editor.save("bargain.yml", original + "\n# note\n", "manager-a", base=base)
    with pytest.raises(editor.SettingsError, match="被修改过"):
        editor.save("bargain.yml", original + "\n# other\n", "manager-b", base=base)
    undo = editor.revert(first, "manager-b")
    assert editor.read("bargain.yml") == original
    latest = editor.history("bargain.yml")[0]
    assert (latest.id, latest.reverts, latest.editor) == (undo, first, "manager-b")
    with pytest.raises(editor.SettingsError, match="没有改动"):
        editor.revert(first, "manager-b")
