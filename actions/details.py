"""The details a shopper asks about one product: colours, material, care, or what makes it good."""
from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.catalog.answers import info_topic, product_values
from bot.catalog.products import ProductView

INFO_RESPONSES = {
    "colors": "utter_product_colors",
    "material": "utter_product_material",
    "washing": "utter_product_washing",
    "fit": "utter_product_fit",
    "general": "utter_product_info",
}


def answer_details(dispatcher: CollectingDispatcher, tracker: Tracker, product: ProductView) -> None:
    topic = info_topic(tracker.latest_message.get("text") or "", product)
    dispatcher.utter_message(response=INFO_RESPONSES[topic], **product_values(product))
