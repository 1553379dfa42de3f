"""追销 through the trained agent, the action server and the NLG: 不用提醒了 stops every reminder, and a buyer
who bought here is greeted by what they bought (and only they)."""
from __future__ import annotations

from datetime import timedelta

import pytest

from bot.clock import utcnow
from bot.orders.service import create_order
from bot.reminders import service as reminders
from bot.rules.negatives import find_flat_refusals
from tests.support.repurchase import bought

pytestmark = pytest.mark.agent
STOP = ["不用提醒了", "以后别再提醒我了", "别给我发提醒了"]


@pytest.mark.parametrize("text", STOP)
def test_stop_reminders_is_its_own_intent(agent, text: str) -> None:
    assert agent.parse(text)["intent"]["name"] == "stop_reminders"


def test_no_thanks_is_not_an_opt_out(agent) -> None:
    assert agent.parse("不用了谢谢")["intent"]["name"] != "stop_reminders"


def test_saying_no_more_reminders_opts_out_for_good(chat) -> None:
    c = chat()
    reply = c.text("不用提醒了")
    assert c.responses()[-1] == "utter_reminders_stopped" and "提醒" in reply
    assert not find_flat_refusals(reply)
    assert reminders.is_opted_out(c.sender)


def test_a_returning_buyer_is_greeted_by_what_they_bought_here(chat) -> None:
    c = chat()
    bought(c.sender, "DOG-FOOD-10KG", utcnow() - timedelta(days=32), agent_id="xiaomei")
    messages = c.say("/greet")
    assert c.responses()[-1] == "utter_greet_returning_refill"
    text = "\n".join(m.get("text") or "" for m in messages)
    assert "成犬狗粮10kg" in text and "宝贝吃得习惯吗" in text
    cards = [card for m in messages for card in ((m.get("custom") or {}).get("cards") or [])]
    assert [card["sku"] for card in cards] == ["DOG-FOOD-10KG"]


def test_a_new_shopper_or_an_unpaid_order_gets_the_usual_greeting(chat) -> None:
    c = chat()
    create_order(c.sender, [{"sku": "RICE-5KG", "qty": 1}])          # ordered, never paid: not bought here
    c.say("/greet")
    assert c.responses()[-1] == "utter_greet"


def test_no_returning_greeting_after_opting_out(chat) -> None:
    c = chat()
    bought(c.sender, "DOG-FOOD-10KG", utcnow() - timedelta(days=32))
    c.say("不用提醒了")
    c.say("/greet")
    assert c.responses()[-1] == "utter_greet"
