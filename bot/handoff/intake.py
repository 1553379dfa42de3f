"""Taking a conversation in for a human: queue it when agents are online in service hours, else tell the shopper
honestly when a human answers and let them leave a message while the bot keeps answering."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from bot.handoff.config import HandoffConfig, load_handoff_config
from bot.handoff.queue import current, online_agents
from bot.handoff.service import open_handoff

if TYPE_CHECKING:
    from bot.db.uow import AbstractUnitOfWork


@dataclass(frozen=True)
class Intake:
    kind: str                                   # queued | offline (nobody online) | closed (outside hours)
    values: dict[str, Any] = field(default_factory=dict)

    @property
    def pauses_bot(self) -> bool:
        """Only a queued conversation waits for a human in silence of the bot; a left message does not."""
        return self.kind == "queued"


def hours_text(config: HandoffConfig) -> str:
    closes = config.closes.strftime("%H:%M") if config.closes else "24:00"
    return f"{config.opens.strftime('%H:%M')}-{closes}"


def opening(config: HandoffConfig, now: datetime) -> dict[str, str]:
    """When agents answer again, as a record the script library words with `opens_at_<kind>` (今天09:00 /
    明天09:00 / 12月3日 09:00)."""
    opens = config.next_opening(now).astimezone(ZoneInfo(config.timezone))
    today = now.astimezone(ZoneInfo(config.timezone)).date()
    clock = opens.strftime("%H:%M")
    if opens.date() == today:
        return {"kind": "today", "time": clock}
    if opens.date() == today + timedelta(days=1):
        return {"kind": "tomorrow", "time": clock}
    return {"kind": "date", "month": str(opens.month), "day": str(opens.day), "time": clock}


def take_in(uow: AbstractUnitOfWork, conversation_id: str, reason: str, summary: dict[str, Any], urgent: bool,
            now: datetime | None = None, config: HandoffConfig | None = None) -> Intake:
    """Open (or update) the handoff and say what the shopper should hear."""
    now = now or datetime.now(UTC)
    config = config or load_handoff_config()
    in_hours = config.is_open(now)
    agents = online_agents(uow, config, now) if in_hours else []
    open_handoff(uow, conversation_id, reason, summary, mode="queue" if agents else "message", urgent=urgent)
    if agents:
        item = current(uow, conversation_id)
        return Intake("queued", {"position": str(item.position if item and item.position else 1)})
    if in_hours:
        return Intake("offline", {"service_hours": hours_text(config)})
    return Intake("closed", {"service_hours": hours_text(config), "opens_at": opening(config, now)})
