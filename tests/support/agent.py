"""The trained Rasa agent, loaded once per test session and driven from synchronous tests."""
from __future__ import annotations

import asyncio
import os
import threading
import uuid
from dataclasses import dataclass
from typing import Any

from rasa.core.agent import Agent, load_agent
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.utils import AvailableEndpoints
from rasa.utils.endpoints import EndpointConfig

from bot.ops.train import model_path
from channels.asks import handle_asks


@dataclass
class AgentRunner:
    agent: Agent
    loop: asyncio.AbstractEventLoop
    thread: threading.Thread

    @classmethod
    def load(cls, nlg_url: str, action_url: str) -> AgentRunner:
        loop = asyncio.new_event_loop()
        thread = threading.Thread(target=loop.run_forever, daemon=True, name="rasa-agent")
        thread.start()
        endpoints = AvailableEndpoints(action=EndpointConfig(url=action_url),
                                       nlg=EndpointConfig(url=nlg_url, token=os.environ["RASA_AUTH_TOKEN"]))

        if not model_path().exists():
            raise RuntimeError(f"no trained model at {model_path()}: run `make train` first")

        async def _load() -> Agent:
            return await load_agent(model_path=str(model_path()), endpoints=endpoints)

        agent = asyncio.run_coroutine_threadsafe(_load(), loop).result(timeout=300)
        return cls(agent, loop, thread)

    def run(self, coroutine) -> Any:
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout=60)

    def say(self, sender: str, text: str, metadata: dict | None = None) -> list[dict[str, Any]]:
        """Send one shopper message; return the bot messages (text, buttons, custom)."""
        output = CollectingOutputChannel()
        message = UserMessage(text, output, sender, metadata=metadata)
        self.run(handle_asks(message, self.agent.handle_message, self.agent.parse_message))
        return output.messages

    def texts(self, sender: str, text: str, metadata: dict | None = None) -> list[str]:
        return [m.get("text") or "" for m in self.say(sender, text, metadata)]

    def parse(self, text: str) -> dict[str, Any]:
        return self.run(self.agent.parse_message(text))

    def tracker(self, sender: str):
        return self.run(self.agent.processor.get_tracker(sender))

    def close(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=5)


def new_sender(prefix: str = "shopper") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}"
