"""The manager console in Chromium: log in, the overview with its charts, filtering conversations and reading
a transcript, and an import whose bad rows the preview lists while nothing is written."""
from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from bot.db.models import ConversationMetric, Handoff, Product
from bot.db.uow import UnitOfWork
from bot.db.uow import run_in_unit_of_work as in_uow
from bot.transcripts.tracker import TrackerStore
from tests.support.console import make_tracker

pytestmark = [pytest.mark.browser, pytest.mark.e2e]
WORDS = "浏览器测试专用的问题"
CHATS = ["console-b-1", "console-b-2", "console-b-3"]


@pytest.fixture(scope="module")
def console_data(web_app, tmp_root):
    """Three conversations of today (the first handed over) and their turns in the web app's tracker store."""
    now = datetime.now(UTC) - timedelta(minutes=5)
    with UnitOfWork() as uow:
        if uow.session.get(ConversationMetric, CHATS[0]) is None:
            uow.session.add_all([ConversationMetric(conversation_id=c, first_message_at=now, nudges_sent=0,
                                                    first_response_seconds=1.5 + i, holding_messages=0)
                                 for i, c in enumerate(CHATS)])
            uow.session.add(Handoff(conversation_id=CHATS[0], reason="complaint", summary={}, created_at=now))
            uow.commit()
    tracker = tmp_root / "web-tracker.db"
    if not TrackerStore(f"sqlite:///{tracker}").intent_names():
        make_tracker(tracker, [
            (CHATS[0], "user", "complain", None, {"text": f"{WORDS}，发错货了", "parse_data": {
                "intent": {"name": "complain", "confidence": 0.93}, "entities": []}}),
            (CHATS[0], "bot", None, None, {"text": "真的很抱歉给您添麻烦了", "metadata": {
                "utter_action": "utter_complaint_wrong_item", "variant": 1,
                "guard": [[{"rule": "flat_refusal", "span": "不行"}]]}}),
            (CHATS[1], "user", "greet", None, {"text": f"{WORDS}，你好", "parse_data": {
                "intent": {"name": "greet", "confidence": 0.99}}}),
        ])
    return web_app


@pytest.fixture
def manager(browser, console_data):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{console_data.url}/manager")
    assert "/login" in page.url                         # the console needs a staff login
    page.fill("input[name=username]", os.environ["STORE_ADMIN_USER"])
    page.fill("input[name=password]", os.environ["STORE_ADMIN_PASSWORD"])
    page.click("button[type=submit]")
    page.wait_for_url("**/manager")
    page.errors = errors
    yield page
    context.close()


def test_overview_shows_the_figures_and_charts_of_the_period(manager, shot):
    from zoneinfo import ZoneInfo

    from bot.metrics.overview import build_overview
    from bot.metrics.period import Period
    from bot.store.config import load_store

    nav = manager.locator("nav").inner_text()
    for entry in ("概览", "会话记录", "客服工作台", "质检", "问答库", "催付与通知", "追销", "培训成绩", "店铺设置", "员工账号"):
        assert entry in nav
    assert manager.locator("figure svg").count() >= 2
    shot(manager, "console-overview")

    zone = load_store().timezone     # the page's default period: the last 30 days of the store's calendar
    expected = in_uow(build_overview, Period.parse(None, None, zone, datetime.now(ZoneInfo(zone)).date())).figures
    card = manager.locator("[data-figure=conversations] .value").inner_text()
    assert int(card) == expected["conversations"] >= 3
    assert manager.locator("#table-handoff_reasons").inner_text().count("complaint") == 1
    csv = manager.request.get(f"{manager.url}/overview.csv?table=daily")
    assert csv.status == 200 and "conversations" in csv.text()
    assert manager.errors == []


def test_conversations_filter_and_transcript(manager, shot):
    manager.click("text=会话记录")
    manager.fill("input[name=q]", WORDS)
    manager.click("button:has-text('筛选')")
    assert manager.locator("#total").inner_text() == "2"
    manager.select_option("select[name=outcome]", "handed_over")
    manager.click("button:has-text('筛选')")
    assert manager.locator("#total").inner_text() == "1"
    manager.click(f"a:has-text('{CHATS[0]}')")
    body = manager.locator("main").inner_text()
    assert "complain" in body and "0.93" in body and "utter_complaint_wrong_item" in body and "变体 #1" in body
    assert "回复守卫替换了一个变体：flat_refusal（不行）" in body
    assert "起草培训场景" in body and "起草问答" in body
    shot(manager, "console-transcript")
    assert manager.errors == []


def test_an_import_preview_lists_bad_rows_and_writes_nothing(manager, tmp_path, shot):
    with UnitOfWork() as uow:
        before = uow.session.scalar(select(func.count()).select_from(Product))
    upload = tmp_path / "products.csv"
    upload.write_text("sku,name,category,price,floor_price\nNEW-OK-1,新商品,杯子,30,20\nNEW-BAD-1,坏价格,杯子,abc,\n"
                      "NEW-BAD-2,低价,杯子,10,20\n", encoding="utf-8")
    manager.click("text=商品与订单导入")
    form = manager.locator("form[data-kind=products]")
    form.locator("input[type=file]").set_input_files(str(upload))
    form.locator("button[value=preview]").click()
    report = form.locator(".report")
    report.locator("table.rejected").wait_for()
    text = report.inner_text()
    assert "预览（尚未写入）" in text and "拒绝 2 行" in text
    assert "price 不是数字" in text and "最低价 20 高于售价 10" in text
    shot(manager, "console-import-preview")
    with UnitOfWork() as uow:
        assert uow.session.scalar(select(func.count()).select_from(Product)) == before
        assert uow.products.get("NEW-OK-1") is None
    assert manager.errors == []
