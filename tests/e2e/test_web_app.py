"""The web app process: store API, NLG with hot reload, library status page."""
from __future__ import annotations

import os
import time
from pathlib import Path

import httpx
import yaml


def nlg(web_app, response: str, sender: str = "s1", events: list | None = None, **arguments) -> dict:
    body = {"response": response, "arguments": arguments, "channel": {"name": "rest"},
            "tracker": {"sender_id": sender, "slots": {}, "events": events or [], "latest_message": {}}}
    reply = httpx.post(f"{web_app.url}/nlg", json=body, timeout=10)
    assert reply.status_code == 200
    return reply.json()


def test_products_api_lists_the_demo_catalog(web_app) -> None:
    products = httpx.get(f"{web_app.url}/api/products").json()
    assert len(products) >= 40
    assert {"sku", "name", "price", "stock"} <= products[0].keys()
    assert any(p["stock"] == 0 for p in products)


def test_order_is_created_unpaid_and_can_be_paid(web_app) -> None:
    created = httpx.post(f"{web_app.url}/api/orders", json={
        "customer_id": "api-shopper", "items": [{"sku": "PAPER-ROLL-27", "qty": 2}]})
    assert created.status_code == 201
    order = created.json()
    assert order["status"] == "unpaid" and order["total"] == 79.8
    paid = httpx.post(f"{web_app.url}/api/orders/{order['order_id']}/pay").json()
    assert paid["status"] == "paid" and paid["paid_at"]


def test_bad_orders_are_rejected_with_a_reason(web_app) -> None:
    for body in ({"customer_id": "x", "items": [{"sku": "NOPE", "qty": 1}]},
                 {"customer_id": "x", "items": [{"sku": "LUGGAGE-24-001", "qty": 1}]},
                 {"customer_id": "x", "items": [{"sku": "PAPER-ROLL-27", "qty": 0}]},
                 {"items": []}):
        reply = httpx.post(f"{web_app.url}/api/orders", json=body)
        assert reply.status_code == 400 and reply.json()["error"]
    assert httpx.post(f"{web_app.url}/api/orders/0000/pay").status_code == 404


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
        status = httpx.get(f"{web_app.url}/api/library/status").json()
        assert status["errors"] and "smalltalk.yml:" in status["errors"][0]
        page = httpx.get(f"{web_app.url}/manager/library").text
        assert "smalltalk.yml" in page and "still serving" in page
    finally:
        path.write_text(original, encoding="utf-8")
        _touch(path)
