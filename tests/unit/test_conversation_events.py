"""Tracker event helpers: one reading of who said what, shared by every action."""
from __future__ import annotations

from rasa_sdk import Tracker

from actions.service import consecutive_fallbacks, likely_readings
from bot.conversation.events import earlier_ask, last_shown_skus


def user(intent: str, ranking: list[tuple[str, float]] | None = None) -> dict:
    parse = {"intent": {"name": intent}, "intent_ranking": [{"name": n, "confidence": c} for n, c in ranking or []],
             "text": f"不明白 {intent}"}
    return {"event": "user", "text": intent, "parse_data": parse}


def bot(skus: list[str] | None = None) -> dict:
    custom = {"type": "product_cards", "cards": [{"sku": s} for s in skus]} if skus else None
    return {"event": "bot", "text": "…", "data": {"custom": custom}}


def tracker(events: list[dict]) -> Tracker:
    latest = next((e["parse_data"] for e in reversed(events) if e["event"] == "user"), {})
    return Tracker("s", {}, latest, events, False, None, {}, "action_listen")


def test_a_silence_nudge_between_two_misses_still_counts_two():
    events = [user("nlu_fallback"), bot(), user("EXTERNAL_silence_nudge"), bot(), user("nlu_fallback")]
    assert consecutive_fallbacks(tracker(events)) == 2


def test_an_understood_message_resets_the_count():
    events = [user("nlu_fallback"), bot(), user("ask_price"), bot(), user("nlu_fallback")]
    assert consecutive_fallbacks(tracker(events)) == 1


def test_likely_readings_skip_small_talk_and_weak_guesses():
    ranking = [("nlu_fallback", 0.6), ("ask_price", 0.3), ("greet", 0.2), ("ask_shipping", 0.15),
               ("ask_size", 0.1), ("bargain", 0.01)]
    assert likely_readings(tracker([user("nlu_fallback", ranking)])) == ["ask_price", "ask_shipping", "ask_size"]


def test_the_cards_of_the_last_reply_are_what_a_pick_refers_to():
    events = [user("ask_recommendation"), bot(["A", "B"]), user("EXTERNAL_silence_nudge"), bot(),
              user("provide_info")]
    assert last_shown_skus(events) == ["A", "B"]
    assert last_shown_skus(events + [bot(), user("ask_price")]) == []


def test_turns_since_an_intent_and_its_latest_text():
    from bot.conversation.events import latest_text_of, turns_since

    events = [user("complain"), bot(), user("EXTERNAL_silence_nudge"), bot(), user("nlu_fallback")]
    assert turns_since(events, "complain") == 1 and turns_since(events, "ask_price") is None
    assert latest_text_of(events, "complain") == "complain"


def test_a_bare_follow_up_repeats_the_latest_question_within_three_turns() -> None:
    asks = ("ask_price", "ask_stock")
    assert earlier_ask([user("ask_price"), bot(), user("provide_info")], asks) == "ask_price"
    assert earlier_ask([user("ask_price"), user("ask_stock"), user("provide_info")], asks) == "ask_stock"
    assert earlier_ask([user("want_buy"), user("provide_info")], asks) is None          # never a purchase
    old = [user("ask_price"), user("greet"), user("thank"), user("greet"), user("provide_info")]
    assert earlier_ask(old, asks) is None                                                # too long ago
    assert earlier_ask([user("ask_price")], asks) is None                                # only the message itself
