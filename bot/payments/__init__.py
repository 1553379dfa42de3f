"""Payments: an order becomes paid only through a signed notification (bot/payments/service.py); a provider
(bot/payments/demo.py for the demo store) signs and delivers it."""
