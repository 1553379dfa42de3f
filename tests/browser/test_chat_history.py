"""Fast checks (no browser) of what the widget is given to redraw a conversation and what the channel accepts."""
from __future__ import annotations

from bot.web.storefront import history_from_events, mark_unread
from channels.socketio import MAX_FIELD_CHARS, clean_metadata

CARDS = {"type": "product_cards", "cards": [{"sku": "BAG-BACKPACK-001", "name": "双肩包", "price": 129.0}]}


def test_history_shows_what_the_shopper_saw_and_hides_machinery() -> None:
    events = [
        {"event": "action", "name": "action_session_start"},
        {"event": "user", "text": "/greet", "metadata": {"hidden": True}, "timestamp": 1},
        {"event": "bot", "text": "亲，欢迎光临~", "data": {"buttons": [{"title": "看看热卖", "payload": "/ask_recommendation"}]},
         "timestamp": 2},
        {"event": "user", "text": "/ask_recommendation", "metadata": {"display_text": "看看热卖"}, "timestamp": 3},
        {"event": "bot", "text": "给您挑了这款哦", "timestamp": 4},
        {"event": "bot", "data": {"custom": CARDS}, "timestamp": 5},
        {"event": "user", "text": "EXTERNAL: EXTERNAL_payment_reminder", "metadata": {"is_external": True},
         "parse_data": {"intent": {"name": "EXTERNAL_payment_reminder"}}, "timestamp": 6},
        {"event": "bot", "text": "亲，订单还在等您付款呢", "timestamp": 7},
        {"event": "slot", "name": "product_sku", "value": "BAG-BACKPACK-001"},
    ]
    history = history_from_events(events)
    assert [(m["role"], m["text"]) for m in history] == [
        ("bot", "亲，欢迎光临~"), ("user", "看看热卖"), ("bot", "给您挑了这款哦"), ("bot", ""),
        ("bot", "亲，订单还在等您付款呢")]
    assert history[0]["buttons"] == [{"title": "看看热卖", "payload": "/ask_recommendation"}]
    assert history[3]["custom"] == CARDS


def test_channel_keeps_only_the_page_context_the_actions_read() -> None:
    cleaned = clean_metadata({
        "product_sku": " LUGGAGE-20-001 ", "cart": [{"sku": "BAG-BACKPACK-001", "qty": 2}, {"sku": 5}, "x"],
        "display_text": "看" * 500, "hidden": "yes", "is_external": True, "anything": {"big": "x" * 10_000},
    })
    assert cleaned == {"product_sku": "LUGGAGE-20-001", "cart": [{"sku": "BAG-BACKPACK-001", "qty": 2}],
                       "display_text": "看" * MAX_FIELD_CHARS}
    assert clean_metadata("not a dict") == {} and clean_metadata(None) == {}


def test_pushed_messages_are_unread_until_seen_and_ids_stay_on_the_server() -> None:
    pushed = {"event": "user", "text": "EXTERNAL: EXTERNAL_repurchase_reminder", "metadata": {"is_external": True},
              "parse_data": {"intent": {"name": "EXTERNAL_repurchase_reminder"},
                             "entities": [{"entity": "reminder_id", "value": "41"}]}, "timestamp": 1}
    events = [pushed, {"event": "bot", "text": "亲，狗粮快吃完啦", "timestamp": 2},
              {"event": "bot", "data": {"custom": CARDS}, "timestamp": 3},
              {"event": "user", "text": "好的", "timestamp": 4}, {"event": "bot", "text": "好嘞", "timestamp": 5}]
    history = history_from_events(events)
    assert [m.get("reminder_id") for m in history] == [41, 41, None, None]
    marked = mark_unread(history, unseen={41})
    assert [m.get("unread", False) for m in marked] == [True, True, False, False]
    assert all("reminder_id" not in m for m in marked)
    assert not any(m.get("unread") for m in mark_unread(history_from_events(events), unseen=set()))
