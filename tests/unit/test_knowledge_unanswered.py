"""Unanswered questions: recorded, grouped by similarity, drafted into an entry that then shows as answered."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.db.uow import run_in_unit_of_work as in_uow
from bot.knowledge import unanswered
from bot.knowledge.drafts import save_entry
from bot.scripts.loader import load_library
from bot.settings import PROJECT_ROOT


@pytest.fixture()
def fresh(store_db: str):
    from bot.db.models import UnansweredQuestion
    from bot.db.uow import UnitOfWork

    with UnitOfWork() as uow:
        uow.session.query(UnansweredQuestion).delete()
        uow.commit()


def test_similar_messages_form_one_group_most_frequent_first(fresh) -> None:
    for text in ["可以刻字吗", "能刻字吗", "可以刻字吗亲", "宠物能带进店吗"]:
        in_uow(unanswered.record, "c1", text, "fallback")
    found = in_uow(unanswered.groups)
    assert [g.count for g in found] == [3, 1]
    assert found[0].text == "可以刻字吗" or "刻字" in found[0].text
    assert set(found[0].examples) == {"可以刻字吗", "能刻字吗", "可以刻字吗亲"}
    assert set(found[0].as_json()) >= {"text", "count", "last_seen", "examples"}


def test_draft_to_entry_round_trip(fresh, tmp_path: Path) -> None:
    scripts = tmp_path / "scripts_library"
    shutil.copytree(PROJECT_ROOT / "scripts_library", scripts)
    for text in ["可以刻字吗", "能刻字吗"]:
        in_uow(unanswered.record, "c2", text, "fallback", context={"product_sku": "CUP-THERMOS-001"})
    group = in_uow(unanswered.groups)[0]
    draft = in_uow(unanswered.draft, group.ids)["entry"]
    assert draft["questions"] == ["可以刻字吗", "能刻字吗"] and draft["products"] == ["CUP-THERMOS-001"]
    refused = save_entry(scripts, {**draft, "id": "engraving", "answer": "不能刻字"})
    assert refused and "flat_refusal" in refused[0]
    assert not save_entry(scripts, {**draft, "id": "engraving", "answer": "亲，{product}可以免费激光刻字哦，备注内容就好呀~"})
    library, problems = load_library(scripts)
    assert library.knowledge.get("engraving") and not [p for p in problems if p.severity == "error"]
    in_uow(unanswered.mark_answered, group.ids, "engraving")
    assert in_uow(unanswered.groups) == []
    assert in_uow(unanswered.groups, "answered")[0].answered_by == "engraving"


def test_an_agent_reply_in_a_handed_over_chat_becomes_a_draft(fresh) -> None:
    in_uow(unanswered.record_agent_answer, "c3", "能开增值税普通发票吗", "亲，可以开的哦~ 备注抬头和税号就好呀")
    group = in_uow(unanswered.groups)[0]
    assert group.agent_replies == ("亲，可以开的哦~ 备注抬头和税号就好呀",)
    assert in_uow(unanswered.draft, group.ids)["entry"]["answer"] == "亲，可以开的哦~ 备注抬头和税号就好呀"
