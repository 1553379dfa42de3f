"""Repeat-purchase reminders (追销) pushed by the scheduler (EXTERNAL_repurchase_reminder), and the shopper's
不用提醒了 (stop_reminders), which stops every kind of reminder for good."""
from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.context import call
from actions.reminders import ACTIVE_SLOT, reminder_to_send
from bot.reminders.service import opt_out
from bot.repurchase.message import repurchase_message


class ActionSendRepurchaseReminder(Action):
    def name(self) -> str:
        return "action_send_repurchase_reminder"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[dict[str, Any]]:
        reminder_id = reminder_to_send(tracker, "repurchase reminder")
        if reminder_id is None:
            return []
        message = await call(repurchase_message, reminder_id, tracker.sender_id)
        if message is None:  # sold out or not this shopper's: say nothing
            return []
        dispatcher.utter_message(response="utter_repurchase_reminder", **message.utter_kwargs())
        return [SlotSet("product_sku", message.product_sku)]


class ActionStopReminders(Action):
    def name(self) -> str:
        return "action_stop_reminders"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[dict[str, Any]]:
        await call(opt_out, tracker.sender_id)
        dispatcher.utter_message(response="utter_reminders_stopped")
        return [SlotSet(ACTIVE_SLOT, False)]
