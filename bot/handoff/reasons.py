"""Why a conversation went to a human, in the words the staff pages show (one table for every page)."""
from __future__ import annotations

REASON_LABELS = {"requested": "顾客要求转人工", "not_understood": "机器人两次没听懂",
                 "escalation": "紧急：投诉/维权关键词", "complaint": "投诉", "fallback": "机器人没听懂"}


def reason_label(reason: str) -> str:
    """The Chinese name of a handoff reason; an unknown code shows as it is."""
    return REASON_LABELS.get(reason, reason)
