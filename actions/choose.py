"""A short choice between the products a shopper's words fit (二选一), as one message with cards."""
from __future__ import annotations

from rasa_sdk.executor import CollectingDispatcher

from bot.catalog.choices import choice_values
from bot.catalog.mentions import Resolution


def offer_choice(dispatcher: CollectingDispatcher, found: Resolution, response: str = "utter_choose_product") -> None:
    """Names and prices, in stock first, as product cards and quick replies; the pick is `provide_info`."""
    values, custom, buttons = choice_values(found)
    if "budget" in values:
        response = "utter_choose_over_budget"     # 10块以内的T恤: none that cheap, never "有的亲"
    dispatcher.utter_message(response=response, **values, product_cards=custom, extra_buttons=buttons)
