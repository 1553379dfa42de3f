"""From a recommendation to one chat message: its kind (the action names the script response), the placeholder
values and product cards (name, price, image, reason, add-to-cart payload) for the `custom` payload.

No words are chosen here: a reason the store data does not give travels as a record (`{"kind": <reason code>,
...}`) that the NLG endpoint words with the library's `reason_<code>` fragment, and the card's plain-text line
(`card_text`) is worded and guarded there too (`bot/scripts/cards.py`).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

from bot.catalog.products import ProductView
from bot.recommendations import store_data as data
from bot.recommendations.types import Recommendation, SceneCollection, Suggestion

CARDS_TYPE = "product_cards"


@dataclass(frozen=True)
class SuggestionMessage:
    kind: str                                   # substitute, restock_alternative, scene_groups, bundle, ...
    values: dict[str, Any]                      # script placeholders
    custom: dict[str, Any]                      # {"type": "product_cards", "cards": [...], "bundle": {...}?}
    shown: tuple[tuple[str, str], ...]          # (sku, kind) to record as shown


def _price(value: float) -> str:
    return f"{value:g}"


def reason_value(suggestion: Suggestion) -> str | dict[str, str]:
    """The store's reason for the suggestion, else a record the script library words by its reason code."""
    if suggestion.reason:
        return suggestion.reason
    code, _, scene_id = suggestion.reason_code.partition(":")
    scene = next((s for s in data.load_scenes() if s.id == scene_id), None) if scene_id else None
    return {"kind": code, "scene": scene.name if scene else "", "product": suggestion.product.name}


def cards(suggestions: Sequence[Suggestion], qty: int = 1) -> list[dict[str, Any]]:
    """Product cards with their reasons (worded by the NLG endpoint when they are records)."""
    return [s.card(reason_value(s), qty=qty) for s in suggestions]


def _records(suggestions: Sequence[Suggestion]) -> list[dict[str, str]]:
    return [{"name": s.product.name, "price": _price(s.product.price)} for s in suggestions]


def _scene_groups(collection: SceneCollection) -> list[dict[str, Any]]:
    return [{"kind": "scene", "scene": g.name, "names": [s.product.name for s in g.suggestions]}
            for g in collection.groups if g.suggestions]


def _bundle_message(rec: Recommendation, product: ProductView | None) -> SuggestionMessage:
    bundle = rec.bundle
    chosen = product.sku if product is not None else bundle.main.sku
    addon = bundle.addon if bundle.main.sku == chosen else bundle.main
    offer = Suggestion("bundle", addon, bundle.reason, "bundle", 1.0)
    values = {**bundle.values(), "suggestion": addon.name, "reason": reason_value(offer)}
    if product is not None:
        values["product"] = product.name
    custom = {"type": CARDS_TYPE, "cards": cards([offer]), "bundle": bundle.as_json()}
    return SuggestionMessage("bundle", values, custom, ((addon.sku, "bundle"),))


def message(rec: Recommendation, product: ProductView | None = None,
            prefer_bundle: bool = False) -> SuggestionMessage | None:
    """The chat message for a recommendation, or None when it has nothing to show."""
    if prefer_bundle and rec.bundle is not None:
        return _bundle_message(rec, product)
    if not rec.suggestions:
        return None
    first = rec.suggestions[0]
    kind = rec.kind
    if kind == "substitute" and product is not None and not product.in_stock:
        kind = "restock_alternative" if "restock_day" in rec.values else "in_stock_alternative"
        if rec.values.get("sold_out_said"):
            kind = "alternative_after_notice"
    values: dict[str, Any] = {**rec.values, "suggestions": _records(rec.suggestions),
                              "suggestion": first.product.name, "reason": reason_value(first)}
    if rec.scene_name:
        values["scene"] = rec.scene_name
    if product is not None:
        values["product"] = product.name
    if kind == "scene" and rec.collection is not None:
        if rec.collection.id.startswith("category:"):
            kind = "scene_groups"
            values["items"] = _scene_groups(rec.collection)
        elif rec.collection.intro:
            values["reason"] = rec.collection.intro
    qty = 1
    if kind == "multibuy":
        values["product"] = first.product.name
        qty = int(values.get("condition") or 1)
    custom = {"type": CARDS_TYPE, "cards": cards(rec.suggestions, qty)}
    shown = tuple((s.product.sku, s.kind) for s in rec.suggestions)
    return SuggestionMessage(kind, values, custom, shown)
