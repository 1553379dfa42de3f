"""The conversation browser's filters and outcome names (shared by the browser and its repository)."""
from __future__ import annotations

from dataclasses import dataclass

from bot.metrics.period import Period

OUTCOMES = {"ordered": "已下单", "handed_over": "转人工", "fallback": "兜底回复", "unanswered": "未能回答",
            "bot_only": "机器人独立完成"}


@dataclass(frozen=True)
class Filters:
    period: Period
    intent: str = ""
    outcome: str = ""
    product: str = ""
    agent: str = ""
    words: str = ""

    def __post_init__(self) -> None:
        if self.outcome and self.outcome not in OUTCOMES:
            raise ValueError(f"outcome: one of {', '.join(OUTCOMES)}")
