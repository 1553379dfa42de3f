"""The live queue of the agent workspace: claim, release, presence, and the sweep that keeps nobody waiting
unseen. Every state change is a conditional UPDATE in the database, so any number of web apps share one queue."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from bot.db.models import Handoff
from bot.handoff.config import HandoffConfig
from bot.handoff.reasons import reason_label
from bot.handoff.tables import AgentPresence

if TYPE_CHECKING:
    from bot.db.uow import AbstractUnitOfWork


def _aware(moment: datetime | None) -> datetime | None:
    return moment.replace(tzinfo=UTC) if moment is not None and moment.tzinfo is None else moment


def _now(now: datetime | None) -> datetime:
    return now or datetime.now(UTC)


@dataclass(frozen=True)
class QueueItem:
    id: int
    conversation_id: str
    status: str
    reason: str
    mode: str
    urgent: bool
    agent: str | None
    summary: dict[str, Any]
    created_at: datetime
    claimed_at: datetime | None
    overdue: bool
    waiting_seconds: float
    position: int | None

    def as_json(self) -> dict[str, Any]:
        return {"id": self.id, "conversation_id": self.conversation_id, "status": self.status, "reason": self.reason,
                "reason_label": reason_label(self.reason),
                "mode": self.mode, "urgent": self.urgent, "agent": self.agent, "summary": self.summary,
                "created_at": self.created_at.isoformat(), "overdue": self.overdue,
                "claimed_at": self.claimed_at.isoformat() if self.claimed_at else None,
                "waiting_seconds": round(self.waiting_seconds, 1), "position": self.position}


def _order(row: Handoff) -> tuple[bool, datetime]:
    """Urgent first, then the longest wait."""
    return (not row.urgent, _aware(row.created_at) or datetime.now(UTC))


def queue(uow: AbstractUnitOfWork, now: datetime | None = None) -> list[QueueItem]:
    """Waiting conversations (urgent first, then longest wait) followed by claimed ones."""
    now = _now(now)
    rows = uow.queue.open_rows()
    waiting = sorted((r for r in rows if r.status == "waiting"), key=_order)
    claimed = sorted((r for r in rows if r.status == "claimed"), key=_order)
    items = []
    for position, row in enumerate(waiting + claimed, 1):
        created = _aware(row.created_at) or now
        end = (_aware(row.claimed_at) if row.status == "claimed" else None) or now
        items.append(QueueItem(
            row.id, row.conversation_id, row.status, row.reason, row.mode, bool(row.urgent), row.agent,
            dict(row.summary or {}), created, _aware(row.claimed_at), row.overdue_at is not None,
            max(0.0, (end - created).total_seconds()), position if row.status == "waiting" else None))
    return items


def current(uow: AbstractUnitOfWork, conversation_id: str) -> QueueItem | None:
    """The conversation's open handoff with its place in the queue, if it has one."""
    return next((item for item in queue(uow) if item.conversation_id == conversation_id), None)


def claim(uow: AbstractUnitOfWork, conversation_id: str, username: str, now: datetime | None = None) -> str:
    """'claimed' (just now), 'already' (by this agent), 'taken' (by another agent) or 'none' (nothing open)."""
    done = uow.queue.claim(conversation_id, username, _now(now))
    uow.commit()
    if done:
        return "claimed"
    holder = uow.queue.claimed_agent(conversation_id)
    if holder is None:
        return "none"
    return "already" if holder == username else "taken"


def claimed_by(uow: AbstractUnitOfWork, conversation_id: str) -> str | None:
    return uow.queue.claimed_agent(conversation_id)


def release(uow: AbstractUnitOfWork, conversation_id: str, now: datetime | None = None) -> int:
    """Close the conversation's open handoffs: the bot answers again."""
    done = uow.queue.release(conversation_id, _now(now))
    uow.commit()
    return done


def touch(uow: AbstractUnitOfWork, username: str, name: str, now: datetime | None = None) -> None:
    """The agent's workspace is alive."""
    row = uow.queue.presence(username)
    if row is None:
        uow.queue.add_presence(AgentPresence(username=username, name=name, last_seen=_now(now)))
    else:
        row.last_seen, row.name = _now(now), name
    uow.commit()


def _requeue(uow: AbstractUnitOfWork, usernames: list[str]) -> list[str]:
    if not usernames:
        return []
    return [row.conversation_id for row in uow.queue.claimed_by_any(usernames) if uow.queue.requeue(row.id)]


def go_offline(uow: AbstractUnitOfWork, username: str) -> list[str]:
    """The agent signs off: their conversations go back to the queue (returns their ids)."""
    row = uow.queue.presence(username)
    if row is not None:
        uow.queue.remove_presence(row)
    moved = _requeue(uow, [username])
    uow.commit()
    return moved


def online_agents(uow: AbstractUnitOfWork, config: HandoffConfig, now: datetime | None = None) -> list[str]:
    since = _now(now) - timedelta(seconds=config.agent_offline_seconds)
    return sorted(r.username for r in uow.queue.all_presence() if (_aware(r.last_seen) or since) >= since)


@dataclass(frozen=True)
class Sweep:
    requeued: tuple[str, ...] = ()     # conversations whose agent went offline
    overdue: tuple[str, ...] = ()      # waited past the claim timeout: tell the shopper again, flag for the manager


def sweep(uow: AbstractUnitOfWork, config: HandoffConfig, now: datetime | None = None) -> Sweep:
    """One pass of the watchdog; safe to run in every web app at once (each change is claimed by one)."""
    now = _now(now)
    since = now - timedelta(seconds=config.agent_offline_seconds)
    deadline = now - timedelta(seconds=config.claim_timeout_seconds)
    presence = {r.username: _aware(r.last_seen) for r in uow.queue.all_presence()}
    holders = uow.queue.claim_holders()
    gone = [u for u in holders if u and (presence.get(u) or since - timedelta(seconds=1)) < since]
    requeued = _requeue(uow, gone)
    overdue = [row.conversation_id for row in uow.queue.waiting_not_overdue()
               if (_aware(row.created_at) or now) <= deadline and uow.queue.mark_overdue(row.id, now)]
    uow.commit()
    return Sweep(tuple(requeued), tuple(overdue))


def mark_urgent(uow: AbstractUnitOfWork, conversation_id: str) -> int:
    """An escalation keyword in a chat already waiting for or with a human: it moves to the front."""
    done = uow.queue.mark_urgent(conversation_id)
    uow.commit()
    return done
