"""The values, cards and quick replies of a choice between products (worded by the script library at the NLG
endpoint)."""
from __future__ import annotations

import json
from typing import Any

from bot.catalog.mentions import Resolution
from bot.recommendations import present
from bot.recommendations.types import Suggestion


def pick_payload(name: str) -> str:
    """The message a quick reply sends: the shopper picks this product."""
    return "/provide_info" + json.dumps({"product": name}, ensure_ascii=False, separators=(",", ":"))


def choice_values(found: Resolution) -> tuple[dict[str, Any], dict[str, Any], list[dict[str, str]]]:
    """Script placeholders, the product-cards payload and one quick reply per option."""
    options = found.products
    records = [{"kind": "in_stock" if p.in_stock else "sold_out", "name": p.name, "price": f"{p.price:g}"}
               for p in options]
    values: dict[str, Any] = {"options": records}
    categories = {p.category for p in options}
    if not found.mention.order:                 # "我们家有N款" only when every fitting product is counted
        values["count"] = str(max(found.total, len(options)))
        if found.mention.named:
            values["category"] = found.mention.named
        elif len(categories) == 1:
            values["category"] = categories.pop()
    budget = found.mention.budget
    if budget is not None and all(p.price > budget for p in options):
        values["budget"] = f"{budget:g}"          # nothing within it: said honestly, the cheapest first
    suggestions = [Suggestion("popular", p, "", "choice_in_stock" if p.in_stock else "choice_sold_out", 0.0)
                   for p in options]
    custom = {"type": present.CARDS_TYPE, "cards": present.cards(suggestions)}
    buttons = [{"title": p.name, "payload": pick_payload(p.name)} for p in options] if len(options) > 1 else []
    return values, custom, buttons
