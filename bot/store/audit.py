"""The audit log of settings edits made in the console: who changed which file when, before and after."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Sequence

from sqlalchemy import Column, DateTime, Index, Integer, String, Text, select
from sqlalchemy.orm import Session

from bot.clock import as_utc, utcnow
from bot.db.models import Base


class SettingsEdit(Base):
    """One saved edit of a store file (schema: migration 0010)."""

    __tablename__ = "settings_edits"
    __table_args__ = (Index("ix_settings_edits_file_created", "file", "created_at"),)

    id = Column(Integer, primary_key=True, autoincrement=True)
    file = Column(String(64), nullable=False)
    editor = Column(String(64), nullable=False)
    created_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    before = Column(Text, nullable=False)
    after = Column(Text, nullable=False)
    reverts = Column(Integer, nullable=True)    # the edit this one undid


@dataclass(frozen=True)
class EditView:
    id: int
    file: str
    editor: str
    created_at: datetime
    before: str
    after: str
    reverts: int | None


class AuditRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, file: str, editor: str, before: str, after: str, reverts: int | None = None) -> int:
        row = SettingsEdit(file=file, editor=editor, before=before, after=after, reverts=reverts)
        self.session.add(row)
        self.session.flush()
        return row.id

    def get(self, edit_id: int) -> EditView | None:
        row = self.session.get(SettingsEdit, edit_id)
        return _view(row) if row else None

    def history(self, file: str | None = None, limit: int = 100) -> Sequence[EditView]:
        stmt = select(SettingsEdit).order_by(SettingsEdit.id.desc()).limit(limit)
        if file:
            stmt = stmt.where(SettingsEdit.file == file)
        return [_view(r) for r in self.session.scalars(stmt)]


def _view(row: SettingsEdit) -> EditView:
    return EditView(row.id, row.file, row.editor, as_utc(row.created_at), row.before, row.after, row.reverts)
