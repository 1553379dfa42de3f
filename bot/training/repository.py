"""The training repositories on the unit of work: stored scorecards (`training`), sources of draft scenarios
(`chats`) and practice runs in progress (`practice`)."""
from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Sequence

from sqlalchemy import Integer, cast, delete, func, select, update
from sqlalchemy.orm import Session

from bot.clock import as_utc
from bot.db.models import Handoff, Order
from bot.training.tables import PracticeRun, TrainingFinding, TrainingRun

if TYPE_CHECKING:
    from bot.training.scorecard import Scorecard


class TrainingRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, card: Scorecard) -> TrainingRun:
        server = card.timing["server"]
        run = TrainingRun(
            trainee=card.trainee, scenario_id=card.scenario_id, started_at=card.started_at,
            finished_at=card.finished_at, total=card.total, pass_mark=card.pass_mark, passed=card.passed,
            outcome=card.outcome, first_reply_seconds=server["first"], mean_reply_seconds=server["mean"],
            scorecard=card.as_json(),
        )
        self.session.add(run)
        self.session.flush()
        self.session.add_all(TrainingFinding(run_id=run.id, code=f.code, turn=f.turn, reply_index=f.reply)
                             for f in card.findings)
        return run

    def get(self, run_id: int) -> TrainingRun | None:
        return self.session.get(TrainingRun, run_id)

    def runs(self, trainee: str | None = None, scenario_id: str | None = None, limit: int = 200
             ) -> Sequence[TrainingRun]:
        stmt = select(TrainingRun).order_by(TrainingRun.finished_at.desc(), TrainingRun.id.desc()).limit(limit)
        if trainee:
            stmt = stmt.where(TrainingRun.trainee == trainee)
        if scenario_id:
            stmt = stmt.where(TrainingRun.scenario_id == scenario_id)
        return self.session.scalars(stmt).all()

    def progress(self) -> Sequence[tuple[str, datetime, str, int, bool]]:
        """(trainee, finished_at, scenario, total, passed) in time order."""
        stmt = (select(TrainingRun.trainee, TrainingRun.finished_at, TrainingRun.scenario_id, TrainingRun.total,
                       TrainingRun.passed)
                .order_by(TrainingRun.trainee, TrainingRun.finished_at, TrainingRun.id))
        return self.session.execute(stmt).all()

    def violation_counts(self, limit: int = 10) -> Sequence[tuple[str, int, int]]:
        """(finding code, findings, trainees with it), most frequent first."""
        count = func.count(TrainingFinding.id)
        stmt = (select(TrainingFinding.code, count, func.count(func.distinct(TrainingRun.trainee)))
                .join(TrainingRun, TrainingRun.id == TrainingFinding.run_id)
                .group_by(TrainingFinding.code).order_by(count.desc(), TrainingFinding.code).limit(limit))
        return self.session.execute(stmt).all()

    def scenario_difficulty(self) -> Sequence[tuple[str, int, float, float]]:
        """(scenario, runs, average total, pass rate), hardest (lowest average) first."""
        average = func.avg(TrainingRun.total)
        stmt = (select(TrainingRun.scenario_id, func.count(TrainingRun.id), average,
                       func.avg(cast(TrainingRun.passed, Integer)))
                .group_by(TrainingRun.scenario_id).order_by(average, TrainingRun.scenario_id))
        return [(s, int(n), float(a), float(p)) for s, n, a, p in self.session.execute(stmt)]


class ChatSourceRepository:
    """Real conversations worth practising: handoffs and unpaid orders (read-only)."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def handoffs(self, limit: int) -> Sequence[Handoff]:
        return self.session.scalars(select(Handoff).order_by(Handoff.created_at.desc()).limit(limit)).all()

    def unpaid_orders(self, limit: int) -> list[tuple[str, str, list[str]]]:
        """(customer id, order id, SKUs) of unpaid orders, newest first."""
        orders = self.session.scalars(select(Order).where(Order.status == "unpaid")
                                      .order_by(Order.created_at.desc()).limit(limit)).all()
        return [(o.customer_id, o.id, [line.sku for line in o.lines]) for o in orders]


class PracticeRunRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, run: PracticeRun) -> None:
        self.session.add(run)

    def get(self, run_id: str, since: datetime) -> PracticeRun | None:
        run = self.session.get(PracticeRun, run_id)
        return run if run is not None and as_utc(run.touched_at) >= since else None

    def open_counts(self, trainee: str, since: datetime) -> tuple[int, int]:
        """(open runs in all, open runs of this trainee) touched since `since`."""
        recent = select(PracticeRun.trainee).where(PracticeRun.touched_at >= since).subquery()
        total = self.session.scalar(select(func.count()).select_from(recent)) or 0
        own = self.session.scalar(select(func.count()).select_from(recent).where(recent.c.trainee == trainee)) or 0
        return total, own

    def store_reply(self, run_id: str, replies_before: int, replies: list, readings: list[float],
                    now: datetime) -> bool:
        """Store the run's new state unless another reply was stored since it was read."""
        stmt = (update(PracticeRun).where(PracticeRun.id == run_id, PracticeRun.reply_count == replies_before)
                .values(replies=replies, reply_count=len(replies), readings=readings, touched_at=now)
                .execution_options(synchronize_session=False))
        return self.session.execute(stmt).rowcount == 1

    def delete(self, run_id: str) -> bool:
        return self.session.execute(delete(PracticeRun).where(PracticeRun.id == run_id)).rowcount == 1

    def expire(self, before: datetime) -> int:
        return self.session.execute(delete(PracticeRun).where(PracticeRun.touched_at < before)).rowcount
