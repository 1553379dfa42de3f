"""Queries of the staff accounts."""
from __future__ import annotations

from typing import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.security.tables import StaffUser


class StaffRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, username: str) -> StaffUser | None:
        return self.session.get(StaffUser, username)

    def add(self, user: StaffUser) -> None:
        self.session.add(user)

    def by_name(self) -> Sequence[StaffUser]:
        return self.session.scalars(select(StaffUser).order_by(StaffUser.username)).all()
