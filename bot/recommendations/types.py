"""Value types of the recommendation service (plain data, no database access)."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Literal

from bot.catalog.products import ProductView

# "repurchase": the item a buyer bought before, offered again (bot/repurchase); not a recommender's kind
Kind = Literal["substitute", "complementary", "latent", "scene", "multibuy", "popular", "bundle", "repurchase"]
KINDS: tuple[str, ...] = ("substitute", "complementary", "latent", "scene", "multibuy", "popular", "bundle")


@dataclass(frozen=True)
class Suggestion:
    """One suggested product with the reason a shopper would accept."""

    kind: Kind
    product: ProductView
    reason: str          # shopper-facing reason from store data; "" when there is none
    reason_code: str     # stable code the script library words when `reason` is ""
    score: float

    def card(self, reason: str | dict[str, str] | None = None, qty: int = 1) -> dict[str, Any]:
        """A product card: what the widget shows and the add-to-cart payload (the want_buy intent with the
        product, and the quantity when more than one). A reason record and the plain-text line are worded by
        the NLG endpoint (`bot/scripts/cards.py`)."""
        entities: dict[str, str] = {"product": self.product.name}
        if qty > 1:
            entities["quantity"] = str(qty)
        payload = "/want_buy" + json.dumps(entities, ensure_ascii=False, separators=(",", ":"))
        return {
            "sku": self.product.sku, "name": self.product.name, "price": self.product.price, "qty": qty,
            "image": self.product.image, "reason": self.reason if reason is None else reason,
            "reason_code": self.reason_code, "kind": self.kind, "payload": payload,
        }


@dataclass(frozen=True)
class RecommendationContext:
    product_sku: str | None = None         # product under discussion
    cart_skus: tuple[str, ...] = ()
    intent: str | None = None              # latest intent (dislike_product, want_buy, hesitate, ...)
    text: str = ""                         # the shopper's words
    disliked: str | None = None            # disliked attribute value (feature / colour entity)
    scene: str | None = None               # scene entity, if any
    declined_skus: tuple[str, ...] = ()    # declined in this conversation: never suggested again
    shown_skus: tuple[str, ...] = ()       # already shown: ranked last
    wearer: str | None = None              # who the shopper buys for (men / women), if the chat says
    offered_skus: tuple[str, ...] = ()     # the choice just offered (那推荐哪个 picks among these)

    def suits(self, product: ProductView) -> bool:
        """Whether the product may be suggested to this shopper: not what the other wearer wears."""
        wears = product.attributes.get("wearer")
        return not (self.wearer and wears and wears != self.wearer)

    @property
    def excluded(self) -> set[str]:
        """SKUs never to suggest: the product itself, the cart and declined suggestions."""
        return {s for s in (self.product_sku, *self.cart_skus, *self.declined_skus) if s}


@dataclass(frozen=True)
class SceneGroup:
    scene_id: str
    name: str
    intro: str
    suggestions: tuple[Suggestion, ...]


@dataclass(frozen=True)
class SceneCollection:
    """Items grouped by the scene where they are used (one group for a scene, several for a category)."""

    id: str              # scene id, or "category:<category>"
    name: str            # scene name or category name
    intro: str
    groups: tuple[SceneGroup, ...]

    @property
    def suggestions(self) -> tuple[Suggestion, ...]:
        return tuple(s for group in self.groups for s in group.suggestions)


@dataclass(frozen=True)
class Recommendation:
    """The type chosen for the situation, its suggestions and, when one fits, a bundle offer."""

    kind: str                                   # a Kind, "offered_best" (popular among a choice) or "none"
    suggestions: tuple[Suggestion, ...] = ()
    bundle: Any = None                          # bundles.Bundle | None
    collection: SceneCollection | None = None
    scene_name: str | None = None
    values: dict[str, Any] = field(default_factory=dict)   # extra script placeholders (scene, deal_price, ...)

