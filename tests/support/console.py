"""Hand-made data for the manager-console tests: ten conversations with known outcomes (see test_metrics)."""
from __future__ import annotations

from datetime import date, timedelta

from bot.db.models import ConversationMetric, Handoff, UnansweredQuestion
from bot.db.uow import UnitOfWork
from bot.metrics.period import Period
from bot.recommendations.tables import SuggestionEvent
from bot.reminders.tables import Reminder
from bot.training.tables import TrainingRun
from tests.support.reminders import T0, make_order

H, M = timedelta(hours=1), timedelta(minutes=1)
PERIOD = Period.of_days(date(2026, 11, 19), date(2026, 11, 20))   # T0 is 2026-11-20 10:00 in Shanghai
CONVERSATIONS = [f"chat-{i}" for i in range(10)]
FIRST_RESPONSE = [0.5, 1, 1.5, 2, 2.5, 3, 4, 6, 8, None]


def add_rows(*rows) -> None:
    with UnitOfWork() as uow:
        uow.session.add_all(rows)
        uow.commit()


def reminder_row(order_id: str, kind: str, state: str, sent=None, due=T0, notice_key: str = "") -> Reminder:
    with UnitOfWork() as uow:
        customer = uow.orders.get(order_id).customer_id
    return Reminder(order_id=order_id, customer_id=customer, kind=kind, state=state, due_at=due, sent_at=sent,
                    payload={}, notice_key=notice_key, created_at=T0 - H)


def seed_console_data() -> None:
    """10 conversations in PERIOD (3 handed over, 2 with a fallback, 3 unanswered, 2 that ordered) and more."""
    add_rows(*(ConversationMetric(conversation_id=c, first_message_at=T0 + i * M, first_response_seconds=s,
                              nudges_sent=0, holding_messages=0)
           for i, (c, s) in enumerate(zip(CONVERSATIONS, FIRST_RESPONSE, strict=True))),
         ConversationMetric(conversation_id="chat-old", first_message_at=T0 - 72 * H, first_response_seconds=9,
                            nudges_sent=0, holding_messages=0),
         ConversationMetric(conversation_id="exam-1", first_message_at=T0, first_response_seconds=1,
                            nudges_sent=0, holding_messages=0))
    add_rows(Handoff(conversation_id="chat-0", reason="complaint", summary={}, created_at=T0),
         Handoff(conversation_id="chat-1", reason="requested", summary={}, created_at=T0, agent="aqiang"),
         Handoff(conversation_id="chat-2", reason="complaint", summary={}, created_at=T0),
         Handoff(conversation_id="chat-2", reason="complaint", summary={}, created_at=T0 + H),
         Handoff(conversation_id="chat-old", reason="fallback", summary={}, created_at=T0 - 72 * H))
    add_rows(*(UnansweredQuestion(conversation_id=c, text="能开发票吗", reason=r, context={}, created_at=T0)
           for c, r in (("chat-3", "fallback"), ("chat-4", "fallback"), ("chat-4", "fallback"),
                        ("chat-5", "low_confidence"))))
    # assisted: chat-6 ordered twice after chatting (paid); chat-7 ordered (unpaid)
    make_order("chat-6", [("TEE-V", 2), ("CASE-20", 1)], created_at=T0 + H, status="paid", paid_at=T0 + 2 * H)
    make_order("chat-6", [("TEE-V", 1)], created_at=T0 + H, status="paid", paid_at=T0 + 2 * H)
    make_order("chat-7", [("TEE-V", 1)], created_at=T0 + H)
    # other: chat-8 ordered before it chatted; an imported buyer never chatted
    make_order("chat-8", [("SOCKS", 3)], created_at=T0 - H, status="paid", paid_at=T0)
    make_order("imported-1", [("TEE-V", 1)], created_at=T0 - H, status="paid", paid_at=T0)
    add_rows(*(SuggestionEvent(conversation_id="chat-0", sku="TEE-V", kind=k, event=e, created_at=T0)
           for k, e, n in (("substitute", "shown", 4), ("substitute", "accepted", 1), ("bundle", "shown", 2),
                           ("bundle", "accepted", 1), ("complementary", "shown", 1)) for _ in range(n)),
         SuggestionEvent(conversation_id="chat-old", sku="TEE-V", kind="latent", event="shown",
                         created_at=T0 - 72 * H))
    # payment reminders: 4 first reminders (2 paid within 24 h), one follow-up; holdout of 3 (1 paid)
    paid_times = [T0 + 2 * H, T0 + 30 * H, None, T0 + 3 * H]
    reminded = [make_order(f"pay-{i}", [("TEE-V", 1)], created_at=T0 - 10 * M,
                           status="paid" if p else "unpaid", paid_at=p) for i, p in enumerate(paid_times)]
    held = [make_order(f"hold-{i}", [("TEE-V", 1)], created_at=T0 - 10 * M, status="paid" if p else "unpaid",
                       paid_at=p) for i, p in enumerate([T0 + 5 * H, None, T0 + 26 * H])]
    add_rows(*(reminder_row(o, "first", "sent", sent=T0) for o in reminded),
         reminder_row(reminded[2], "followup", "sent", sent=T0 + H),
         *(reminder_row(o, "first", "holdout") for o in held))
    add_rows(*(TrainingRun(trainee="t1", scenario_id="price_objection", total=score, pass_mark=80, passed=score >= 80,
                       outcome="bought", scorecard={}, started_at=T0, finished_at=T0)
           for score in (90, 85, 60, 80)))


def make_tracker(path, events: list[tuple[str, str, str | None, str | None, dict]]) -> str:
    """A Rasa SQL tracker store (its `events` table) holding `events` (sender, type, intent, action, data)."""
    import json

    from sqlalchemy import create_engine, text

    url = f"sqlite:///{path}"
    engine = create_engine(url, future=True)
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE events (id INTEGER PRIMARY KEY, sender_id VARCHAR(255), type_name "
                                "VARCHAR(255), timestamp FLOAT, intent_name VARCHAR(255), action_name VARCHAR(255), "
                                "data TEXT)"))
        for stamp, (sender, type_name, intent, action, data) in enumerate(events):
            connection.execute(text("INSERT INTO events (sender_id, type_name, timestamp, intent_name, action_name, "
                                    "data) VALUES (:s, :t, :ts, :i, :a, :d)"),
                               {"s": sender, "t": type_name, "ts": 1_790_000_000 + stamp, "i": intent, "a": action,
                                "d": json.dumps(data, ensure_ascii=False)})
    engine.dispose()
    return url


def _user(sender: str, words: str, intent: str, confidence: float) -> tuple:
    return (sender, "user", intent, None, {"text": words, "parse_data": {
        "intent": {"name": intent, "confidence": confidence}, "entities": []}})


TRACKER_EVENTS = [
    _user("chat-0", "这件V领T恤太贵了，便宜点吧", "bargain", 0.93),
    ("chat-0", "bot", None, None, {"text": "亲，一分钱一分货哦~", "metadata": {
        "utter_action": "utter_bargain", "variant": 1, "guard": [[{"rule": "flat_refusal", "span": "不行"}]]}}),
    _user("chat-0", "我要找人工", "request_human", 0.99),
    ("chat-0", "action", None, "action_hand_over", {}),
    _user("chat-3", "能开发票吗", "nlu_fallback", 0.31),
    ("chat-3", "action", None, "action_default_fallback", {}),
    _user("chat-6", "拉杆箱有货吗", "ask_stock", 0.88),
    ("chat-6", "bot", None, None, {"text": "有货的呢亲", "metadata": {"utter_action": "utter_stock", "variant": 0,
                                                                "agent": "小美"}}),       # the bot's persona
    ("chat-1", "bot", None, None, {"text": "亲，我是阿强，马上帮您看", "metadata": {"human_agent": "阿强"}}),
]
