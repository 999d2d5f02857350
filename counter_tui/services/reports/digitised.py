"""The digitisation figures from the store (core/report/digitised.py says what they mean): a
query of their own beside the day board's and the period report's, so those stay as they are.

Each dossier of the period is one index lookup per checklist document in dossier_file's
unique index (dossier_id, stage, document); the period itself is read off dossier_report
(received) and dossier_resolved (results), as the other figures are.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from counter_tui.core.errors import UserError
from counter_tui.core.report.arithmetic import day_bounds
from counter_tui.core.report.digitised import Digitisation, DigitisedRow
from counter_tui.core.report.model import DIMENSIONS
from counter_tui.core.roles import Action
from counter_tui.db.models import Office
from counter_tui.services.authority import gated
from counter_tui.services.reports.periodic import DIMENSION_COLUMNS, _labels
from counter_tui.services.reports.sql import Sql, check_days, office_filter, office_id_of
from counter_tui.services.store import Store

# received on paper and accepted: not an online submission, not refused at the counter
PAPER = "channel IN ('walk_in', 'post') AND status IN (2, 4, 5, 6, 7, 8, 9, 10)"
ALL_RECEIVED_DIGITISED = (
    "NOT EXISTS (SELECT 1 FROM dossier_document dd WHERE dd.dossier_id = dossier.id "
    "AND NOT EXISTS (SELECT 1 FROM dossier_file f WHERE f.dossier_id = dossier.id "
    "AND f.stage = 'received' AND f.document = dd.name)) "
    "AND EXISTS (SELECT 1 FROM dossier_file f WHERE f.dossier_id = dossier.id "
    "AND f.stage = 'received')")
RESULT_DIGITISED = ("EXISTS (SELECT 1 FROM dossier_file f WHERE f.dossier_id = dossier.id "
                    "AND f.stage = 'result')")


def _text(value: Any) -> Any:
    return bytes(value).decode() if isinstance(value, bytes | memoryview) else value


@gated(Action.REPORT_VIEW)
def digitised(store: Store, start: dt.date, end: dt.date | None = None, *, by: str = "field",
              office: str | None = None, own_office: bool = False) -> Digitisation:
    """The figures of the days start..end (both included) per `by`; `own_office`: this
    terminal's office only (the day board's)."""
    end = end or start
    if by not in DIMENSIONS:
        raise UserError("report.bad_by", by=by, choices=", ".join(DIMENSIONS))
    check_days(start, end)
    lo, hi = day_bounds(start)[0], day_bounds(end)[1]
    column = DIMENSION_COLUMNS[by]
    with store.read():
        if own_office:
            row = Office.get_or_none(Office.code == store.cfg.office.agency_code)
            office_id: int | None = int(row.id) if row else -1
        else:
            office_id = office_id_of(store, office)
        q = Sql(store)
        received = store.db.execute_sql(
            f"SELECT {column}, COUNT(*), SUM(CASE WHEN {ALL_RECEIVED_DIGITISED} THEN 1 ELSE 0 "
            f"END) FROM dossier WHERE received_at >= {q.v(lo)} AND received_at < {q.v(hi)} "
            f"AND {PAPER}{office_filter(q, office_id)} GROUP BY {column}", q.args).fetchall()
        q = Sql(store)
        results = store.db.execute_sql(
            f"SELECT {column}, COUNT(*), SUM(CASE WHEN {RESULT_DIGITISED} THEN 1 ELSE 0 END) "
            f"FROM dossier WHERE resolved_at >= {q.v(lo)} AND resolved_at < {q.v(hi)} "
            f"AND status IN (9, 10){office_filter(q, office_id)} GROUP BY {column}",
            q.args).fetchall()
        figures: dict[Any, list[int]] = {}
        for key, n, done in received:
            figures.setdefault(_text(key), [0, 0, 0, 0])[0:2] = [int(n), int(done or 0)]
        for key, n, done in results:
            figures.setdefault(_text(key), [0, 0, 0, 0])[2:4] = [int(n), int(done or 0)]
        labels = _labels(by, set(figures))
    rows = tuple(sorted((DigitisedRow(str(k), labels[k], *v) for k, v in figures.items()),
                        key=lambda r: (r.label, r.key)))
    return Digitisation(start, end, by, rows)
