"""Custom Rasa NLU components of the store assistant."""
