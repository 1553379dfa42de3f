"""Queries of the live handoff queue and agent presence. Every state change is one conditional UPDATE."""
from __future__ import annotations

from datetime import datetime
from typing import Iterable, Sequence

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bot.db.models import Handoff
from bot.handoff.tables import AgentPresence, AgentReply

OPEN = ("waiting", "claimed")


class AgentReplyRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, row: AgentReply) -> int:
        self.session.add(row)
        self.session.flush()
        return int(row.id)

    def since(self, moment: datetime) -> Sequence[AgentReply]:
        return self.session.scalars(select(AgentReply).where(AgentReply.created_at >= moment)
                                    .order_by(AgentReply.created_at)).all()


class HandoffQueueRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def _update(self, *where, **values) -> int:
        stmt = update(Handoff).where(*where).values(**values).execution_options(synchronize_session=False)
        return int(self.session.execute(stmt).rowcount or 0)

    def open_rows(self) -> Sequence[Handoff]:
        return self.session.scalars(select(Handoff).where(Handoff.status.in_(OPEN))).all()

    def claim(self, conversation_id: str, username: str, now: datetime) -> int:
        return self._update(Handoff.conversation_id == conversation_id, Handoff.status == "waiting",
                            status="claimed", agent=username, claimed_at=now)

    def claimed_agent(self, conversation_id: str) -> str | None:
        return self.session.scalars(select(Handoff.agent).where(Handoff.conversation_id == conversation_id,
                                                                Handoff.status == "claimed")).first()

    def release(self, conversation_id: str, now: datetime) -> int:
        return self._update(Handoff.conversation_id == conversation_id, Handoff.status.in_(OPEN),
                            status="released", released_at=now)

    def mark_urgent(self, conversation_id: str) -> int:
        return self._update(Handoff.conversation_id == conversation_id, Handoff.status.in_(OPEN), urgent=True)

    def claimed_by_any(self, usernames: Iterable[str]) -> Sequence[Handoff]:
        return self.session.scalars(select(Handoff).where(Handoff.status == "claimed",
                                                          Handoff.agent.in_(list(usernames)))).all()

    def requeue(self, handoff_id: int) -> bool:
        """claimed -> waiting, the agent cleared; True for the one winner."""
        return self._update(Handoff.id == handoff_id, Handoff.status == "claimed",
                            status="waiting", agent=None, claimed_at=None) == 1

    def claim_holders(self) -> set[str | None]:
        return set(self.session.scalars(select(Handoff.agent).where(Handoff.status == "claimed")).all())

    def waiting_not_overdue(self) -> Sequence[Handoff]:
        return self.session.scalars(select(Handoff).where(Handoff.status == "waiting", Handoff.overdue_at.is_(None),
                                                          Handoff.mode == "queue")).all()

    def mark_overdue(self, handoff_id: int, now: datetime) -> bool:
        return self._update(Handoff.id == handoff_id, Handoff.overdue_at.is_(None), overdue_at=now) == 1

    # presence ----------------------------------------------------------------------------------------------
    def presence(self, username: str) -> AgentPresence | None:
        return self.session.get(AgentPresence, username)

    def add_presence(self, row: AgentPresence) -> None:
        self.session.add(row)

    def remove_presence(self, row: AgentPresence) -> None:
        self.session.delete(row)

    def all_presence(self) -> Sequence[AgentPresence]:
        return self.session.scalars(select(AgentPresence)).all()
