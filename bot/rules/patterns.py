"""A pattern shape several rules share."""
from __future__ import annotations

import re


def unless_redeemed(problem: re.Pattern, redeemer: re.Pattern, text: str) -> list[str]:
    """The problem phrases in `text`, or none when anything in the same reply redeems them."""
    return [] if redeemer.search(text) else [m.group() for m in problem.finditer(text)]
