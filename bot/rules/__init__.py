"""The service rules of good store service: one rule set used by the reply guard, the linter and the grader
(checks.py runs them all; negatives.py, tone.py and repeats.py hold the single rules)."""
