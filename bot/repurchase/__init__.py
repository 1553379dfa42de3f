"""Repeat-purchase reminders (追销): predict when a consumable runs out, remind before, greet returning buyers.

- predict.py: the run-out prediction (pure);
- history.py: a buyer's purchases of consumables, read from the orders;
- planning.py: outbox rows of kind `repurchase` (planned, cancelled on re-order, checked before sending);
- message.py: what the reminder says (agent voice, item card, one real reason);
- greeting.py: the returning-buyer greeting;
- metrics.py: re-orders within 14 days after a reminder against the holdout.
"""
