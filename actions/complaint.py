"""Complaints keep the floor: a follow-up right after one (那现在怎么处理) gets the remedy, not a new topic."""
from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.complaints import classify_complaint
from bot.conversation.events import latest_text_of, turns_since

COMPLAINT_RESPONSES = {
    "wrong_item": "utter_complaint_wrong_item",
    "quality": "utter_complaint_quality",
    "late": "utter_complaint_late",
    "service": "utter_complaint_service",
    "general": "utter_complaint_general",
}
FOLLOW_UP_TURNS = 2


def continue_complaint(dispatcher: CollectingDispatcher, tracker: Tracker) -> bool:
    """In the turns right after a complaint, answer an unclear follow-up with the remedy for that complaint."""
    since = turns_since(tracker.events, "complain")
    if tracker.get_slot("pending_detail") != "complaint" or since is None or not 0 < since <= FOLLOW_UP_TURNS:
        return False
    kind = classify_complaint(latest_text_of(tracker.events, "complain"))
    dispatcher.utter_message(response=COMPLAINT_RESPONSES[kind])
    return True
