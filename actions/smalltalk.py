"""Greetings, thanks, goodbyes and out-of-scope turns: one response per intent, texts from the library."""
from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.browse import show_products
from actions.complaint import continue_complaint
from actions.context import call, names_products
from actions.knowledge import consult
from bot.repurchase.greeting import REFILL, WELCOME_BACK, returning_greeting

SMALLTALK_RESPONSES = {
    "greet": "utter_greet",
    "goodbye": "utter_goodbye",
    "thank": "utter_thank",
    "out_of_scope": "utter_out_of_scope",
}
GREETING_RESPONSES = {REFILL: "utter_greet_returning_refill", WELCOME_BACK: "utter_greet_returning"}


class ActionAnswerSmalltalk(Action):
    def name(self) -> str:
        return "action_answer_smalltalk"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[dict[str, Any]]:
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        if intent == "out_of_scope" and continue_complaint(dispatcher, tracker):
            return []                                          # 那现在怎么办, right after a complaint: the remedy
        if intent == "out_of_scope" and await names_products(tracker):
            return await show_products(dispatcher, tracker)   # a message naming our products is in scope
        if intent == "out_of_scope":
            consulted = await consult(dispatcher, tracker, intent_confident=False)
            if consulted and consulted[0].kind != "decline":
                return consulted[1]                               # a store question the bank knows
        if intent == "greet":
            greeting = await call(returning_greeting, tracker.sender_id)   # a buyer who bought here before
            if greeting is not None:
                dispatcher.utter_message(response=GREETING_RESPONSES[greeting.kind], **greeting.utter_kwargs())
                return [SlotSet("product_sku", greeting.sku)]
        dispatcher.utter_message(response=SMALLTALK_RESPONSES.get(intent or "", "utter_out_of_scope"))
        return []
