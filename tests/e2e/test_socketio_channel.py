"""The socket.io channel's timing rules: holding message on slow turns, first-response time, silence nudges."""
from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
import yaml
from rasa.core.channels.channel import UserMessage

import channels.socketio as channel_module
from bot.db.uow import UnitOfWork
from channels.socketio import StoreSocketIOInput

pytestmark = [pytest.mark.e2e, pytest.mark.asyncio]


class RecordingServer:
    """Stands in for python-socketio's server: records what would be emitted to the browser."""

    def __init__(self) -> None:
        self.emitted: list[tuple[str, Any, str]] = []

    async def emit(self, event: str, data: Any, room: str | None = None, **_: Any) -> None:
        self.emitted.append((event, data, room))


def make_channel(web_app, slow_turn: float = 0.2, nudge: float = 0.3) -> tuple[StoreSocketIOInput, RecordingServer]:
    channel = StoreSocketIOInput(session_persistence=True)
    server = RecordingServer()
    channel.sio, channel.nlg_url = server, f"{web_app.url}/nlg"
    channel.slow_turn_seconds, channel.nudge_seconds = slow_turn, nudge
    return channel, server


def replying(text: str, delay: float):
    async def on_new_message(message: UserMessage) -> None:
        await asyncio.sleep(delay)
        await message.output_channel.send_text_message(message.sender_id, text)
    return on_new_message


def holding_texts(scripts_dir: Path) -> set[str]:
    document = yaml.safe_load((scripts_dir / "smalltalk.yml").read_text(encoding="utf-8"))
    return {v["text"].strip() for v in document["responses"]["utter_holding"]["variants"]}


async def test_a_slow_turn_gets_a_holding_message_first_and_the_answer_after(web_app, scripts_dir) -> None:
    channel, server = make_channel(web_app)
    await channel._handle(UserMessage("这个多少钱", sender_id="slow-1"), replying("亲，59元哦~", delay=0.8))
    texts = [data.get("text") for _, data, _ in server.emitted]
    assert len(texts) == 2 and texts[1] == "亲，59元哦~"
    assert texts[0] in holding_texts(scripts_dir)
    with UnitOfWork() as uow:
        metric = uow.metrics.get_or_create("slow-1")
        assert metric.holding_messages == 1 and metric.first_response_seconds < 0.8


async def test_a_fast_turn_gets_no_holding_message(web_app) -> None:
    channel, server = make_channel(web_app)
    await channel._handle(UserMessage("在吗", sender_id="fast-1"), replying("亲，在的呢~", delay=0))
    assert [data.get("text") for _, data, _ in server.emitted] == ["亲，在的呢~"]


async def test_silence_after_a_question_brings_one_nudge_and_typing_postpones_it(web_app, monkeypatch) -> None:
    nudged: list[tuple[str, str]] = []

    async def record_trigger(conversation_id: str, intent: str, *args: Any, **kwargs: Any) -> dict:
        nudged.append((conversation_id, intent))
        return {}

    monkeypatch.setattr(channel_module, "trigger_intent", record_trigger)
    channel, _ = make_channel(web_app, nudge=0.4)
    await channel._handle(UserMessage("有L码吗", sender_id="quiet-1"), replying("亲，您平时穿什么码呢？", delay=0))
    await asyncio.sleep(0.25)
    channel._schedule_nudge("quiet-1")  # what a `user_typing` event does: the silence starts again
    await asyncio.sleep(0.25)
    assert nudged == []
    await asyncio.sleep(0.4)
    assert nudged == [("quiet-1", "EXTERNAL_silence_nudge")]


async def test_no_nudge_after_a_statement_or_once_the_shopper_writes_again(web_app, monkeypatch) -> None:
    nudged: list[str] = []

    async def record_trigger(conversation_id: str, intent: str, *args: Any, **kwargs: Any) -> dict:
        nudged.append(conversation_id)
        return {}

    monkeypatch.setattr(channel_module, "trigger_intent", record_trigger)
    channel, _ = make_channel(web_app, nudge=0.3)
    await channel._handle(UserMessage("好的", sender_id="done-1"), replying("已经为您备注好啦~", delay=0))
    await channel._handle(UserMessage("有XL吗", sender_id="back-1"), replying("亲，您身高多少呀？", delay=0))
    await channel._handle(UserMessage("175", sender_id="back-1"), replying("推荐XL码哦~", delay=0))
    await asyncio.sleep(0.5)
    assert nudged == []
