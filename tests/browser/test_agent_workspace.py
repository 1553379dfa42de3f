"""A shopper and a human agent in two browsers: 转人工 → the queue → claim → the agent's reply arrives in the
widget with the agent's name → the shopper answers → release → the bot answers again; the live rule check on
the agent's draft; an escalation keyword skips the bot; with no agent online the shopper hears it honestly."""
from __future__ import annotations

import re
import time

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from tests.support.security import STAFF_PASSWORD, ensure_staff, rasa_token

pytestmark = [pytest.mark.browser, pytest.mark.e2e]
REPLY_TIMEOUT = 30_000
AGENT = "xiaomei"           # a store persona id in store.yml: shoppers see the name 小美


OPEN: list = []   # browser contexts of the running test, closed after it (an open workspace keeps its agent online)


@pytest.fixture(autouse=True)
def close_pages():
    yield
    while OPEN:
        OPEN.pop().close()


def new_page(browser: Browser) -> Page:
    context = browser.new_context(viewport={"width": 1280, "height": 860}, locale="zh-CN")
    OPEN.append(context)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.errors = errors
    return page


def open_shopper(browser: Browser, stack) -> Page:
    page = new_page(browser)
    page.goto(stack.web + "/")
    page.get_by_role("button", name=re.compile("在线客服")).click()
    expect(page.locator(".sc-status")).to_have_text("在线", timeout=REPLY_TIMEOUT)
    expect(page.locator(".sc-msg.sc-bot").first).to_be_visible(timeout=REPLY_TIMEOUT)   # the greeting
    return page


def type_as_shopper(page: Page, text: str) -> None:
    box = page.get_by_label("输入消息")
    box.fill(text)
    box.press("Enter")


def open_agent(browser: Browser, stack) -> Page:
    ensure_staff(AGENT, "agent")
    page = new_page(browser)
    page.goto(f"{stack.web}/agent")
    page.get_by_label("用户名").fill(AGENT)
    page.get_by_label("密码").fill(STAFF_PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("heading", name="客服工作台")).to_be_visible()
    expect(page.locator("#online")).to_contain_text("在线客服", timeout=10_000)
    return page


def learned(conversation: str) -> list[tuple[str, str]]:
    """What the agents' answers offered the question bank from this chat: (question, agent's reply)."""
    from bot.db.models import UnansweredQuestion
    from bot.db.uow import UnitOfWork

    with UnitOfWork() as uow:
        rows = uow.session.query(UnansweredQuestion).filter_by(conversation_id=conversation, reason="agent").all()
        return [(r.text, r.agent_reply) for r in rows]


def session_of(page: Page) -> str:
    return page.evaluate("window.StoreChatWidget.sessionId()")


def test_handoff_claim_reply_release_and_the_bot_answers_again(browser, stack, shot) -> None:
    agent = open_agent(browser, stack)
    shopper = open_shopper(browser, stack)
    expect(shopper.locator(".sc-ai-label")).to_contain_text("AI")         # who answers first, at all times
    human = shopper.locator(".sc-human")
    expect(human).to_have_text("转人工")
    question = "你们的仓库在哪个城市呀？"                                   # the bot cannot really answer this
    before = shopper.locator(".sc-msg.sc-bot").count()
    type_as_shopper(shopper, question)
    expect(shopper.locator(".sc-msg.sc-bot")).not_to_have_count(before, timeout=REPLY_TIMEOUT)

    human.click()
    expect(shopper.locator(".sc-handoff")).to_contain_text(re.compile(r"排在第\d+位"), timeout=REPLY_TIMEOUT)
    expect(shopper.locator(".sc-msg.sc-bot").last).to_contain_text("第", timeout=REPLY_TIMEOUT)
    shot(shopper, "agent-01-shopper-in-queue")

    conversation = session_of(shopper)
    waiting = agent.locator(f'#waiting li[data-conversation="{conversation}"]')
    expect(waiting).to_contain_text("顾客要求转人工", timeout=10_000)
    expect(waiting.locator(".meta")).to_contain_text("已等待")
    waiting.get_by_role("button", name="接入").click()
    expect(agent.locator(f'#mine li[data-conversation="{conversation}"]')).to_be_visible(timeout=10_000)
    expect(shopper.locator(".sc-msg.sc-bot").last).to_contain_text("小美", timeout=REPLY_TIMEOUT)   # agent joined
    expect(agent.locator("#history li.shopper").last).to_contain_text("转人工")

    # The live check while typing: a flat refusal is flagged with a better wording; reassurance is not.
    draft = agent.get_by_label("回复内容")
    draft.fill("不行，这个做不到")
    expect(agent.locator('#checks .finding[data-rule="flat_refusal"]')).to_be_visible(timeout=5_000)
    expect(agent.locator("#checks .better").first).to_contain_text("更好的说法")
    shot(agent, "agent-02-live-check")
    draft.fill("不用担心哦，我是小美，马上帮您处理")
    expect(agent.locator("#checks .ok")).to_be_visible(timeout=5_000)
    expect(agent.locator("#checks .finding")).to_have_count(0)
    agent.get_by_role("button", name="发送").click()

    reply = shopper.locator(".sc-msg.sc-agent").last
    expect(reply).to_contain_text("马上帮您处理", timeout=REPLY_TIMEOUT)
    expect(reply.locator(".sc-speaker")).to_contain_text("小美")
    expect(shopper.locator(".sc-handoff")).to_contain_text("小美", timeout=10_000)
    shot(shopper, "agent-03-reply-in-widget")
    # the question bank learns (recorded right after the reply goes out: poll, the widget may be faster)
    deadline = time.monotonic() + 10
    while not learned(conversation) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert learned(conversation) == [(question, "不用担心哦，我是小美，马上帮您处理")]

    bot_before = shopper.locator(".sc-msg.sc-bot").count()
    type_as_shopper(shopper, "好的，谢谢你")
    expect(agent.locator("#history li.shopper").last).to_contain_text("好的，谢谢你", timeout=10_000)
    assert shopper.locator(".sc-msg.sc-bot").count() == bot_before             # the bot stays quiet meanwhile

    agent.get_by_role("button", name="结束接待，交回机器人").click()
    expect(shopper.locator(".sc-msg.sc-bot").last).to_contain_text("智能助手", timeout=REPLY_TIMEOUT)
    expect(agent.locator(f'#mine li[data-conversation="{conversation}"]')).to_have_count(0, timeout=10_000)
    released = shopper.locator(".sc-msg.sc-bot").count()
    type_as_shopper(shopper, "发什么快递")
    expect(shopper.locator(".sc-msg.sc-bot")).not_to_have_count(released, timeout=REPLY_TIMEOUT)
    shipping = re.compile("中通|16:00|59元|2-4天")                                # a store shipping fact
    expect(shopper.locator(".sc-msg.sc-bot").last).to_contain_text(shipping, timeout=REPLY_TIMEOUT)
    shot(shopper, "agent-04-bot-again")
    assert shopper.errors == [] and agent.errors == []


def test_an_escalation_keyword_skips_the_bot_and_is_urgent_in_the_queue(browser, stack) -> None:
    agent = open_agent(browser, stack)
    shopper = open_shopper(browser, stack)
    type_as_shopper(shopper, "你们再不处理我就去315投诉")
    expect(shopper.locator(".sc-msg.sc-bot").last).to_contain_text(re.compile("第\\d+位"), timeout=REPLY_TIMEOUT)
    conversation = session_of(shopper)
    first = agent.locator("#waiting li").first
    expect(first).to_have_attribute("data-conversation", conversation, timeout=10_000)    # urgent: at the front
    expect(first.locator(".urgent")).to_have_text("紧急")
    expect(first).to_contain_text("315")
    events = httpx.get(f"{stack.rasa}/conversations/{conversation}/tracker", params=rasa_token()).json()["events"]
    said = next(i for i, e in enumerate(events) if e.get("event") == "user" and "315" in
                ((e.get("metadata") or {}).get("display_text") or ""))
    actions = [e["name"] for e in events[said:] if e.get("event") == "action" and e["name"] != "action_listen"]
    assert actions[0] == "action_hand_over"                                       # no bot attempt first
    httpx.post(f"{stack.web}/api/handoffs/{conversation}/release", json={},
               headers={"Authorization": f"Bearer {agent_token(stack)}"}).raise_for_status()


def agent_token(stack) -> str:
    reply = httpx.post(f"{stack.web}/api/auth/login", json={"username": AGENT, "password": STAFF_PASSWORD})
    return reply.json()["token"]


def test_with_no_agent_online_the_shopper_is_told_honestly_and_may_leave_a_message(browser, stack) -> None:
    agent = open_agent(browser, stack)
    agent.get_by_role("button", name=re.compile("下线")).click()
    expect(agent).to_have_url(re.compile("/login"))
    shopper = open_shopper(browser, stack)
    shopper.locator(".sc-human").click()
    answer = shopper.locator(".sc-msg.sc-bot").last
    expect(answer).to_contain_text("留言", timeout=REPLY_TIMEOUT)
    expect(answer).to_contain_text("服务时间")
    expect(shopper.locator(".sc-handoff")).to_contain_text("留言", timeout=10_000)
    released = shopper.locator(".sc-msg.sc-bot").count()
    type_as_shopper(shopper, "发什么快递")                                      # the bot still answers
    expect(shopper.locator(".sc-msg.sc-bot")).not_to_have_count(released, timeout=REPLY_TIMEOUT)
