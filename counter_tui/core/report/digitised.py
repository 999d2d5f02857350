"""The digitisation figures (Thông tư 01/2023/TT-VPCP): of the dossiers received on paper (at
the counter or by post), how many have every received component digitised; of the results
issued, how many were digitised; each as a count and a ratio, per field, procedure, office or
officer, and in total. services.reports.digitised reads them; here is what they mean and how
they are shown.

A dossier counts as digitised when each document of its checklist has a file of stage
"received", and it has at least one (a dossier received with no checklist needs one file).
Online dossiers are electronic already and are not counted; nor are refused ones.
"""

from __future__ import annotations

from datetime import date

from counter_tui.core.i18n import t
from counter_tui.core.records import frozen
from counter_tui.core.report.arithmetic import day_label, percent, ratio
from counter_tui.core.report.tables import Table


@frozen
class DigitisedRow:
    key: str
    label: str
    received: int = 0  # dossiers received on paper
    digitised: int = 0  # ... with every received component digitised
    results: int = 0  # results issued (ready or handed over)
    results_digitised: int = 0

    @property
    def ratio(self) -> float | None:
        return ratio(self.digitised, self.received)

    @property
    def results_ratio(self) -> float | None:
        return ratio(self.results_digitised, self.results)


@frozen
class Digitisation:
    start: date
    end: date  # inclusive
    by: str
    rows: tuple[DigitisedRow, ...]

    @property
    def total(self) -> DigitisedRow:
        return DigitisedRow("", t("report.total"), sum(r.received for r in self.rows),
                            sum(r.digitised for r in self.rows),
                            sum(r.results for r in self.rows),
                            sum(r.results_digitised for r in self.rows))


def digitised_table(figures: Digitisation) -> Table:
    period = day_label(figures.start) if figures.start == figures.end else \
        f"{day_label(figures.start)} - {day_label(figures.end)}"
    rows = [*figures.rows, figures.total]
    return Table(t("report.sheet.digitised"), t("report.digitised.title", period=period), (
        t(f"report.by.{figures.by}"), t("report.col.paper_received"), t("report.col.digitised"),
        t("report.col.digitised_ratio"), t("report.col.results"),
        t("report.col.results_digitised"), t("report.col.results_digitised_ratio")), tuple(
        (r.label, r.received, r.digitised, percent(r.ratio), r.results, r.results_digitised,
         percent(r.results_ratio)) for r in rows), fixed_columns=1)


def digitised_json(figures: Digitisation) -> dict[str, object]:
    def row(r: DigitisedRow) -> dict[str, object]:
        return {"key": r.key, "label": r.label, "received": r.received,
                "digitised": r.digitised, "ratio": r.ratio, "results": r.results,
                "results_digitised": r.results_digitised, "results_ratio": r.results_ratio}

    return {"by": figures.by, "rows": [row(r) for r in figures.rows],
            "total": row(figures.total)}
