"""Bargaining by conditional compromise (bot/bargain/ladder.py): a ladder of concessions, each tied to a condition,
never below floor."""
