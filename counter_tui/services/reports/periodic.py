"""The periodic report (Biểu II.06a) from the store: one row per field, procedure, officer or
office, last year's period beside it, and the offices' ranking.

What each figure means is written once, in core.report; `core.report.counting.class_at` is the
on-time rule at the end of a period, built on `core.ontime.classify`. The SQL here copies it
literally (`_class_sql`), and the tests check, dossier by dossier, that the two agree.

Scale: a province's year is a million dossiers, and a six-month report reads half of them. The
`dossier_report` index (migration 0004) holds every column the report needs, so a period is
read from the index alone. PostgreSQL groups and counts in SQL (hash aggregation); SQLite has
none (its GROUP BY sorts every row), so there the same rows are streamed from the cursor and
counted in Python, which is three times faster and holds only the counts, never the rows.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from typing import Any

from counter_tui.core.errors import UserError
from counter_tui.core.i18n import t
from counter_tui.core.ontime import FINISHED_STATUSES, OPEN_STATUSES
from counter_tui.core.report.arithmetic import day_bounds, same_day_last_year
from counter_tui.core.report.model import DIMENSIONS, PeriodReport, PeriodRow, Tally, rank_offices
from counter_tui.core.report.model import total as sum_tallies
from counter_tui.core.report.tables import period_tables
from counter_tui.core.roles import Action
from counter_tui.core.text import fold
from counter_tui.db.models import Office, Officer, Procedure
from counter_tui.services import exports
from counter_tui.services.authority import gated
from counter_tui.services.exports import Exported
from counter_tui.services.reports.sql import (
    ALL_STATUSES,
    Sql,
    check_days,
    office_filter,
    office_id_of,
)
from counter_tui.services.store import Store

FINISHED = "(3, 7, 8, 9, 10)"
OPEN = "(1, 2, 4, 5, 6)"
CLASS_NAMES = ("early", "on_time", "late", "in_time", "overdue")  # codes 0..4 of _class_sql
CHANNELS_BY_CODE = ("walk_in", "post", "online")  # any other channel counts as walk-in
DIMENSION_COLUMNS = {"field": "field", "procedure": "procedure_code", "officer": "officer",
                     "office": "office_id"}
ONLINE_LEVELS = ("toàn trình", "một phần")

assert set(FINISHED_STATUSES) == {3, 7, 8, 9, 10} and set(OPEN_STATUSES) == {1, 2, 4, 5, 6}


def _class_sql(q: Sql, end: dt.datetime, as_of: dt.datetime) -> str:
    """core.report.counting.class_at as SQL: 0 early, 1 on time, 2 late, 3 in time, 4 overdue.

    Branches in the order of class_at (the commonest status first only where the branches
    cannot overlap). NULL comparisons fall to ELSE, which is classify's rule for missing data.
    """
    done = "(resolved_at IS NULL OR resolved_at < {e})"
    return f"""CASE
      WHEN status IN (9, 10) AND {done.format(e=q.v(end))} THEN CASE
          WHEN resolved_at > due_at THEN 2
          WHEN {q.day_of('resolved_at')} < {q.day_of('due_at')} THEN 0
          ELSE 1 END
      WHEN status IN (3, 7) AND {done.format(e=q.v(end))} THEN 1
      WHEN status = 8 AND {done.format(e=q.v(end))} THEN
          CASE WHEN resolved_at > due_at THEN 2 ELSE 1 END
      WHEN status = 5 AND (paused_at IS NULL OR paused_at < {q.v(as_of)}) THEN
          CASE WHEN paused_at > due_at THEN 4 ELSE 3 END
      WHEN {q.v(as_of)} > due_at THEN 4
      ELSE 3 END"""


def _text(value: Any) -> Any:
    return value.decode() if isinstance(value, bytes) else value


def _count(store: Store, q: Sql, columns: list[str], where: str) -> Counter[tuple[Any, ...]]:
    """How many rows share each combination of values of `columns`."""
    n = len(columns)
    if q.sqlite:
        cursor = store.db.execute_sql(
            f"SELECT {', '.join(columns)} FROM dossier WHERE {where}", q.args)
        return Counter(cursor)  # streamed: only the distinct keys are kept
    groups = ", ".join(str(i) for i in range(1, n + 1))
    cursor = store.db.execute_sql(
        f"SELECT {', '.join(columns)}, COUNT(*) FROM dossier WHERE {where} GROUP BY {groups}",
        q.args)
    return Counter({tuple(row[:n]): row[n] for row in cursor})


@dataclass(frozen=True)
class _Counts:
    tallies: dict[Any, Tally]
    by_office: dict[Any, Tally]
    online_procedures: frozenset[str]


def _period_counts(store: Store, by: str, start: dt.datetime, end: dt.datetime,
                   as_of: dt.datetime, office_id: int | None, with_offices: bool) -> _Counts:
    """Tallies per key of `by` for the dossiers the period [start, end) handles."""
    dim = DIMENSION_COLUMNS[by]
    tallies: dict[Any, Tally] = {}
    offices: dict[Any, Tally] = {}
    online: set[str] = set()
    for population in ("new", "carried_open", "carried_finished"):
        q = Sql(store)
        cls = _class_sql(q, end, as_of)
        # class and channel as one small number, text as bytes on SQLite: half a million
        # rows cross into Python, and small ints and undecoded bytes cost least there
        columns = [q.raw(dim) if dim != "office_id" else dim,
                   f"({cls}) * 3 + CASE channel WHEN 'post' THEN 1 WHEN 'online' THEN 2 "
                   "ELSE 0 END",
                   f"CASE WHEN channel = 'online' THEN {q.raw('procedure_code')} END",
                   *(["office_id"] if with_offices else [])]
        if population == "new":
            where = (f"status IN {ALL_STATUSES} AND received_at >= {q.v(start)} "
                     f"AND received_at < {q.v(end)}")
        elif population == "carried_open":  # open now, so open at the start too
            where = f"status IN {OPEN} AND received_at < {q.v(start)}"
        else:  # finished, but after the start
            where = (f"resolved_at >= {q.v(start)} AND received_at < {q.v(start)} "
                     f"AND status IN {FINISHED}")
        where += office_filter(q, office_id)
        kind = "new" if population == "new" else "carried"
        for row, n in _count(store, q, columns, where).items():
            key, procedure = _text(row[0]), _text(row[2])
            name, channel = CLASS_NAMES[row[1] // 3], CHANNELS_BY_CODE[row[1] % 3]
            tallies[key] = tallies.get(key, Tally()).counted(kind, channel, name, n)
            if with_offices:
                offices[row[3]] = offices.get(row[3], Tally()).counted(kind, channel, name, n)
            if procedure is not None and kind == "new":
                online.add(procedure)
    return _Counts(tallies, offices, frozenset(online))


def _labels(by: str, keys: set[Any]) -> dict[Any, str]:
    unknown = t("report.unknown")
    names: dict[Any, str]
    if by == "office":
        names = {o.id: o.name for o in Office.select(Office.id, Office.name)}
        return {k: names.get(k, str(k)) for k in keys}
    if by == "officer":
        names = {o.code: o.name for o in Officer.select(Officer.code, Officer.name)}
        return {k: (f"{names[k]} ({k})" if k in names else (k or unknown)) for k in keys}
    if by == "procedure":
        names = {p.code: p.name for p in Procedure.select(Procedure.code, Procedure.name)}
        return {k: (f"{k} - {names[k]}" if k in names else (k or unknown)) for k in keys}
    return {k: k or unknown for k in keys}


@gated(Action.REPORT_VIEW)
def period(store: Store, start: dt.date, end: dt.date, *, by: str = "field",
           compare: bool = False, office: str | None = None) -> PeriodReport:
    """Biểu II.06a for the days start..end (both included), one row per `by` key."""
    if by not in DIMENSIONS:
        raise UserError("report.bad_by", by=by, choices=", ".join(DIMENSIONS))
    check_days(start, end)
    now = store.now()
    with store.read():
        office_id = office_id_of(store, office)
        several = office_id is None and by != "office" and Office.select().count() > 1
        lo, hi = day_bounds(start)[0], day_bounds(end)[1]
        as_of = min(hi, now)
        current = _period_counts(store, by, lo, hi, as_of, office_id, several)
        previous: _Counts | None = None
        prev_start = prev_end = None
        if compare:
            prev_start, prev_end = same_day_last_year(start), same_day_last_year(end)
            plo, phi = day_bounds(prev_start)[0], day_bounds(prev_end)[1]
            previous = _period_counts(store, by, plo, phi, min(phi, now), office_id, False)
        keys = set(current.tallies) | (set(previous.tallies) if previous else set())
        labels = _labels(by, keys)
        office_labels = _labels("office", set(current.by_office)) if several else {}
        offered = {p.code for p in Procedure.select(Procedure.code).where(
            Procedure.active & Procedure.level.in_(ONLINE_LEVELS))}
    rows = tuple(sorted(
        (PeriodRow(str(k), labels[k], current.tallies.get(k, Tally()),
                   previous.tallies.get(k, Tally()) if previous else None) for k in keys),
        key=lambda r: (fold(r.label), r.key)))
    if by == "office":
        ranked = rank_offices(rows) if len(rows) > 1 else ()
    else:
        ranked = rank_offices([PeriodRow(str(k), office_labels[k], tally)
                               for k, tally in current.by_office.items()]) \
            if len(current.by_office) > 1 else ()
    return PeriodReport(
        start=start, end=end, by=by, as_of=as_of, rows=rows,
        total=sum_tallies(r.tally for r in rows),
        previous_total=sum_tallies(previous.tallies.values()) if previous else None,
        previous_start=prev_start, previous_end=prev_end,
        procedures_offered_online=len(offered),
        procedures_with_online=len(current.online_procedures & offered),
        ranking=ranked,
    )


@gated(Action.REPORT_EXPORT)
def export_period(store: Store, path: str, start: dt.date, end: dt.date, *,
                  by: str = "field", compare: bool = False, office: str | None = None,
                  fmt: str | None = None) -> Exported:
    fmt = exports.format_of(path, fmt)
    report = period(store, start, end, by=by, compare=compare, office=office)
    return exports.write_tables(path, period_tables(report), fmt)
