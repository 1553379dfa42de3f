"""Operational commands: database set-up, cached training, Rasa story tests."""
