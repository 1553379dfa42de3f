"""From a recommendation to one chat message: the script response for its type, the placeholder values and
product cards (name, price, image, reason, add-to-cart payload, plain-text line) for the `custom` payload.

Wording comes from the script library: responses per type (emotional substitutes, scene complements,
practical latent items) and the fragments `reason_<code>` (card reasons the store data does not give),
`card_text` (a card as one plain-text line) and `suggestions_item` / `items_scene` (names in the text).
"""
from __future__ import annotations

from dataclasses import dataclass
from threading import Lock
from typing import Any, Mapping, Sequence

from bot.catalog.products import ProductView
from bot.recommendations import store_data as data
from bot.recommendations.types import Recommendation, SceneCollection, Suggestion
from bot.scripts.live import LiveLibrary
from bot.scripts.placeholders import fill
from bot.settings import get_settings

CARDS_TYPE = "product_cards"
RESPONSES = {
    "substitute": "utter_suggest_substitute",
    "in_stock_alternative": "utter_suggest_in_stock_alternative",
    "restock_alternative": "utter_suggest_restock_alternative",
    "alternative_after_notice": "utter_suggest_alternative_after_notice",
    "complementary": "utter_suggest_complementary",
    "latent": "utter_suggest_latent",
    "scene": "utter_scene_collection",
    "scene_groups": "utter_scene_groups",
    "multibuy": "utter_suggest_multibuy",
    "popular": "utter_recommend_popular",
    "bundle": "utter_bundle_offer",
}


@dataclass(frozen=True)
class SuggestionMessage:
    response: str
    values: dict[str, Any]                      # script placeholders
    custom: dict[str, Any]                      # {"type": "product_cards", "cards": [...], "bundle": {...}?}
    shown: tuple[tuple[str, str], ...]          # (sku, kind) to record as shown

    def utter_kwargs(self) -> dict[str, Any]:
        """Arguments for `dispatcher.utter_message`."""
        return {"response": self.response, **self.values, "custom": self.custom}


def _price(value: float) -> str:
    return f"{value:g}"


def reason_text(suggestion: Suggestion, fragments: Mapping[str, str]) -> str:
    """The store's reason for the suggestion, else the script library's wording for its reason code."""
    if suggestion.reason:
        return suggestion.reason
    code, _, scene_id = suggestion.reason_code.partition(":")
    scene = next((s for s in data.load_scenes() if s.id == scene_id), None) if scene_id else None
    template = fragments.get(f"reason_{code}") or fragments.get("reason_default", "")
    return fill(template, {"scene": scene.name if scene else "", "product": suggestion.product.name})


def cards(suggestions: Sequence[Suggestion], fragments: Mapping[str, str], qty: int = 1) -> list[dict[str, Any]]:
    """Product cards with their reasons and plain-text lines."""
    found = []
    for s in suggestions:
        reason = reason_text(s, fragments)
        line = fill(fragments.get("card_text", ""), {"name": s.product.name, "price": _price(s.product.price),
                                                      "reason": reason})
        found.append(s.card(reason, line, qty))
    return found


def _records(suggestions: Sequence[Suggestion]) -> list[dict[str, str]]:
    return [{"name": s.product.name, "price": _price(s.product.price)} for s in suggestions]


def _scene_groups(collection: SceneCollection, fragments: Mapping[str, str]) -> list[dict[str, str]]:
    separator = fragments.get("list_separator", "、")
    return [{"kind": "scene", "scene": g.name, "names": separator.join(s.product.name for s in g.suggestions)}
            for g in collection.groups if g.suggestions]


def _bundle_message(rec: Recommendation, fragments: Mapping[str, str], product: ProductView | None,
                    ) -> SuggestionMessage:
    bundle = rec.bundle
    chosen = product.sku if product is not None else bundle.main.sku
    addon = bundle.addon if bundle.main.sku == chosen else bundle.main
    offer = Suggestion("bundle", addon, bundle.reason, "bundle", 1.0)
    values = {**bundle.values(), "suggestion": addon.name, "reason": reason_text(offer, fragments)}
    if product is not None:
        values["product"] = product.name
    custom = {"type": CARDS_TYPE, "cards": cards([offer], fragments), "bundle": bundle.as_json()}
    return SuggestionMessage(RESPONSES["bundle"], values, custom, ((addon.sku, "bundle"),))


def message(rec: Recommendation, fragments: Mapping[str, str], product: ProductView | None = None,
            prefer_bundle: bool = False) -> SuggestionMessage | None:
    """The chat message for a recommendation, or None when it has nothing to show."""
    if prefer_bundle and rec.bundle is not None:
        return _bundle_message(rec, fragments, product)
    if not rec.suggestions:
        return None
    first = rec.suggestions[0]
    kind = rec.kind
    if kind == "substitute" and product is not None and not product.in_stock:
        kind = "restock_alternative" if "restock_day" in rec.values else "in_stock_alternative"
        if rec.values.get("sold_out_said"):
            kind = "alternative_after_notice"
    values: dict[str, Any] = {**rec.values, "suggestions": _records(rec.suggestions),
                              "suggestion": first.product.name, "reason": reason_text(first, fragments)}
    if rec.scene_name:
        values["scene"] = rec.scene_name
    if product is not None:
        values["product"] = product.name
    if kind == "scene" and rec.collection is not None:
        if rec.collection.id.startswith("category:"):
            kind = "scene_groups"
            values["items"] = _scene_groups(rec.collection, fragments)
        elif rec.collection.intro:
            values["reason"] = rec.collection.intro
    qty = 1
    if kind == "multibuy":
        values["product"] = first.product.name
        qty = int(values.get("condition") or 1)
    custom = {"type": CARDS_TYPE, "cards": cards(rec.suggestions, fragments, qty)}
    shown = tuple((s.product.sku, s.kind) for s in rec.suggestions)
    return SuggestionMessage(RESPONSES.get(kind, RESPONSES["popular"]), values, custom, shown)


class _Fragments:
    """The live script library's fragments, loaded on first use in this process."""

    def __init__(self) -> None:
        self._live: LiveLibrary | None = None
        self._lock = Lock()

    def __call__(self) -> Mapping[str, str]:
        with self._lock:
            if self._live is None:
                self._live = LiveLibrary(get_settings().scripts_dir)
            return self._live.get().fragments


script_fragments = _Fragments()
