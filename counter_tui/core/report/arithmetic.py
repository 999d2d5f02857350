"""The arithmetic of the figures and of the days they cover: ratios and changes that are None
when there is nothing to divide, nearest-rank percentiles, durations, and the days a report is
asked for and printed with. Kept apart so every part of the report computes them one way.

Percentiles are nearest-rank: the 90th percentile is the smallest time that at least 90% of
the times do not exceed. Durations are seconds; ratios are fractions (None when nothing was
counted), shown as percentages.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date, datetime, timedelta

from counter_tui.core.i18n import t
from counter_tui.core.records import frozen


def ratio(part: float, whole: float) -> float | None:
    """part / whole, or None when there is nothing to divide (no dossier, no ticket)."""
    return part / whole if whole else None


def change(now: float, before: float) -> float | None:
    """Relative change from `before` to `now` (0.25 = up a quarter); None without a base."""
    return (now - before) / before if before else None


def percent(value: float | None, digits: int = 1) -> float | None:
    """A fraction as a rounded percentage, for tables and files."""
    return None if value is None else round(value * 100, digits)


def percentile(values: Sequence[float], q: float) -> float | None:
    """Nearest-rank percentile (q in 0..1): the smallest value that at least q of the values
    do not exceed. None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(q * len(ordered)))
    return float(ordered[rank - 1])


@frozen
class Durations:
    """Count, mean and 90th percentile of a set of durations, in seconds."""

    count: int = 0
    mean: float | None = None
    p90: float | None = None

    @classmethod
    def of(cls, seconds: Sequence[float]) -> Durations:
        if not seconds:
            return cls()
        return cls(len(seconds), sum(seconds) / len(seconds), percentile(seconds, 0.9))

    def in_minutes(self) -> tuple[float | None, float | None]:
        """Mean and 90th percentile in minutes, as the tables and the slip show them."""
        return minutes(self.mean), minutes(self.p90)


def minutes(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds / 60, 1)


def decimal_text(value: float, digits: int = 1) -> str:
    """A figure for people to read: rounded, without a trailing ",0", and with the decimal
    mark of the language (Vietnamese writes 7,5)."""
    text = f"{round(value, digits) + 0.0:.{digits}f}".rstrip("0").rstrip(".")
    return text.replace(".", t("report.decimal_mark"))


def count_text(value: int) -> str:
    """A count for people to read, thousands marked as the language does (76.574)."""
    return f"{value:,}".replace(",", t("report.thousands_mark"))


def same_day_last_year(day: date) -> date:
    """The same calendar day a year earlier; 29 February becomes the 28th."""
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day.replace(year=day.year - 1, day=28)


def parse_day(text: str) -> date | None:
    """A day typed as YYYY-MM-DD or dd/mm/yyyy (d/m/yyyy too); None if it is neither."""
    value = text.strip()
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    return None


def day_bounds(day: date) -> tuple[datetime, datetime]:
    start = datetime.combine(day, datetime.min.time())
    return start, start + timedelta(days=1)


def day_label(d: date) -> str:
    return d.strftime("%d/%m/%Y")
