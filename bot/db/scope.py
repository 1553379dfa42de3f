"""The one unit of work of a turn, request or job, and running use cases in it off the event loop.

    with unit_of_work_scope():                       # the boundary: an action run, a web request, a job
        found = await in_worker(resolve_mention, text)   # resolve_mention(uow, text) in a worker thread

Each step ends in its worker thread by rolling back what it did not commit, so no connection stays checked
out while the turn awaits, and opening and closing the scope on the event loop does no database I/O.
"""
from __future__ import annotations

import asyncio
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, Callable, Iterator, TypeVar

from bot.db.uow import AbstractUnitOfWork, UnitOfWork

T = TypeVar("T")

_current: ContextVar[AbstractUnitOfWork | None] = ContextVar("unit_of_work", default=None)
# The process's factory (bot/bootstrap.py sets it); None: the SQLAlchemy unit of work on DATABASE_URL.
_make: list[Callable[[], AbstractUnitOfWork] | None] = [None]


def use_units_of_work(make: Callable[[], AbstractUnitOfWork] | None) -> None:
    """The factory every boundary of this process opens its unit of work with (called by the bootstrap)."""
    _make[0] = make


@contextmanager
def unit_of_work_scope(make: Callable[[], AbstractUnitOfWork] | None = None) -> Iterator[AbstractUnitOfWork]:
    """Open the boundary's unit of work (a SQLAlchemy one unless `make` says otherwise); inside one already
    open (an action run by another) share it."""
    current = _current.get()
    if current is not None:
        yield current
        return
    with (make or _make[0] or UnitOfWork)() as uow:
        token = _current.set(uow)
        try:
            yield uow
        finally:
            _current.reset(token)


def current_unit_of_work() -> AbstractUnitOfWork:
    uow = _current.get()
    if uow is None:
        raise RuntimeError("no unit of work is open: run this inside a turn, request or job scope")
    return uow


def run_step(uow: AbstractUnitOfWork, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """`fn(uow, ...)`, then roll back whatever it left uncommitted (its reads end with it)."""
    try:
        return fn(uow, *args, **kwargs)
    finally:
        uow.rollback()


async def in_worker(fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Run the blocking use case `fn(uow, *args)` in a worker thread with the scope's unit of work."""
    return await asyncio.to_thread(run_step, current_unit_of_work(), fn, *args, **kwargs)
