"""Unit of work: the repositories of one database session, committed explicitly.

Use cases take a unit of work as their first argument and call `uow.commit()` when they write; they never
open one. The boundary opens exactly one: per action-server turn (actions/context.py), per web request
(bot/web/app.py), per scheduler job, per CLI command (`run_in_unit_of_work`).
"""
from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any, Callable, TypeVar

from sqlalchemy.orm import Session, sessionmaker

from bot.db.engine import get_session_factory
from bot.db.repositories import (
    CustomerRepository,
    HandoffRepository,
    MetricRepository,
    OrderRepository,
    PaymentRepository,
    ProductRepository,
    RelationRepository,
    SalesRepository,
    UnansweredRepository,
)
from bot.handoff.repository import AgentReplyRepository, HandoffQueueRepository
from bot.imports.repository import ImportRepository
from bot.metrics.repository import OverviewRepository
from bot.recommendations.repository import (
    CoPurchaseRepository,
    SuggestionEventRepository,
    SuggestionReportRepository,
)
from bot.reminders.repository import DeliveryRepository, OptoutRepository, ReminderRepository
from bot.repurchase.history import PurchaseHistoryRepository
from bot.security.repository import StaffRepository
from bot.store.audit import AuditRepository
from bot.training.repository import ChatSourceRepository, PracticeRunRepository, TrainingRepository
from bot.transcripts.repository import TranscriptRepository

T = TypeVar("T")


class AbstractUnitOfWork(ABC):
    """The repositories a use case reaches, `commit()`, `rollback()`; leaving the block rolls back."""

    products: ProductRepository
    relations: RelationRepository
    customers: CustomerRepository
    orders: OrderRepository
    payments: PaymentRepository
    sales: SalesRepository
    handoffs: HandoffRepository
    queue: HandoffQueueRepository
    agent_replies: AgentReplyRepository
    metrics: MetricRepository
    overview: OverviewRepository
    unanswered: UnansweredRepository
    suggestions: SuggestionEventRepository
    co_purchases: CoPurchaseRepository
    suggestion_report: SuggestionReportRepository
    reminders: ReminderRepository
    optouts: OptoutRepository
    deliveries: DeliveryRepository
    purchases: PurchaseHistoryRepository
    settings_edits: AuditRepository
    staff: StaffRepository
    training: TrainingRepository
    chats: ChatSourceRepository
    practice: PracticeRunRepository
    transcripts: TranscriptRepository
    imports: ImportRepository

    def __enter__(self) -> AbstractUnitOfWork:
        return self

    def __exit__(self, *exc: object) -> None:
        self.rollback()

    @abstractmethod
    def commit(self) -> None: ...

    @abstractmethod
    def rollback(self) -> None:
        """Drop what was not committed; the next read sees the database afresh."""


class UnitOfWork(AbstractUnitOfWork):
    """The SQLAlchemy unit of work: `with UnitOfWork() as uow: ...; uow.commit()`."""

    def __init__(self, session_factory: sessionmaker | None = None) -> None:
        self._factory = session_factory or get_session_factory()
        self.session: Session

    def __enter__(self) -> UnitOfWork:
        self.session = session = self._factory()
        self.products = ProductRepository(session)
        self.relations = RelationRepository(session)
        self.customers = CustomerRepository(session)
        self.orders = OrderRepository(session)
        self.payments = PaymentRepository(session)
        self.sales = SalesRepository(session)
        self.handoffs = HandoffRepository(session)
        self.queue = HandoffQueueRepository(session)
        self.agent_replies = AgentReplyRepository(session)
        self.metrics = MetricRepository(session)
        self.overview = OverviewRepository(session)
        self.unanswered = UnansweredRepository(session)
        self.suggestions = SuggestionEventRepository(session)
        self.co_purchases = CoPurchaseRepository(session)
        self.suggestion_report = SuggestionReportRepository(session)
        self.reminders = ReminderRepository(session)
        self.optouts = OptoutRepository(session)
        self.deliveries = DeliveryRepository(session)
        self.purchases = PurchaseHistoryRepository(session)
        self.settings_edits = AuditRepository(session)
        self.staff = StaffRepository(session)
        self.training = TrainingRepository(session)
        self.chats = ChatSourceRepository(session)
        self.practice = PracticeRunRepository(session)
        self.transcripts = TranscriptRepository(session)
        self.imports = ImportRepository(session)
        return self

    def __exit__(self, *exc: object) -> None:
        self.session.rollback()
        self.session.close()

    def commit(self) -> None:
        self.session.commit()

    def rollback(self) -> None:
        self.session.rollback()


def run_in_unit_of_work(fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """The boundary of a CLI command or script: one unit of work around one use case."""
    with UnitOfWork() as uow:
        return fn(uow, *args, **kwargs)
