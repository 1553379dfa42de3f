"""The web app process: store API, NLG with hot reload, library status page."""
from __future__ import annotations

import os
import time
from pathlib import Path

import httpx
import yaml

from tests.support.security import bearer, notify_payment, rasa_token, shopper, staff_headers


def nlg(web_app, response: str, sender: str = "s1", events: list | None = None, **arguments) -> dict:
    body = {"response": response, "arguments": arguments, "channel": {"name": "rest"},
            "tracker": {"sender_id": sender, "slots": {}, "events": events or [], "latest_message": {}}}
    reply = httpx.post(f"{web_app.url}/nlg", json=body, params=rasa_token(), timeout=10)
    assert reply.status_code == 200
    return reply.json()


def test_products_api_lists_the_demo_catalog(web_app) -> None:
    products = httpx.get(f"{web_app.url}/api/products").json()
    assert len(products) >= 40
    assert {"sku", "name", "price", "stock"} <= products[0].keys()
    assert any(p["stock"] == 0 for p in products)


def test_order_is_created_unpaid_for_the_session_and_paid_by_a_signed_notification(web_app) -> None:
    session_id, token = shopper(web_app.url)
    created = httpx.post(f"{web_app.url}/api/orders", headers=bearer(token), json={
        "customer_id": "someone-else", "items": [{"sku": "PAPER-ROLL-27", "qty": 2}]})
    assert created.status_code == 400  # the buyer comes from the session, never from the body
    created = httpx.post(f"{web_app.url}/api/orders", headers=bearer(token),
                         json={"items": [{"sku": "PAPER-ROLL-27", "qty": 2}]})
    assert created.status_code == 201
    order = created.json()
    assert order["status"] == "unpaid" and order["total"] == 79.8 and "customer_id" not in order
    assert len(order["order_id"]) == 16
    assert notify_payment(web_app.url, order["order_id"], 79.8).status_code == 200
    paid = httpx.get(f"{web_app.url}/api/orders/{order['order_id']}").json()
    assert paid["status"] == "paid" and paid["paid_at"] and "customer_id" not in paid


def test_bad_orders_are_rejected_with_a_reason(web_app) -> None:
    _, token = shopper(web_app.url)
    for body in ({"items": [{"sku": "NOPE", "qty": 1}]},
                 {"items": [{"sku": "LUGGAGE-24-001", "qty": 1}]},
                 {"items": [{"sku": "PAPER-ROLL-27", "qty": 0}]},
                 {"items": "abc"}, {"items": []}, [], "x"):
        reply = httpx.post(f"{web_app.url}/api/orders", json=body, headers=bearer(token))
        assert reply.status_code == 400 and reply.json()["error"], body
    assert httpx.post(f"{web_app.url}/api/orders", json={"items": [{"sku": "PAPER-ROLL-27"}]}).status_code == 401
    big = httpx.post(f"{web_app.url}/api/orders", content=b"{" + b" " * 20_000 + b"}", headers=bearer(token))
    assert big.status_code == 413 and big.json()["error"]
    huge = httpx.post(f"{web_app.url}/api/orders", content=b"x" * 3_000_000, headers=bearer(token))
    assert huge.status_code == 413


def test_nlg_rotates_variants_and_never_repeats_in_a_conversation(web_app) -> None:
    events, seen = [], []
    for _ in range(3):
        text = nlg(web_app, "utter_greet", "rotation", events)["text"]
        assert text and text not in seen
        seen.append(text)
        events.append({"event": "bot", "text": text})


def _touch(path: Path) -> None:
    stamp = time.time() + 2
    os.utime(path, (stamp, stamp))


def test_library_edits_are_served_without_restart_and_bad_edits_are_rejected(web_app, scripts_dir: Path) -> None:
    path = scripts_dir / "smalltalk.yml"
    original = path.read_text(encoding="utf-8")
    try:
        document = yaml.safe_load(original)
        edited = ["亲,下次见哦~ 祝您生活愉快呀 🌸", "亲,欢迎常来逛逛呀~ 😊", "好的亲,期待下次为您服务呢 💕"]
        document["responses"]["utter_goodbye"]["variants"] = [{"text": text} for text in edited]
        path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
        _touch(path)
        deadline = time.monotonic() + 10  # generous for a loaded CI machine; the library checks every 0.25 s
        while nlg(web_app, "utter_goodbye", "reload")["text"] not in edited:
            assert time.monotonic() < deadline, "edit not served"
            time.sleep(0.1)
        path.write_text(path.read_text(encoding="utf-8") + "\n  broken: [\n", encoding="utf-8")
        _touch(path)
        time.sleep(0.5)
        assert nlg(web_app, "utter_goodbye", "reload2")["text"] in edited
        manager = staff_headers(web_app.url, "manager")
        status = httpx.get(f"{web_app.url}/api/library/status", headers=manager).json()
        assert status["errors"] and "smalltalk.yml:" in status["errors"][0]
        page = httpx.get(f"{web_app.url}/manager/library", headers=manager).text
        assert "smalltalk.yml" in page and "still serving" in page and "话术库状态" in page
    finally:
        path.write_text(original, encoding="utf-8")
        _touch(path)


def test_an_emptied_script_file_is_rejected_and_the_bot_still_answers(web_app, scripts_dir: Path) -> None:
    path = scripts_dir / "smalltalk.yml"
    original = path.read_text(encoding="utf-8")
    try:
        path.write_text("", encoding="utf-8")
        _touch(path)
        deadline = time.monotonic() + 10
        manager = staff_headers(web_app.url, "manager")
        while not any("file is empty" in e for e in
                      httpx.get(f"{web_app.url}/api/library/status", headers=manager).json()["errors"]):
            assert time.monotonic() < deadline, "the emptied file was not reported"
            time.sleep(0.1)
        assert nlg(web_app, "utter_greet", "emptied")["text"]  # the last good library keeps serving
        assert nlg(web_app, "utter_no_such_response", "emptied")["text"]  # a missing response: the guard fallback
    finally:
        path.write_text(original, encoding="utf-8")
        _touch(path)
