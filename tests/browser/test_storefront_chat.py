"""A shopper in a real browser: storefront, chat widget, page context, cart, checkout, reminder, history, safety."""
from __future__ import annotations

import contextlib
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest
from playwright.sync_api import Page, expect

from bot.db.uow import run_in_unit_of_work as in_uow
from bot.orders import service as orders
from tests.browser.conftest import INJECTION, PROBE_SKU
from tests.support.security import shopper

pytestmark = [pytest.mark.browser, pytest.mark.e2e]
REPLY_TIMEOUT = 30_000
REMINDER_TIMEOUT = 60_000
LUGGAGE = "LUGGAGE-20-001"


def bot_messages(page: Page):
    return page.locator(".sc-msg.sc-bot")


def open_chat(page: Page) -> None:
    launcher = page.get_by_role("button", name=re.compile("在线客服"))
    if launcher.get_attribute("aria-expanded") != "true":
        launcher.click()
    expect(page.get_by_label("输入消息")).to_be_visible()


def say(page: Page, text: str) -> None:
    """Type a message as the shopper and wait for the bot's answer to it."""
    before = bot_messages(page).count()
    box = page.get_by_label("输入消息")
    box.fill(text)
    box.press("Enter")
    expect(page.locator(".sc-msg.sc-user").last).to_have_text(re.compile(re.escape(text)))
    expect(bot_messages(page)).not_to_have_count(before, timeout=REPLY_TIMEOUT)


def wait_for_greeting(page: Page) -> None:
    expect(page.locator(".sc-status")).to_have_text("在线", timeout=REPLY_TIMEOUT)
    expect(bot_messages(page).first).to_be_visible(timeout=REPLY_TIMEOUT)


def product(stack, sku: str) -> dict:
    return httpx.get(f"{stack.web}/api/products/{sku}").json()


def test_shopper_journey_price_suggestion_cart_checkout_reminder_history(page: Page, stack, shot) -> None:
    luggage = product(stack, LUGGAGE)
    page.goto(f"{stack.web}/products/{LUGGAGE}")
    expect(page.get_by_role("heading", level=1)).to_have_text(luggage["name"])
    open_chat(page)
    wait_for_greeting(page)
    shot(page, "01-product-page-with-chat")

    # Page context: "this" is the product on the page.
    say(page, "这个多少钱")
    answer = bot_messages(page).last
    expect(answer).to_contain_text(luggage["name"])
    expect(answer).to_contain_text(f"{luggage['price']:g}")
    shot(page, "02-price-of-this-product")

    # Suggested product cards; "加入购物车" on a card really adds it to the store's cart.
    say(page, "有什么推荐的吗")
    card = page.locator(".sc-card").first
    expect(card).to_be_visible(timeout=REPLY_TIMEOUT)
    suggested_sku, suggested_name = card.get_attribute("data-sku"), card.locator(".sc-card-name").inner_text()
    shot(page, "03-suggested-cards")
    card.get_by_role("button", name=re.compile("加入购物车")).click()
    expect(page.locator("#cart-count")).to_have_text("1")
    expect(page.locator(".sc-note").last).to_contain_text(suggested_name)
    page.get_by_role("link", name=re.compile("购物车")).click()
    expect(page.locator(f'.cart-line[data-sku="{suggested_sku}"]')).to_contain_text(suggested_name)
    shot(page, "04-card-in-cart")

    # Checkout creates a real unpaid order for this conversation; the reminder reaches the open widget.
    session_id = page.evaluate("window.StoreChatWidget.sessionId()")
    page.get_by_role("button", name="提交订单").click()
    page.wait_for_url(re.compile(r"/orders/[^/]+/pay$"))
    order_id = page.url.split("/")[-2]
    expect(page.locator("#order-status")).to_have_text(re.compile("等待付款"))
    order = httpx.get(f"{stack.web}/api/orders/{order_id}").json()
    assert order["status"] == "unpaid" and "customer_id" not in order  # the public JSON names no chat
    assert in_uow(orders.get_order, order_id).customer_id == session_id  # the buyer is the widget's own session
    assert [item["sku"] for item in order["items"]] == [suggested_sku]
    reminder = bot_messages(page).filter(has_text=suggested_name).filter(has_text="付款")
    expect(reminder.last).to_be_visible(timeout=REMINDER_TIMEOUT)
    shot(page, "05-payment-reminder-in-open-widget")

    # A reload keeps the conversation: same session id, the whole history shown.
    page.reload()
    assert page.evaluate("window.StoreChatWidget.sessionId()") == session_id
    expect(page.locator(".sc-msg.sc-user").filter(has_text="这个多少钱")).to_have_count(1)
    expect(bot_messages(page).filter(has_text=luggage["name"]).first).to_be_visible()
    expect(bot_messages(page).filter(has_text=suggested_name).filter(has_text="付款").last).to_be_visible()
    shot(page, "06-history-after-reload")

    # The pay step.
    page.get_by_role("button", name=re.compile("确认付款")).click()
    expect(page.locator("#order-status")).to_have_text(re.compile("支付成功"))
    assert httpx.get(f"{stack.web}/api/orders/{order_id}").json()["status"] == "paid"
    assert page.errors == []


def test_a_rasa_restart_keeps_the_conversation_in_the_open_widget(page: Page, stack, shot) -> None:
    page.goto(f"{stack.web}/products/{LUGGAGE}")
    open_chat(page)
    wait_for_greeting(page)
    say(page, "你好")
    session_id = page.evaluate("window.StoreChatWidget.sessionId()")
    stack.restart_rasa()
    expect(page.locator(".sc-status")).to_have_text("在线", timeout=REPLY_TIMEOUT)
    assert page.evaluate("window.StoreChatWidget.sessionId()") == session_id
    expect(page.locator(".sc-msg.sc-user").filter(has_text="你好")).to_have_count(1)
    say(page, "这个多少钱")
    expect(bot_messages(page).last).to_contain_text(product(stack, LUGGAGE)["name"])
    shot(page, "09-after-rasa-restart")


def test_injection_in_shopper_text_and_product_name_renders_as_text(page: Page, stack, shot) -> None:
    page.goto(f"{stack.web}/products/{PROBE_SKU}")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"测试商品{INJECTION}")
    open_chat(page)
    wait_for_greeting(page)
    say(page, INJECTION)
    expect(page.locator(".sc-msg.sc-user").last).to_have_text(re.compile(re.escape(INJECTION)))
    say(page, "这个多少钱")
    expect(bot_messages(page).last).to_contain_text(INJECTION)
    page.goto(f"{stack.web}/")
    probe_tile = page.locator(".tile-name").filter(has_text=INJECTION)
    expect(probe_tile).to_have_count(1)
    probe_tile.scroll_into_view_if_needed()
    open_chat(page)
    shot(page, "07-injection-rendered-as-text")
    assert page.locator('img[src="x"]').count() == 0  # CSS locators pierce the widget's shadow root
    assert page.evaluate("window.__pwned") is None
    assert page.errors == []


def test_pages_send_a_csp_without_inline_scripts(stack) -> None:
    for path in ("/", f"/products/{LUGGAGE}", "/cart"):
        reply = httpx.get(stack.web + path)
        csp = reply.headers["content-security-policy"]
        assert reply.status_code == 200 and "script-src 'self'" in csp and "unsafe-inline" not in csp
        assert "<script>" not in reply.text
    assert httpx.get(f"{stack.web}/products/NOPE").status_code == 404
    assert httpx.get(f"{stack.web}/api/chat/bad id!/history").status_code == 401
    _, token = shopper(stack.web)
    assert httpx.get(f"{stack.web}/api/chat/bad id!/history", params={"token": token}).status_code == 400


def test_keyboard_only_at_phone_width_with_a_length_limit(browser, stack, shot) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = context.new_page()
    try:
        page.goto(f"{stack.web}/")
        expect(page.locator(".tile").first).to_be_visible()
        launcher = page.get_by_role("button", name=re.compile("在线客服"))
        launcher.focus()
        page.keyboard.press("Enter")
        box = page.get_by_label("输入消息")
        expect(box).to_be_focused()
        wait_for_greeting(page)
        box.type("亲" * 600)
        assert len(box.input_value()) == 500
        box.fill("你好")
        page.keyboard.press("Enter")
        expect(page.locator(".sc-msg.sc-user").last).to_have_text(re.compile("你好"))
        shot(page, "08-phone-width-chat")
        page.keyboard.press("Escape")
        expect(box).to_be_hidden()
        expect(launcher).to_be_focused()
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"page scrolls sideways at phone width ({width}px)"
    finally:
        context.close()


@contextlib.contextmanager
def other_site(html: str, port: int = 0):
    """Another shop's page on its own origin (a second local HTTP server)."""
    class Page(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = html.encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", port), Page)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://localhost:{server.server_address[1]}/"
    finally:
        server.shutdown()


def test_one_script_tag_embeds_the_widget_on_another_site(browser, stack) -> None:
    html = ("<!doctype html><html lang='zh-CN'><head><meta charset='utf-8'><title>别家店铺</title></head>"
            f"<body><h1>别家店铺</h1><script src='{stack.web}/static/widget.js' data-server='{stack.rasa}'"
            " data-store-id='other' data-open='true'></script></body></html>")
    context = browser.new_context()
    page = context.new_page()
    try:
        with other_site(html, stack.partner_port) as url:  # an origin the store lists in CORS_ORIGINS
            page.goto(url)
            wait_for_greeting(page)
            say(page, "你好")
            expect(bot_messages(page).last).to_be_visible()
    finally:
        context.close()
