"""The demo store's payment provider: it "collects" the money, then signs and delivers the notification the
same way a real provider would (a real one plugs in as another `Provider`, calling `notify` on its callback)."""
from __future__ import annotations

import secrets
from typing import Protocol

from bot.orders import service as orders
from bot.payments.service import Outcome, encode, notify, sign


class Provider(Protocol):
    name: str

    def pay(self, order: orders.OrderView) -> Outcome:
        """Take the shopper's payment for `order`; the order is paid once the provider's notification arrives."""


class DemoProvider:
    name = "demo"

    def pay(self, order: orders.OrderView) -> Outcome:
        body = {"order_id": order.order_id, "amount": order.total, "trade_no": f"demo-{secrets.token_hex(12)}"}
        raw = encode(body)
        return notify(raw, sign(raw), body, provider=self.name)
