"""A repurchase reminder (追销) reaches a shopper who is not online: it waits in the chat history, shown as
unread on their next visit, and counts as seen only once they open the widget."""
from __future__ import annotations

import re
import time
from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect

from bot.clock import utcnow
from bot.db.uow import UnitOfWork
from bot.reminders import service as reminders
from bot.reminders.tables import Reminder
from tests.browser.test_storefront_chat import REPLY_TIMEOUT, bot_messages, open_chat, wait_for_greeting
from tests.support.repurchase import bought

pytestmark = [pytest.mark.browser, pytest.mark.e2e]
DOG_FOOD = "DOG-FOOD-10KG"          # 35 days a bag in the demo catalog


def wait_for(predicate, timeout: float = 90.0, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = predicate()
        if found:
            return found
        time.sleep(0.5)
    raise AssertionError(f"timed out waiting for {what}")


def repurchase_row(session_id: str, state: str):
    return next((r for r in reminders.list_reminders(session_id) if r.kind == "repurchase" and r.state == state),
                None)


def seen_at(reminder_id: int):
    with UnitOfWork() as uow:
        return uow.session.get(Reminder, reminder_id).seen_at


def test_a_reminder_sent_while_away_waits_as_unread_until_the_widget_is_opened(page: Page, stack, shot) -> None:
    page.goto(stack.web)
    open_chat(page)
    wait_for_greeting(page)
    session_id = page.evaluate("window.StoreChatWidget.sessionId()")
    page.get_by_role("button", name="关闭客服窗口").click()
    page.goto("about:blank")                                  # the shopper leaves the store

    # A bag of dog food bought here 35 days ago has just run out (the stack reminds at the run-out).
    bought(session_id, DOG_FOOD, utcnow() - timedelta(days=35, minutes=2), agent_id="xiaomei")
    sent = wait_for(lambda: repurchase_row(session_id, "sent"), what="the repurchase reminder to be sent")
    assert seen_at(sent.id) is None

    page.goto(stack.web)                                      # back on another day, the widget closed
    badge = page.locator(".sc-badge")
    expect(badge).to_have_text("1", timeout=REPLY_TIMEOUT)
    expect(page.locator(".sc-preview")).to_contain_text("成犬狗粮10kg")
    expect(page.locator("#sc-panel")).to_be_hidden()
    time.sleep(1)
    assert seen_at(sent.id) is None                           # shown on the launcher only: not seen yet
    shot(page, "repurchase-01-unread-badge")

    open_chat(page)
    waiting = bot_messages(page).filter(has_text="成犬狗粮10kg").filter(has_text="小美")
    expect(waiting.last).to_be_visible()
    expect(waiting.last).to_have_class(re.compile("sc-unread"))
    expect(page.locator(f'.sc-card[data-sku="{DOG_FOOD}"]').last).to_be_visible()
    expect(badge).to_be_hidden()
    wait_for(lambda: seen_at(sent.id), timeout=10, what="the reminder to count as seen")
    shot(page, "repurchase-02-opened")

    page.get_by_role("button", name="关闭客服窗口").click()
    page.reload()                                             # seen now: nothing new on the next visit
    expect(bot_messages(page).filter(has_text="成犬狗粮10kg").last).to_be_attached(timeout=REPLY_TIMEOUT)
    expect(badge).to_be_hidden()
    assert page.errors == []
