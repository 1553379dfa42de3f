"""Small statistics used by the overview: nearest-rank percentiles, rates, a difference of two proportions."""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Sequence

Z95 = 1.959964


def rate(hits: int | float, total: int | float) -> float | None:
    """hits / total rounded to 4 places; None when there is nothing to divide by."""
    return round(hits / total, 4) if total else None


def percentile(sorted_values: Sequence[float], q: float) -> float | None:
    """Nearest-rank percentile (the smallest value with at least q of the values at or below it)."""
    if not sorted_values:
        return None
    rank = max(1, math.ceil(q * len(sorted_values)))
    return sorted_values[rank - 1]


@dataclass(frozen=True)
class Uplift:
    """Treated rate minus control rate with its 95% confidence interval (normal approximation)."""

    treated: int
    treated_hits: int
    control: int
    control_hits: int

    @property
    def treated_rate(self) -> float | None:
        return rate(self.treated_hits, self.treated)

    @property
    def control_rate(self) -> float | None:
        return rate(self.control_hits, self.control)

    @property
    def difference(self) -> float | None:
        if not self.treated or not self.control:
            return None
        return round(self.treated_hits / self.treated - self.control_hits / self.control, 4)

    @property
    def interval(self) -> tuple[float, float] | None:
        if not self.treated or not self.control:
            return None
        p1, p2 = self.treated_hits / self.treated, self.control_hits / self.control
        half = Z95 * math.sqrt(p1 * (1 - p1) / self.treated + p2 * (1 - p2) / self.control)
        return round(p1 - p2 - half, 4), round(p1 - p2 + half, 4)
