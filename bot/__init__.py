"""Business logic of the store assistant, importable without Rasa running."""
