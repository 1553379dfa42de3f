"""Never pushy: one volunteered suggestion per few turns, none near complaints, refunds or a handoff."""
from __future__ import annotations

from bot.recommendations.pacing import MIN_GAP, Turn, in_blocking_situation, may_volunteer, turns_since_suggestion


def test_a_fresh_conversation_may_get_one_volunteered_suggestion():
    assert may_volunteer([Turn("greet"), Turn("want_buy")])


def test_at_most_one_volunteered_suggestion_per_few_turns():
    turns = [Turn("want_buy", suggested=True)]
    allowed = []
    for intent in ["affirm", "ask_price", "hesitate", "want_buy"]:
        turns.append(Turn(intent))
        allowed.append(may_volunteer(turns))
    assert allowed == [False, False, True, True]
    assert turns_since_suggestion(turns) == MIN_GAP + 1


def test_an_answered_request_for_suggestions_also_resets_the_gap():
    turns = [Turn("greet"), Turn("ask_recommendation", suggested=True), Turn("want_buy")]
    assert not may_volunteer(turns)


def test_no_suggestion_during_a_complaint_a_refund_a_cancellation_or_a_handoff_request():
    for intent in ["complain", "return_refund", "cancel_order", "request_human"]:
        turns = [Turn(intent), Turn("affirm"), Turn("want_buy")]
        assert in_blocking_situation(turns), intent
        assert not may_volunteer(turns), intent
    calm_again = [Turn("complain"), Turn("thank"), Turn("greet"), Turn("ask_price"), Turn("want_buy")]
    assert may_volunteer(calm_again)


def test_never_while_a_human_has_taken_over():
    assert not may_volunteer([Turn("want_buy")], handed_over=True)


def test_the_gap_is_configurable():
    turns = [Turn("want_buy", suggested=True), Turn("hesitate")]
    assert not may_volunteer(turns)
    assert may_volunteer(turns, min_gap=1)
