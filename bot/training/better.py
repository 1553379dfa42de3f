"""Better replies: a script-library response filled with the scenario's product, its related item and store facts."""
from __future__ import annotations

from typing import Any

from bot.catalog.products import get_product
from bot.db.scope import unit_of_work_scope
from bot.db.uow import AbstractUnitOfWork
from bot.recommendations.store_data import relations, scene_by_tag
from bot.scripts.loader import ScriptLibrary
from bot.scripts.render import GUARD_FALLBACK, RenderRequest, render
from bot.store.config import load_store
from bot.store.policies import service_values
from bot.training.types import Better, Scenario


def reply_values() -> dict[str, Any]:
    """Placeholder values every training reply may use: agent, store, shipping, returns, promotions."""
    store = load_store()
    return {"agent": store.agents[0].get("name", ""), "store": store.name, **service_values(store)}


def scenario_product_values(uow: AbstractUnitOfWork, sku: str, related: str | None) -> dict[str, Any]:
    """{product}, {price}, {items} of the scenario product; {suggestions}/{reason}/{scene} of its related item."""
    product = get_product(uow, sku)
    if product is None:
        return {}
    values: dict[str, Any] = {"product": product.name, "price": f"{product.price:g}", "sku": sku,
                              "items": product.name}
    scene = next((s for s in (scene_by_tag(tag) for tag in product.scenes) if s), None)
    if scene:
        values["scene"] = scene.name
    if related:
        linked = relations(uow, sku, related)
        if linked:
            other = get_product(uow, linked[0][0])
            if other:
                values.update(suggestions=other.name, suggestion=other.name, reason=linked[0][1])
    return values


class BetterReplies:
    """Renders `Better` specs through the same renderer and reply guard the bot uses; product values are read in
    the unit of work of the turn or request grading the reply (a CLI run opens one per product)."""

    def __init__(self, library: ScriptLibrary, base_values: dict[str, Any] | None = None) -> None:
        self.library = library
        self.base_values = reply_values() if base_values is None else base_values
        self._product: dict[tuple[str, str | None], dict[str, Any]] = {}

    def text(self, better: Better | None, scenario: Scenario, previous: tuple[str, ...] = (),
             conversation_id: str = "") -> str | None:
        if better is None or better.response not in self.library.responses:
            return None
        key = (scenario.product, better.related)
        if key not in self._product:
            with unit_of_work_scope() as uow:
                self._product[key] = scenario_product_values(uow, scenario.product, better.related)
        values = {**self.base_values, **self._product[key], **better.values}
        rendered = render(self.library, RenderRequest(
            response=better.response, values=values, previous_texts=previous, conversation_id=conversation_id,
            situation=scenario.situation))
        return rendered.text if rendered.variant >= 0 or better.response == GUARD_FALLBACK else None
