"""The periodic report (Biểu II.06a) from the store: one row per field, procedure, officer or
office, last year's period beside it, and the offices' ranking.

What each figure means is written once, in core.report; `core.report.counting.class_at` is the
on-time rule at the end of a period, built on `core.ontime.classify`. The SQL here copies it
literally (`_class_sql`), and the tests check, dossier by dossier, that the two agree.

Scale: a province's year is a million dossiers, and a six-month report handles half of them.
Their counts come from the summary the database keeps (dossier_tally, migration 0011: why
triggers, and what each column holds): finished dossiers by their final class, open running
ones by their due day, so a period reads a few tens of thousands of counts. Only what the
summary cannot tell is read from the dossiers, each an index range (`dossier_report`,
`dossier_resolved`, 0004; `dossier_ticking_due`, 0011; on PostgreSQL `dossier_span`, 0021,
for those in progress at the period's start): the period's edges, the dossiers due on the day
it is judged, and those waiting for supplements. PostgreSQL groups and counts in
SQL (hash aggregation); SQLite has none (its GROUP BY sorts every row), so there those rows
are streamed from the cursor and counted in Python, which holds only the counts.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable
from typing import Any

from counter_tui.core.errors import UserError
from counter_tui.core.i18n import t
from counter_tui.core.ontime import FINISHED_STATUSES, OPEN_STATUSES
from counter_tui.core.records import frozen
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
    Sql,
    check_days,
    office_filter,
    office_id_of,
)
from counter_tui.services.store import Store

FINISHED = "(3, 7, 8, 9, 10)"
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


@frozen
class _Counts:
    tallies: dict[Any, Tally]
    by_office: dict[Any, Tally]
    online_procedures: frozenset[str]


class _Adding:
    """Tallies per key of the report's dimension (and per office), added up from rows of
    (key, population, class code, channel code, office, n)."""

    def __init__(self, with_offices: bool) -> None:
        self.tallies: dict[Any, Tally] = {}
        self.offices: dict[Any, Tally] = {}
        self.with_offices = with_offices

    def add(self, key: Any, kind: str, cls: int, channel: int, office: Any, n: int) -> None:
        name, channel_name = CLASS_NAMES[cls], CHANNELS_BY_CODE[channel]
        self.tallies[key] = self.tallies.get(key, Tally()).counted(kind, channel_name, name, n)
        if self.with_offices:
            self.offices[office] = self.offices.get(office, Tally()).counted(
                kind, channel_name, name, n)


CHANNEL_CODE = "CASE channel WHEN 'post' THEN 1 WHEN 'online' THEN 2 ELSE 0 END"
# received before a moment and finished at or after it: the span contains it (PostgreSQL's
# GiST index dossier_span, migration 0021; the condition as the index's, word for word)
SPAN = "tsrange(received_at, resolved_at, '(]')"


def _period_counts(store: Store, by: str, start: dt.datetime, end: dt.datetime,
                   as_of: dt.datetime, office_id: int | None, with_offices: bool) -> _Counts:
    """Tallies per key of `by` for the dossiers the period [start, end) handles.

    Most come from the summary (dossier_tally, migration 0011): finished dossiers received in
    the period by their final class, and open ones whose clock runs by their due day. Read
    live from the dossiers, each a range of an index: the period's edges (finished after its
    end, so still in progress at it; carried over from before its start and finished since),
    those due on the very day it is judged, and those waiting for supplements (their class
    hangs on when the wait began)."""
    dim = DIMENSION_COLUMNS[by]
    out = _Adding(with_offices)
    first, last = start.date(), (end - dt.timedelta(days=1)).date()
    judged = as_of.date()
    edge = as_of != dt.datetime.combine(judged, dt.time())  # judged during a day, not at 0:00

    def summary(where: Callable[[Sql], str]) -> Any:
        q = Sql(store)  # parameters in the order of the text: the columns' before the filter's
        office_col = ", office_id" if with_offices else ""
        head = (f"SELECT {dim}, state, channel, received_day >= {q.day(first)}, "
                f"due_day < {q.day(judged)}, due_day = {q.day(judged)}{office_col}, SUM(n) "
                f"FROM dossier_tally WHERE ")
        return store.db.execute_sql(
            f"{head}{where(q)}{office_filter(q, office_id)} "
            f"GROUP BY {dim}, state, channel, 4, 5, 6{office_col}", q.args)

    # finished dossiers received in the period: their class for good
    for row in summary(lambda q: f"state IN (0, 1, 2) AND received_day >= {q.day(first)} "
                                 f"AND received_day <= {q.day(last)}"):
        out.add(_text(row[0]), "new", row[1], row[2], row[6] if with_offices else None,
                int(row[-1]))
    # open and running, received by the period's end: overdue if due before the day judged
    for row in summary(lambda q: f"state = 5 AND received_day <= {q.day(last)}"):
        if edge and row[5]:
            continue  # due on the day judged: read live below
        out.add(_text(row[0]), "new" if row[3] else "carried", 4 if row[4] else 3, row[2],
                row[6] if with_offices else None, int(row[-1]))

    def live(q: Sql, columns: list[str], where: str) -> Counter[tuple[Any, ...]]:
        return _count(store, q, [q.raw(dim) if dim != "office_id" else dim, *columns,
                                 "office_id" if with_offices else "0"],
                      where + office_filter(q, office_id))

    # received in the period, finished only after its end: in progress at the end. Found
    # through what finished after the end (dossier_resolved), a few weeks' worth for a recent
    # period, not through everything received in it: SQLite's planner, which cannot tell the
    # two ranges' sizes apart, is kept off the received_at range with a unary +
    q = Sql(store)
    received = "+received_at" if q.sqlite else "received_at"
    for row, n in live(q, [_final_class_sql(q), f"CASE WHEN {q.v(as_of)} > due_at THEN 4 "
                           "ELSE 3 END", CHANNEL_CODE],
                       f"status IN {FINISHED} AND resolved_at >= {q.v(end)} "
                       f"AND {received} >= {q.v(start)} AND {received} < {q.v(end)}"
                       ).items():
        key = _text(row[0])
        out.add(key, "new", row[1], row[3], row[4], -n)
        out.add(key, "new", row[2], row[3], row[4], n)
    # open and running, due on the day judged
    if edge:
        day_start, day_end = dt.datetime.combine(judged, dt.time()), \
            dt.datetime.combine(judged, dt.time()) + dt.timedelta(days=1)
        q = Sql(store)
        for row, n in live(q, [f"received_at >= {q.v(start)}",
                               f"CASE WHEN {q.v(as_of)} > due_at THEN 4 ELSE 3 END",
                               CHANNEL_CODE],
                           f"status IN (1, 2, 4, 6) AND due_at >= {q.v(day_start)} "
                           f"AND due_at < {q.v(day_end)} AND received_at < {q.v(end)}"
                           ).items():
            out.add(_text(row[0]), "new" if row[1] else "carried", row[2], row[3], row[4], n)
    # waiting for supplements, and carried over from before the start and finished since
    for population in ("supplements", "carried_finished"):
        q = Sql(store)  # parameters in the order of the text
        new = f"received_at >= {q.v(start)}"
        klass = _waiting_class_sql(q, as_of) if population == "supplements" \
            else _class_sql(q, end, as_of)
        columns = [new, f"({klass})", CHANNEL_CODE]
        if population == "supplements":
            where = f"status = 5 AND received_at < {q.v(end)}"
        elif q.sqlite:
            where = (f"resolved_at >= {q.v(start)} AND received_at < {q.v(start)} "
                     f"AND status IN {FINISHED}")
        else:  # in progress at the start: the span index (dossier_span, migration 0021)
            where = (f"{SPAN} @> {q.v(start)}::timestamp AND status IN {FINISHED} "
                     "AND resolved_at > received_at")
        for row, n in live(q, columns, where).items():
            out.add(_text(row[0]), "new" if row[1] else "carried", row[2], row[3], row[4], n)
    return _Counts(out.tallies, out.offices,
                   _online_procedures(store, first, last, office_id))


def _waiting_class_sql(q: Sql, as_of: dt.datetime) -> str:
    """_class_sql's branches for a dossier waiting for supplements (status 5) alone: the
    same class, without testing every other status first on each of the rows (a province's
    five years hold 300,000 of them)."""
    return f"""CASE
      WHEN paused_at IS NULL OR paused_at < {q.v(as_of)} THEN
          CASE WHEN paused_at > due_at THEN 4 ELSE 3 END
      WHEN {q.v(as_of)} > due_at THEN 4
      ELSE 3 END"""


def _final_class_sql(q: Sql) -> str:
    """A finished dossier's class for good: _class_sql with no period end in the way (the
    summary's state, migration 0011)."""
    return f"""CASE
      WHEN status IN (9, 10) THEN CASE
          WHEN resolved_at > due_at THEN 2
          WHEN {q.day_of('resolved_at')} < {q.day_of('due_at')} THEN 0
          ELSE 1 END
      WHEN status = 8 THEN CASE WHEN resolved_at > due_at THEN 2 ELSE 1 END
      ELSE 1 END"""


def _online_procedures(store: Store, first: dt.date, last: dt.date,
                       office_id: int | None) -> frozenset[str]:
    """The procedures with an online dossier received in the period (any status)."""
    q = Sql(store)
    rows = store.db.execute_sql(
        f"SELECT DISTINCT procedure_code FROM dossier_tally WHERE state IN (0, 1, 2, 5, 6) "
        f"AND received_day >= {q.day(first)} AND received_day <= {q.day(last)} "
        f"AND channel = 2{office_filter(q, office_id)}", q.args)
    return frozenset(_text(r[0]) for r in rows)


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
