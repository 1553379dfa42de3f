"""Rasa custom actions, one module per business capability. Each action only adapts `bot/` services."""
from actions.context import open_a_unit_of_work_per_turn

open_a_unit_of_work_per_turn()
