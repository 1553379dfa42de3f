"""Tables of stored scorecards (schema: migration 0005)."""
from __future__ import annotations

from sqlalchemy import JSON, Boolean, Column, DateTime, Float, ForeignKey, Index, Integer, String

from bot.clock import utcnow
from bot.db.models import Base


class TrainingRun(Base):
    """One finished practice run of one trainee on one scenario, with its whole scorecard."""

    __tablename__ = "training_runs"
    __table_args__ = (Index("ix_training_runs_trainee_finished", "trainee", "finished_at"),)

    id = Column(Integer, primary_key=True, autoincrement=True)
    trainee = Column(String(64), nullable=False)
    scenario_id = Column(String(64), nullable=False, index=True)
    started_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    finished_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    total = Column(Integer, nullable=False)
    pass_mark = Column(Integer, nullable=False)
    passed = Column(Boolean, nullable=False)
    outcome = Column(String(16), nullable=False)
    first_reply_seconds = Column(Float, nullable=True)
    mean_reply_seconds = Column(Float, nullable=True)
    scorecard = Column(JSON, nullable=False, default=dict)


class TrainingFinding(Base):
    """One finding of a run, kept as a row so the manager view can count violations across the team."""

    __tablename__ = "training_findings"

    id = Column(Integer, primary_key=True, autoincrement=True)
    run_id = Column(Integer, ForeignKey("training_runs.id", ondelete="CASCADE"), nullable=False, index=True)
    code = Column(String(32), nullable=False, index=True)
    turn = Column(String(64), nullable=False, default="")
    reply_index = Column(Integer, nullable=False, default=0)


class PracticeRun(Base):
    """A practice run still in progress (schema: migration 0012). Any web process can serve its next reply: the
    run is rebuilt by replaying the stored replies against the recorded clock readings."""

    __tablename__ = "practice_runs"
    __table_args__ = (Index("ix_practice_runs_trainee_touched", "trainee", "touched_at"),)

    id = Column(String(32), primary_key=True)
    trainee = Column(String(64), nullable=False)
    scenario_id = Column(String(64), nullable=False)
    started_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    touched_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    reply_count = Column(Integer, nullable=False, default=0)  # compare-and-set guard for concurrent replies
    replies = Column(JSON, nullable=False, default=list)      # [{"text": ..., "client_seconds": ...}]
    readings = Column(JSON, nullable=False, default=list)     # the simulation's clock readings, in order
