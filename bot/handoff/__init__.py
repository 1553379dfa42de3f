"""Handoff to a human agent: opening and releasing a handoff with its summary (service.py), taking a conversation
in (intake.py), the live queue (queue.py) and the agent workspace (workspace.py, assist.py, suggest.py), quality
review of human replies (quality.py, replies.py)."""
