"""Helpers for conversation tests through the in-process agent."""
from __future__ import annotations

from typing import Any

import pytest

from tests.support.agent import AgentRunner, new_sender


class Chat:
    """One shopper's conversation: say things, read replies and the responses the bot chose."""

    def __init__(self, agent: AgentRunner, page_sku: str | None = None) -> None:
        self.agent, self.sender, self.page_sku = agent, new_sender(), page_sku

    def say(self, text: str, **metadata: Any) -> list[dict[str, Any]]:
        meta = {"product_sku": self.page_sku, **metadata} if self.page_sku else metadata
        return self.agent.say(self.sender, text, meta or None)

    def text(self, text: str, **metadata: Any) -> str:
        return "\n".join(m.get("text") or "" for m in self.say(text, **metadata))

    def bot_events(self) -> list[dict[str, Any]]:
        return [e.as_dict() for e in self.agent.tracker(self.sender).events if e.as_dict().get("event") == "bot"]

    def responses(self) -> list[str]:
        return [(e.get("metadata") or {}).get("utter_action", "") for e in self.bot_events()]

    def bot_texts(self) -> list[str]:
        return [e.get("text") or "" for e in self.bot_events()]


@pytest.fixture()
def chat(agent: AgentRunner):
    def start(page_sku: str | None = None) -> Chat:
        return Chat(agent, page_sku)

    return start
