"""Assist for the human agent: suggested replies for the shopper's last message (question bank and script
library, filled for the product in context) and product cards from the recommendation service."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

from bot.catalog.answers import product_values
from bot.catalog.products import ProductView, get_product
from bot.conversation.events import intent_of, shopper_events
from bot.handoff.assist import shopper_text_of
from bot.knowledge.retrieval import Retriever
from bot.recommendations.candidates import complements, latent, substitutes
from bot.recommendations.types import RecommendationContext
from bot.scripts.loader import ScriptLibrary
from bot.scripts.render import RenderRequest, render
from bot.store.config import StoreConfig
from bot.store.policies import service_values

# Script-library responses worth offering for the shopper's latest intent (first fitting ones first).
INTENT_RESPONSES: dict[str, tuple[str, ...]] = {
    "complain": ("utter_complaint_general", "utter_complaint_quality", "utter_complaint_wrong_item"),
    "bargain": ("utter_bargain_value", "utter_bargain_multi_buy", "utter_bargain_pay_now_gift"),
    "ask_discount": ("utter_discount_info", "utter_bargain_full_reduction"),
    "ask_shipping": ("utter_shipping_policy",),
    "return_refund": ("utter_return_policy", "utter_return_quality", "utter_exchange_policy"),
    "order_status": ("utter_ask_order_id",),
    "payment_problem": ("utter_payment_help",),
    "hesitate": ("utter_hesitation_reassure",),
    "ask_size": ("utter_size_advice", "utter_size_reassure"),
    "ask_product_info": ("utter_product_info",),
    "ask_price": ("utter_price",),
    "greet": ("utter_greet",),
    "thank": ("utter_thank",),
}
FALLBACK_RESPONSES = ("utter_greet",)
KIND_LIMIT = 2


@dataclass(frozen=True)
class Subject:
    text: str
    intent: str | None
    product: ProductView | None
    cart: tuple[str, ...]
    shown: tuple[str, ...]


def subject_of(events: Sequence[dict[str, Any]]) -> Subject:
    """The shopper's last words and intent, the product under discussion, the cart and what was shown."""
    said = shopper_events(events)
    sku = next((e.get("value") for e in reversed(events) if e.get("event") == "slot"
                and e.get("name") == "product_sku" and e.get("value")), None)
    metadata = (said[-1].get("metadata") or {}) if said else {}
    sku = metadata.get("product_sku") or sku
    cart = tuple(str(i["sku"]) for i in metadata.get("cart") or [] if isinstance(i, dict) and i.get("sku"))
    shown = tuple(dict.fromkeys(str(c["sku"]) for e in events if e.get("event") == "bot"
                                for c in ((e.get("data") or {}).get("custom") or {}).get("cards") or []
                                if isinstance(c, dict) and c.get("sku")))
    return Subject(shopper_text_of(said[-1]) if said else "", intent_of(said[-1]) if said else None,
                   get_product(sku) if sku else None, cart, shown)


def suggested_replies(subject: Subject, library: ScriptLibrary, retriever: Retriever | None, store: StoreConfig,
                      previous: tuple[str, ...] = (), limit: int = 4) -> list[dict[str, str]]:
    """One-click replies: matching question-bank answers first, then script-library responses for the intent."""
    values: dict[str, Any] = {**service_values(store), "agent": "", "store": store.name}
    if subject.product:
        values.update(product_values(subject.product))
    names: list[tuple[str, str]] = []
    if retriever is not None and subject.text and not subject.text.startswith("/"):
        product = subject.product
        matches, _, _ = retriever.search(subject.text, product.sku if product else None,
                                         product.category if product else None)
        names += [(m.entry.response, "knowledge") for m in matches if m.confidence >= 0.3]
    names += [(n, "script") for n in INTENT_RESPONSES.get(subject.intent or "", FALLBACK_RESPONSES)]
    out: list[dict[str, str]] = []
    for name, source in names:
        if name not in library.responses or any(s["response"] == name for s in out):
            continue
        rendered = render(library, RenderRequest(response=name, values=values, previous_texts=previous,
                                                 style=store.style, shopper_text=subject.text))
        if rendered.variant >= 0 and rendered.text and "{" not in rendered.text:
            out.append({"text": rendered.text, "source": source, "response": name})
        if len(out) >= limit:
            break
    return out


def product_suggestions(subject: Subject) -> list[dict[str, Any]]:
    """Substitute, complementary and latent items for the product in context, as cards the agent can send."""
    if subject.product is None:
        return []
    ctx = RecommendationContext(product_sku=subject.product.sku, cart_skus=subject.cart, intent=subject.intent,
                                text=subject.text, shown_skus=subject.shown)
    cards: list[dict[str, Any]] = []
    for finder in (substitutes, complements, latent):
        for suggestion in finder(ctx, KIND_LIMIT):
            if all(c["sku"] != suggestion.product.sku for c in cards):
                cards.append(suggestion.card())
    return cards
