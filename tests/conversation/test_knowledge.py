"""The question bank through the agent, the action server and the NLG endpoint."""
from __future__ import annotations

import time
from pathlib import Path

import httpx
import pytest

from bot.rules.negatives import find_flat_refusals
from tests.support.security import staff_headers
from tests.support.workspace import set_agents_online

pytestmark = pytest.mark.agent


def unanswered(web_app, status: str = "open") -> list[dict]:
    return httpx.get(f"{web_app.url}/api/knowledge/unanswered", params={"status": status}, timeout=10,
                     headers=staff_headers(web_app.url, "manager")).json()


def test_a_question_the_intents_do_not_cover_is_answered_from_the_bank(chat) -> None:
    c = chat()
    reply = c.text("买了东西发票怎么开")
    assert c.responses()[-1] == "utter_kb_invoice" and "发票" in reply
    assert not find_flat_refusals(reply)


def test_the_bank_answers_a_question_the_nlu_reads_as_a_price_question(chat) -> None:
    c = chat(page_sku="TSHIRT-ROUND-001")
    assert "7天" in c.text("有价格保护吗")                     # NLU: ask_price, confident
    assert c.responses()[-1] == "utter_kb_price_protection"


def test_a_bank_entry_never_hijacks_the_price_question(chat) -> None:
    c = chat(page_sku="TSHIRT-ROUND-001")
    assert "59" in c.text("多少钱") and c.responses()[-1] == "utter_price"
    set_agents_online("agent-knowledge")
    c.text("转人工")
    assert c.responses()[-2:] == ["utter_handoff", "utter_handoff_queue"]


def test_an_entry_for_a_product_answers_for_the_product_under_discussion(chat) -> None:
    thermos = chat(page_sku="CUP-THERMOS-001")
    reply = thermos.text("保修多久")
    assert thermos.responses()[-1] == "utter_kb_warranty_thermos" and "保温杯" in reply
    tshirt = chat(page_sku="TSHIRT-ROUND-001")
    tshirt.text("保修多久")
    assert tshirt.responses()[-1] in {"utter_kb_warranty_clothing", "utter_kb_warranty_general"}
    assert "保温" not in tshirt.bot_texts()[-1]


def test_settings_placeholders_are_filled(chat) -> None:
    c = chat()
    reply = c.text("有实体店吗")
    assert c.responses()[-1] == "utter_kb_physical_store" and "7天无理由" in reply


def reasons(conversation_id: str) -> list[tuple[str, str]]:
    from bot.db.models import UnansweredQuestion
    from bot.db.uow import UnitOfWork

    with UnitOfWork() as uow:
        rows = uow.session.query(UnansweredQuestion).filter_by(conversation_id=conversation_id).all()
        return [(r.text, r.reason) for r in rows]


def test_a_new_entry_is_answerable_within_two_seconds_without_training(chat, scripts_dir: Path) -> None:
    (scripts_dir / "knowledge" / "payments_extra.yml").write_text("""knowledge:
  - id: digital_rmb
    questions: [支持数字人民币吗, 能用数字人民币付款吗]
    answer: "亲，结算时选数字人民币就能付款哦，还能用{coupon}呀 😊"
""", encoding="utf-8")
    time.sleep(1.0)
    c = chat()
    reply = c.text("可以用数字人民币吗")
    assert c.responses()[-1] == "utter_kb_digital_rmb" and "数字人民币" in reply and "{" not in reply


QUESTION = "你们的宝贝可以激光刻字吗"


def test_unanswered_questions_reach_the_manager_and_become_an_entry(chat, web_app, scripts_dir: Path) -> None:
    first = chat()
    first.text(QUESTION)
    assert first.responses()[-1] in {"utter_kb_unknown", "utter_rephrase", "utter_rephrase_options", "utter_out_of_scope"}
    first.text("宝贝能不能激光刻字呀")                       # the same question again, in other words
    first.text("转人工")                                     # and a handoff (after two misses, or asked for now)
    assert {(QUESTION, "rephrased"), (QUESTION, "fallback")} <= set(reasons(first.sender))
    assert any(r.startswith("utter_handoff") for r in first.responses())
    assert {r for t, r in reasons(first.sender) if t == "宝贝能不能激光刻字呀"} & {"handoff", "fallback"}
    chat().text(QUESTION)
    group = next(g for g in unanswered(web_app) if g["text"] == QUESTION)
    assert group["count"] >= 4 and "宝贝能不能激光刻字呀" in group["examples"] and group["last_seen"]

    manager = staff_headers(web_app.url, "manager")
    anonymous = httpx.post(f"{web_app.url}/api/knowledge/drafts", json={"ids": group["ids"]}, timeout=10)
    assert anonymous.status_code == 401                      # the bank is the manager's
    draft = httpx.post(f"{web_app.url}/api/knowledge/drafts", json={"ids": group["ids"]}, timeout=10,
                       headers=manager).json()
    assert QUESTION in draft["entry"]["questions"]
    entry = {**draft["entry"], "id": "engraving", "answer": "亲，保温杯和箱包都可以免费激光刻字哦，下单备注内容就好呀~ ✨"}
    bad = httpx.post(f"{web_app.url}/api/knowledge/entries", json={"entry": {**entry, "answer": "不能刻字"}},
                     timeout=10, headers=manager)
    assert bad.status_code == 422 and "flat_refusal" in bad.json()["errors"][0]
    assert httpx.post(f"{web_app.url}/api/knowledge/entries", json={"entry": {"id": 3}}, timeout=10,
                      headers=manager).status_code == 400
    saved = httpx.post(f"{web_app.url}/api/knowledge/entries", json={"entry": entry, "ids": draft["ids"]}, timeout=10,
                       headers=manager)
    assert saved.status_code == 201 and (scripts_dir / "knowledge" / "manager.yml").exists()
    assert not any(g["text"] == QUESTION for g in unanswered(web_app))
    assert any(g["answered_by"] == "engraving" for g in unanswered(web_app, "answered"))
    time.sleep(1.0)
    fresh = chat()
    assert "激光刻字" in fresh.text(QUESTION) and fresh.responses()[-1] == "utter_kb_engraving"
    assert httpx.get(f"{web_app.url}/manager/knowledge", timeout=10).status_code == 302    # to 登录
    page = httpx.get(f"{web_app.url}/manager/knowledge", timeout=10, headers=manager)
    assert page.status_code == 200 and "问答库" in page.text
