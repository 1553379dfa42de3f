"""Placeholders a script may use, filled from action arguments or conversation slots."""
from __future__ import annotations

import re
from collections.abc import Mapping

PLACEHOLDER_RE = re.compile(r"\{([a-z_][a-z0-9_]*)\}")

PLACEHOLDERS: dict[str, str] = {
    "agent": "name of the agent persona serving the shopper",
    "store": "store name",
    "product": "name of the product under discussion",
    "sku": "SKU of the product under discussion",
    "price": "current price in yuan",
    "stock": "units in stock",
    "material": "material of the product",
    "washing": "care / washing instructions",
    "details": "other product details, composed from attributes",
    "description": "one-line selling point of the product",
    "colors": "colours that exist for the product",
    "color": "colour the shopper asked for",
    "sizes": "sizes that exist for the product",
    "size": "size the shopper asked for",
    "size_advice": "recommended size with the size-chart line",
    "order_id": "order number",
    "order_status": "order status in words",
    "items": "items of an order or suggestion, in words",
    "total": "order total in yuan",
    "qty": "how many pieces of the item the shopper takes",
    "carrier": "shipping carrier",
    "delivery_days": "usual delivery time in days",
    "ship_within_hours": "hours until dispatch",
    "cutoff": "same-day shipping cut-off time",
    "free_shipping_threshold": "order value for free shipping",
    "remote_extra_days": "extra delivery days to remote areas",
    "remote_shipping_fee": "extra fee for remote areas",
    "no_reason_days": "days for no-reason returns",
    "exchange_days": "days for exchanges",
    "promotion": "current promotions, in words",
    "coupon": "a coupon in words",
    "condition": "condition attached to a concession",
    "offer": "what the shopper gets when the condition is met",
    "deal_price": "price per piece or total under the offer",
    "saving": "amount saved",
    "gift": "gift name",
    "threshold": "spend threshold of a promotion",
    "gap": "amount still missing to reach a threshold",
    "suggestion": "suggested product name",
    "suggestions": "suggested product names",
    "reason": "reason for a suggestion or a reminder",
    "scene": "usage scene",
    "bundle_price": "bundle price",
    "pay_link": "link to pay the order",
    "pay_reason": "concrete reason to pay now",
    "summary": "conversation summary for the human agent",
    "wait_minutes": "expected waiting time for a human",
    "position": "the shopper's place in the queue for a human agent",
    "opens_at": "when human agents answer again (outside service hours)",
    "service_hours": "the store's service hours for human agents",
    "options": "products the shopper can choose from, with prices",
    "count": "how many products fit what the shopper named",
    "budget": "the most the shopper wants to pay for one item (60以内)",
    "category": "category of the products on offer",
    "restock_month": "month of a sold-out product's expected restock",
    "restock_day": "day of month of a sold-out product's expected restock",
    "categories": "the store's product categories",
    "attribute": "the product detail the shopper asked about, in words",
    "repurchase_reason": "one concrete reason to re-order now (multi-buy, returning-buyer price, low stock)",
    "returning_check": "how the item the shopper bought here went, in words fitting its category",
}


def placeholders_in(text: str) -> set[str]:
    """Names of the `{placeholders}` used in a text."""
    return set(PLACEHOLDER_RE.findall(text))


def fill(text: str, values: Mapping[str, object]) -> str:
    """Replace `{name}` markers; unknown markers are left for the caller to detect. Two numbers that would meet
    (防晒霜SPF50 + 69元) are kept apart by a space."""
    out: list[str] = []
    at = 0
    for marker in PLACEHOLDER_RE.finditer(text):
        out.append(text[at:marker.start()])
        value = str(values.get(marker.group(1), marker.group(0)))
        before = next((piece for piece in reversed(out) if piece), "")
        if value[:1].isdigit() and before[-1:].isdigit():
            value = " " + value
        out.append(value)
        at = marker.end()
    out.append(text[at:])
    return "".join(out)
