"""Rasa custom actions, one module per business capability. Each action only adapts `bot/` services."""
