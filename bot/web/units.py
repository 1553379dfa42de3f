"""One unit of work per web request, opened by middleware on the app and on every blueprint whose handlers
use it (a blueprint mounted alone keeps its boundary; mounted on the app the first middleware opens it)."""
from __future__ import annotations

from typing import TypeVar

from sanic.request import Request

from bot.db.scope import unit_of_work_scope

Target = TypeVar("Target")


async def open_unit_of_work(request: Request) -> None:
    """The request's one unit of work (no connection is taken until a worker uses it)."""
    if getattr(request.ctx, "unit_of_work", None) is None:
        request.ctx.unit_of_work = unit_of_work_scope()
        request.ctx.unit_of_work.__enter__()


async def close_unit_of_work(request: Request, _response) -> None:
    scope = getattr(request.ctx, "unit_of_work", None)
    if scope is not None:
        request.ctx.unit_of_work = None
        scope.__exit__(None, None, None)


def per_request(target: Target) -> Target:
    """Register the boundary on a Sanic app or blueprint; returns it."""
    target.middleware(open_unit_of_work, "request")      # type: ignore[attr-defined]
    target.middleware(close_unit_of_work, "response")    # type: ignore[attr-defined]
    return target
