"""Retrieval from the demo bank: paraphrases, unrelated questions, product scope, intents keep their questions."""
from __future__ import annotations

from types import SimpleNamespace

import pytest

from bot.knowledge.retrieval import Retriever, intent_examples, scope_words
from bot.scripts.loader import load_library
from bot.settings import PROJECT_ROOT

THERMOS = SimpleNamespace(sku="CUP-THERMOS-001", category="日用", name="保温杯", aliases=("保温水杯", "水杯", "杯子"))
TSHIRT = SimpleNamespace(sku="TSHIRT-ROUND-001", category="T恤", name="纯棉圆领T恤", aliases=("圆领T恤",))


@pytest.fixture(scope="module")
def retriever() -> Retriever:
    library, _ = load_library(PROJECT_ROOT / "scripts_library")
    return Retriever(library.knowledge, intent_examples(), scope_words([THERMOS, TSHIRT]))


@pytest.mark.parametrize("text, entry", [
    ("买了东西发票怎么开", "invoice"),
    ("积分能当钱用吗", "member_points"),
    ("真人客服几点有", "service_hours"),
    ("满减和券能同时用吗", "coupon_stack"),
])
def test_a_question_worded_differently_finds_its_entry(retriever: Retriever, text: str, entry: str) -> None:
    decision = retriever.decide(text)
    assert decision.kind == "answer" and decision.best.entry.id == entry


@pytest.mark.parametrize("text", ["今天天气怎么样", "给我讲个笑话", "怎么做红烧肉", "你是机器人吗"])
def test_unrelated_questions_are_not_matched(retriever: Retriever, text: str) -> None:
    assert retriever.decide(text).kind == "decline"


@pytest.mark.parametrize("text", ["多少钱", "这个多少钱", "包邮吗", "我要退货", "转人工"])
def test_a_bank_entry_never_hijacks_what_an_intent_answers(retriever: Retriever, text: str) -> None:
    assert retriever.decide(text, intent_confident=True).kind == "decline"
    assert retriever.decide(text).kind != "answer"


def test_a_clearly_nearer_entry_beats_a_confident_intent(retriever: Retriever) -> None:
    decision = retriever.decide("有价格保护吗", intent_confident=True)   # the NLU reads ask_price here
    assert decision.kind == "answer" and decision.best.entry.id == "price_protection"


def test_a_product_scoped_entry_answers_for_the_product_under_discussion(retriever: Retriever) -> None:
    on_thermos = retriever.decide("保修多久", THERMOS.sku, THERMOS.category)
    on_tshirt = retriever.decide("保修多久", TSHIRT.sku, TSHIRT.category)
    assert on_thermos.best.entry.id == "warranty_thermos"
    assert on_tshirt.best.entry.id in {"warranty_clothing", "warranty_general"}
    assert "warranty_thermos" not in {m.entry.id for m in on_tshirt.matches}
    assert "warranty_thermos" not in {m.entry.id for m in retriever.decide("保修多久").matches}


@pytest.mark.parametrize("text, entry", [("你家能给开票不", "invoice"), ("两个订单能一起发吗", "merge_payment")])
def test_a_less_sure_match_offers_the_two_best_entries(retriever: Retriever, text: str, entry: str) -> None:
    decision = retriever.decide(text)
    assert decision.kind == "offer" and len(decision.matches) == 2 and decision.best.entry.id == entry


def test_outcomes_name_responses_and_carry_question_buttons(retriever: Retriever) -> None:
    from bot.knowledge.service import OFFER_RESPONSE, is_rephrasing, outcome

    answered = outcome(retriever, "买了东西发票怎么开")
    assert answered.kind == "answer" and answered.response == "utter_kb_invoice" and answered.record is None
    offered = outcome(retriever, "你家能给开票不")
    assert offered.response == OFFER_RESPONSE and offered.record == "low_confidence"
    assert offered.buttons[0] == {"title": "可以开发票吗", "payload": "可以开发票吗"}
    assert outcome(retriever, "怎么做红烧肉").record == "fallback"
    assert outcome(retriever, "多少钱", intent_confident=True).record is None
    assert is_rephrasing("能刻字吗", "可以刻字吗") and not is_rephrasing("多少钱", "有L码吗")
