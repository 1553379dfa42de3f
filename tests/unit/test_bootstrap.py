"""The composition root decides what every boundary of the process opens: swap the unit of work, and turns,
requests and jobs all use the swapped one."""
from __future__ import annotations

import asyncio

from bot.bootstrap import bootstrap
from bot.catalog.products import list_products
from bot.db.scope import in_worker, unit_of_work_scope, use_units_of_work
from bot.scripts.live import LiveLibrary
from bot.settings import get_settings
from tests.support.fake_uow import FakeUnitOfWork, product


def test_every_boundary_opens_the_unit_of_work_the_bootstrap_was_given() -> None:
    opened: list[FakeUnitOfWork] = []

    def make() -> FakeUnitOfWork:
        opened.append(FakeUnitOfWork(products=[product("TEE-1", name="圆领T恤")]))
        return opened[-1]

    library = LiveLibrary(get_settings().scripts_dir)
    services = bootstrap(unit_of_work=make, library=library)
    try:
        async def a_turn() -> list[str]:
            with unit_of_work_scope():                     # what the turn, request and job boundaries do
                first = await in_worker(list_products)
                again = await in_worker(list_products)
                return [p.name for p in first + again]

        assert asyncio.run(a_turn()) == ["圆领T恤", "圆领T恤"] and len(opened) == 1   # one per boundary
        assert services.library is library and services.store().name
    finally:
        use_units_of_work(None)
