"""Conversations for the manager console: find them by date, intent, outcome, product, agent or words, and
read one as a transcript with the NLU's intent and confidence, the response and variant sent, guard replacements.

Sources: the bot database (conversation_metrics is the register of conversations, with handoffs, orders,
unanswered questions and suggestions as outcomes) and Rasa's SQL tracker store (the turns)."""
