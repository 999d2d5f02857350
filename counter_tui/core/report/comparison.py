"""The change from the same period last year ("so với cùng kỳ"), worded as the province's
reports word it: "tăng 40%", "giảm 12%", "bằng cùng kỳ", and "mới" when last year had none (a
percentage of nothing means nothing, so none is given).

Four figures are compared, each with the count of the same rows last year: received (the
period's total to resolve, Biểu II.06a's first column), received online, resolved, and
resolved in time (early or on the due day). Percentages are rounded to one decimal; a change
that rounds to nothing but is not nothing is "under 0.1%", never "0%".
"""

from __future__ import annotations

from counter_tui.core.i18n import t
from counter_tui.core.records import frozen
from counter_tui.core.report.arithmetic import change, count_text, decimal_text, percent
from counter_tui.core.report.model import Tally

COMPARED = ("received", "online", "resolved", "resolved_in_time")


@frozen
class Change:
    """One figure this period and in the same period last year."""

    figure: str  # one of COMPARED
    now: int
    before: int

    @property
    def percent(self) -> float | None:
        """The change in percent, signed (-12.0 is a fall of 12%); None without a base."""
        value = percent(change(self.now, self.before))
        return None if value is None else value + 0.0  # never -0.0

    @property
    def kind(self) -> str:
        """up, down, same, or new (nothing last year, something now)."""
        if self.now == self.before:
            return "same"
        if not self.before:
            return "new"
        return "up" if self.now > self.before else "down"

    def _pct(self) -> str:
        value = abs(self.percent or 0.0)
        if value == 0:
            return t("report.change.under", pct=decimal_text(0.1))
        return decimal_text(value)

    def text(self) -> str:
        """The change alone, for a cell beside last year's figure: "tăng 40%"."""
        kind = self.kind
        if kind == "same":
            return t("report.change.same")
        if kind == "new":
            return t("report.change.new")
        if kind == "up":
            return t("report.change.up", pct=self._pct())
        return t("report.change.down", pct=self._pct())

    def sentence(self) -> str:
        """The figure with its change, as a report's line: "14, tăng 40% so với cùng kỳ (10)"."""
        kind = self.kind
        now, before = count_text(self.now), count_text(self.before)
        if kind == "same":
            return t("report.change.same_line", now=now)
        if kind == "new":
            return t("report.change.new_line", now=now)
        if kind == "up":
            return t("report.change.up_line", now=now, before=before, pct=self._pct())
        return t("report.change.down_line", now=now, before=before, pct=self._pct())


def changes(now: Tally, before: Tally) -> tuple[Change, ...]:
    """The four compared figures of a row, in COMPARED's order."""
    return tuple(Change(name, getattr(now, name), getattr(before, name)) for name in COMPARED)
