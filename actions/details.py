"""The details a shopper asks about one product: colours, material, care, or what makes it good."""
from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.catalog.answers import asked_attribute, info_topic, product_values
from bot.catalog.index import attribute_cues
from bot.catalog.products import ProductView

INFO_RESPONSES = {
    "colors": "utter_product_colors",
    "material": "utter_product_material",
    "washing": "utter_product_washing",
    "fit": "utter_product_fit",
    "general": "utter_product_info",
}


def answer_details(dispatcher: CollectingDispatcher, tracker: Tracker, product: ProductView) -> None:
    text = tracker.latest_message.get("text") or ""
    topic = info_topic(text, product)
    key = asked_attribute(text, product, attribute_cues()) if topic in ("general", "fit") else None
    if key:                                       # 敏感肌能用吗: the detail asked, not the whole description
        attribute = {"kind": key, "value": str(product.attributes[key])}
        dispatcher.utter_message(response="utter_product_attribute", attribute=attribute, **product_values(product))
        return
    dispatcher.utter_message(response=INFO_RESPONSES[topic], **product_values(product))
