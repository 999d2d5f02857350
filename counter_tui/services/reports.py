"""The supervisor's figures from the store: the day board, the periodic report (Biểu II.06a),
the dossier register (Mẫu 06) and the day summary slip.

What each figure means is written once, in core.report (received, carried over, resolved, in
progress); `core.report.counting.class_at` is the on-time rule at the end of a period, built on
`core.ontime.classify`. The SQL here copies it literally (`_class_sql`), and the tests check,
dossier by dossier, that the two agree.

Scale: a province's year is a million dossiers, and a six-month report reads half of them. The
`dossier_report` index (migration 0004) holds every column the report needs, so a period is
read from the index alone. PostgreSQL groups and counts in SQL (hash aggregation); SQLite has
none (its GROUP BY sorts every row), so there the same rows are streamed from the cursor and
counted in Python, which is three times faster and holds only the counts, never the rows.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from counter_tui.core.errors import UserError
from counter_tui.core.i18n import messages, t
from counter_tui.core.ontime import FINISHED_STATUSES, OPEN_STATUSES, classify
from counter_tui.core.queue_rules import State
from counter_tui.core.report.arithmetic import Durations, day_bounds, same_day_last_year
from counter_tui.core.report.model import (
    CHANNELS,
    DIMENSIONS,
    CounterDay,
    DayBoard,
    GroupDay,
    OfficerDay,
    PeriodReport,
    PeriodRow,
    Tally,
    channel_label,
    rank_offices,
)
from counter_tui.core.report.model import total as sum_tallies
from counter_tui.core.report.slip import day_summary_slip
from counter_tui.core.report.tables import (
    day_tables,
    period_tables,
    register_headers,
    return_method_label,
    stamp,
)
from counter_tui.core.statuses import status_label
from counter_tui.core.text import fold
from counter_tui.services import dossiers, exports, printjobs
from counter_tui.services.exports import Exported
from counter_tui.services.store import Store
from db.connection import is_sqlite
from db.models import Office, Officer, Procedure

messages({
    "report.bad_range": (
        "Ngày bắt đầu {start} sau ngày kết thúc {end}", "The start {start} is after the end {end}"),
    "report.bad_by": ("Không có cách nhóm '{by}'. Chọn: {choices}",
                      "Cannot group by '{by}'. Choose: {choices}"),
    "report.unknown": ("(không rõ)", "(unknown)"),
    "report.unknown_office": ("Không có cơ quan '{office}' trong dữ liệu",
                              "There is no office '{office}' in the store"),
    "report.bad_target": (
        "targets.online_ratio = {value} không hợp lệ: nhập tỷ lệ từ 0 đến 1 (ví dụ 0.5)",
        "targets.online_ratio = {value} is not valid: give a share from 0 to 1 (e.g. 0.5)",
    ),
})

ALL_STATUSES = "(1, 2, 3, 4, 5, 6, 7, 8, 9, 10)"
FINISHED = "(3, 7, 8, 9, 10)"
OPEN = "(1, 2, 4, 5, 6)"
CLASS_NAMES = ("early", "on_time", "late", "in_time", "overdue")  # codes 0..4 of _class_sql
CHANNELS_BY_CODE = ("walk_in", "post", "online")  # any other channel counts as walk-in
DIMENSION_COLUMNS = {"field": "field", "procedure": "procedure_code", "officer": "officer",
                     "office": "office_id"}
REGISTER_CHUNK = 2000
ONLINE_LEVELS = ("toàn trình", "một phần")

assert set(FINISHED_STATUSES) == {3, 7, 8, 9, 10} and set(OPEN_STATUSES) == {1, 2, 4, 5, 6}


class _Sql:
    """Builds one statement: `v(value)` adds a parameter and returns its placeholder, in the
    order the text is written (f-strings evaluate left to right)."""

    def __init__(self, store: Store) -> None:
        self.sqlite = is_sqlite(store.db)
        self.mark = "?" if self.sqlite else "%s"
        self.args: list[Any] = []

    def v(self, value: Any) -> str:
        if self.sqlite and isinstance(value, dt.datetime):
            value = value.strftime("%Y-%m-%d %H:%M:%S")  # as peewee stores them
        self.args.append(value)
        return self.mark

    def day_of(self, column: str) -> str:
        return f"substr({column}, 1, 10)" if self.sqlite else f"CAST({column} AS DATE)"

    def raw(self, column: str) -> str:
        """A text column as SQLite's bytes (decoded once per distinct value, not per row)."""
        return f"CAST({column} AS BLOB)" if self.sqlite else column

    def hour(self, column: str) -> str:
        return (f"CAST(substr({column}, 12, 2) AS INTEGER)" if self.sqlite
                else f"CAST(EXTRACT(HOUR FROM {column}) AS INTEGER)")

    def seconds(self, earlier: str, later: str) -> str:
        """later - earlier in seconds (NULL if either is)."""
        if self.sqlite:
            return f"ROUND((julianday({later}) - julianday({earlier})) * 86400)"
        return f"EXTRACT(EPOCH FROM {later} - {earlier})"


def _class_sql(q: _Sql, end: dt.datetime, as_of: dt.datetime) -> str:
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


def _count(store: Store, q: _Sql, columns: list[str], where: str) -> Counter[tuple[Any, ...]]:
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


def _office_id(store: Store, office: str | None) -> int | None:
    if office is None:
        return None
    row = (Office.get_or_none(Office.code == office.strip())
           or Office.get_or_none(Office.name == office.strip()))
    if row is None:
        raise UserError("report.unknown_office", office=office)
    return int(row.id)


def _office_filter(q: _Sql, office_id: int | None) -> str:
    """One office, as a filter that never picks the index: `+office_id` (a no-op on the value,
    legal on both engines) tells SQLite not to seek on it. An index that starts with the office
    (0005's, for the worklists) would otherwise look selective to a planner without statistics
    and read the whole office instead of the day or the period."""
    return "" if office_id is None else f" AND +office_id = {q.v(office_id)}"


# --- the periodic report ----------------------------------------------------------------------


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
        q = _Sql(store)
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
        where += _office_filter(q, office_id)
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


def period(store: Store, start: dt.date, end: dt.date, *, by: str = "field",
           compare: bool = False, office: str | None = None) -> PeriodReport:
    """Biểu II.06a for the days start..end (both included), one row per `by` key."""
    if by not in DIMENSIONS:
        raise UserError("report.bad_by", by=by, choices=", ".join(DIMENSIONS))
    if start > end:
        raise UserError("report.bad_range", start=start.isoformat(), end=end.isoformat())
    now = store.now()
    with store.read():
        office_id = _office_id(store, office)
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


# --- the day board ----------------------------------------------------------------------------


def online_target(store: Store) -> float | None:
    """config.toml [targets] online_ratio as a share (0.5); a percentage (50) is accepted."""
    raw = (store.cfg.extra.get("targets") or {}).get("online_ratio")
    if raw is None or raw == "":
        return None
    try:
        value = float(raw)
    except (TypeError, ValueError):
        raise UserError("report.bad_target", value=raw) from None
    if 1 < value <= 100:
        value /= 100
    if not 0 <= value <= 1:
        raise UserError("report.bad_target", value=raw)
    return value


def _scalar(store: Store, q: _Sql, sql: str) -> int:
    row = store.db.execute_sql(sql, q.args).fetchone()
    return int(row[0] or 0) if row else 0


def _dossier_counts(store: Store, office_id: int, start: dt.datetime, end: dt.datetime,
                    as_of: dt.datetime) -> dict[str, int]:
    """Finished, returned, due, overdue and waiting-for-supplement counts of one office."""
    out: dict[str, int] = {}
    q = _Sql(store)
    out["resolved"] = _scalar(store, q, (
        f"SELECT COUNT(*) FROM dossier WHERE resolved_at >= {q.v(start)} "
        f"AND resolved_at < {q.v(end)}{_office_filter(q, office_id)}"))
    q = _Sql(store)
    out["returned"] = _scalar(store, q, (
        f"SELECT COUNT(*) FROM dossier WHERE returned_at >= {q.v(start)} "
        f"AND returned_at < {q.v(end)}{_office_filter(q, office_id)}"))
    q = _Sql(store)  # still to hand over today: open, or ready and waiting at the counter
    out["due"] = _scalar(store, q, (
        f"SELECT COUNT(*) FROM dossier WHERE office_id = {q.v(office_id)} "
        f"AND status IN (1, 2, 4, 5, 6, 9) AND due_at >= {q.v(start)} "
        f"AND due_at < {q.v(end)}"))
    q = _Sql(store)  # classify() == overdue, for the open statuses
    out["overdue"] = _scalar(store, q, (
        f"SELECT COUNT(*) FROM dossier WHERE office_id = {q.v(office_id)} "
        f"AND status IN (1, 2, 4, 6) AND due_at < {q.v(as_of)}")) + _scalar(
        store, (q2 := _Sql(store)), (
            f"SELECT COUNT(*) FROM dossier WHERE office_id = {q2.v(office_id)} "
            f"AND status = 5 AND paused_at > due_at"))
    q = _Sql(store)
    out["supplements"] = _scalar(store, q, (
        f"SELECT COUNT(*) FROM dossier WHERE office_id = {q.v(office_id)} AND status = 5"))
    return out


def _online_share(store: Store, office_id: int, start: dt.datetime, end: dt.datetime
                  ) -> float | None:
    q = _Sql(store)
    row = store.db.execute_sql(
        f"SELECT COUNT(*), SUM(CASE WHEN channel = 'online' THEN 1 ELSE 0 END) FROM dossier "
        f"WHERE status IN {ALL_STATUSES} AND received_at >= {q.v(start)} "
        f"AND received_at < {q.v(end)}{_office_filter(q, office_id)}", q.args).fetchone()
    return (int(row[1] or 0) / int(row[0])) if row and row[0] else None


def day_board(store: Store, day: dt.date | None = None) -> DayBoard:
    """The supervisor's board for one day (today by default) of this terminal's office.

    Everything read is bounded by the day (its dossiers, its tickets) or counted in an index
    (due, overdue, supplements), so it costs the same on a store of any size. Durations and
    hours are worked out in SQL, so Python only adds them up.
    """
    now = store.now()
    day = day or now.date()
    start, end = day_bounds(day)
    as_of = min(end, now)
    cfg = store.cfg
    with store.read():
        office = Office.get_or_none(Office.code == cfg.office.agency_code)
        office_id = int(office.id) if office else -1
        q = _Sql(store)
        received = list(store.db.execute_sql(
            f"SELECT channel, level, officer, counter, {q.hour('received_at')} FROM dossier "
            f"WHERE status IN {ALL_STATUSES} AND received_at >= {q.v(start)} "
            f"AND received_at < {q.v(end)}{_office_filter(q, office_id)}", q.args))
        counts = _dossier_counts(store, office_id, start, end, as_of)
        month = _online_share(store, office_id, day_bounds(day.replace(day=1))[0], end)
        q = _Sql(store)
        tickets = list(store.db.execute_sql(
            f"SELECT group_letter, state, counter, officer, {q.hour('issued_at')}, "
            f"{q.seconds('issued_at', 'called_at')}, CASE WHEN state = 'done' THEN "
            f"{q.seconds('COALESCE(serving_at, called_at)', 'finished_at')} END "
            f"FROM ticket WHERE day = {q.v(day)} AND state <> 'void'", q.args))
        officer_names = {o.code: o.name for o in Officer.select(Officer.code, Officer.name)}
    by_channel = Counter(r[0] for r in received)
    channels = tuple((c, by_channel.get(c, 0)) for c in CHANNELS) + tuple(
        (c, n) for c, n in sorted(by_channel.items()) if c not in CHANNELS)
    queue = _Queue(tickets)
    groups = [g.letter for g in cfg.groups]
    groups += sorted(set(queue.by_group) - set(groups))
    counters = [c.number for c in cfg.counters]
    dossiers_at = Counter(r[3] for r in received)
    counters += sorted((set(queue.by_counter) | set(dossiers_at)) - set(counters) - {None})
    dossiers_by = Counter(r[2] for r in received)
    officers = sorted((set(queue.by_officer) | set(dossiers_by)) - {None, ""})
    dossier_hours = [0] * 24
    for r in received:
        dossier_hours[int(r[4])] += 1
    return DayBoard(
        day=day, as_of=as_of, office=office.name if office else cfg.office.name,
        received_by_channel=channels,
        received_by_level=tuple(sorted(Counter(r[1] or "" for r in received).items())),
        resolved=counts["resolved"], returned=counts["returned"], due=counts["due"],
        overdue=counts["overdue"], supplements=counts["supplements"],
        online_target=online_target(store), online_month=month,
        groups=tuple(queue.group(g, (gc.name if (gc := cfg.group(g)) else g)) for g in groups),
        counters=tuple(queue.counter(n, (c.name if (c := cfg.counter(n)) else str(n)),
                                     dossiers_at.get(n, 0)) for n in counters),
        officers=tuple(queue.officer(o, officer_names.get(o, o), dossiers_by.get(o, 0))
                       for o in officers),
        wait=Durations.of(queue.all.waits), service=Durations.of(queue.all.services),
        tickets_per_hour=tuple(queue.hours), dossiers_per_hour=tuple(dossier_hours),
    )


class _Tally:
    """One group's, counter's or officer's tickets of the day: states and durations."""

    __slots__ = ("services", "states", "waits")

    def __init__(self) -> None:
        self.states: Counter[str] = Counter()
        self.waits: list[float] = []
        self.services: list[float] = []


DONE, WAITING, CALLED, SERVING, ABSENT = (s.value for s in (
    State.DONE, State.WAITING, State.CALLED, State.SERVING, State.ABSENT))


class _Queue:
    """The day's tickets (group, state, counter, officer, hour, wait s, service s) added up
    in one pass, per group, counter and officer."""

    def __init__(self, rows: list[tuple[Any, ...]]) -> None:
        self.all = _Tally()
        self.by_group: dict[str, _Tally] = {}
        self.by_counter: dict[int, _Tally] = {}
        self.by_officer: dict[str, _Tally] = {}
        self.hours = [0] * 24
        tallies: tuple[dict[Any, _Tally], ...] = (self.by_group, self.by_counter,
                                                  self.by_officer)
        for group, state, counter, officer, hour, wait, service in rows:
            self.hours[int(hour)] += 1
            for table, key in zip(tallies, (group, counter, officer), strict=True):
                if key is None or key == "":
                    continue
                tally = table.get(key)
                if tally is None:
                    tally = table[key] = _Tally()
                tally.states[state] += 1
                if wait is not None:  # PostgreSQL's EXTRACT(EPOCH ...) is a Decimal
                    tally.waits.append(float(wait))
                if service is not None:
                    tally.services.append(float(service))
        for tally in self.by_group.values():
            self.all.states.update(tally.states)
            self.all.waits += tally.waits
            self.all.services += tally.services

    def group(self, letter: str, name: str) -> GroupDay:
        g = self.by_group.get(letter, _Tally())
        return GroupDay(letter=letter, name=name, issued=sum(g.states.values()),
                        served=g.states[DONE], waiting=g.states[WAITING],
                        in_service=g.states[CALLED] + g.states[SERVING],
                        absent=g.states[ABSENT], wait=Durations.of(g.waits),
                        service=Durations.of(g.services))

    def counter(self, number: int, name: str, dossiers: int) -> CounterDay:
        c = self.by_counter.get(number, _Tally())
        return CounterDay(number=number, name=name, served=c.states[DONE],
                          absent=c.states[ABSENT], dossiers_received=dossiers,
                          wait=Durations.of(c.waits), service=Durations.of(c.services))

    def officer(self, code: str, name: str, dossiers: int) -> OfficerDay:
        o = self.by_officer.get(code, _Tally())
        return OfficerDay(code=code, name=name, served=o.states[DONE],
                          dossiers_received=dossiers, service=Durations.of(o.services))


def _as_datetime(value: Any) -> dt.datetime | None:
    """Raw SQL hands SQLite's stored text back as text; PostgreSQL gives datetimes."""
    if value is None or isinstance(value, dt.datetime):
        return value
    return dt.datetime.fromisoformat(str(value))


@dataclass(frozen=True)
class PrintedSummary:
    day: dt.date
    print_job: int


def print_day_summary(store: Store, day: dt.date | None = None) -> PrintedSummary:
    """Queue the day summary for this terminal's printer (the app prints it at once)."""
    board = day_board(store, day)
    slip = day_summary_slip(board, office=store.cfg.office.name, printed_at=store.now())
    with store.write():
        job = printjobs.enqueue(store, slip)
    return PrintedSummary(board.day, job)


# --- the dossier register (Mẫu 06) ----------------------------------------------------------------


def register(store: Store, start: dt.date, end: dt.date, *, office: str | None = None
             ) -> Iterator[tuple[Any, ...]]:
    """The register's lines (core.report.tables.REGISTER_COLUMNS) for dossiers received start..end,
    oldest first, read in pages so a year's register never sits in memory. Asking for it is
    recorded in the audit log at once: it holds applicants' personal data."""
    if start > end:
        raise UserError("report.bad_range", start=start.isoformat(), end=end.isoformat())
    with store.write():
        office_id = _office_id(store, office)
        offices = {o.id: o.name for o in Office.select(Office.id, Office.name)}
        dossiers.audit(store, "export:register", f"{start.isoformat()}..{end.isoformat()}")
    return _register_lines(store, day_bounds(start)[0], day_bounds(end)[1], office_id,
                           offices)


def _register_lines(store: Store, lo: dt.datetime, hi: dt.datetime, office_id: int | None,
                    offices: dict[int, str]) -> Iterator[tuple[Any, ...]]:
    now = store.now()
    number = 0
    after: tuple[Any, int] | None = None
    statuses = {code: status_label(code) for code in range(1, 11)}
    channels = {c: channel_label(c) for c in CHANNELS}
    methods: dict[str, str] = {}
    while True:
        q = _Sql(store)
        where = f"received_at >= {q.v(lo)} AND received_at < {q.v(hi)}"
        where += _office_filter(q, office_id)
        if after is not None:
            where += f" AND (received_at, id) > ({q.v(after[0])}, {q.v(after[1])})"
        with store.read():
            rows = list(store.db.execute_sql(
                "SELECT id, code, procedure_name, applicant_name, address, phone, office_id, "
                "channel, received_at, due_at, resolved_at, returned_at, return_method, status, "
                f"paused_at, note FROM dossier WHERE {where} ORDER BY received_at, id "
                f"LIMIT {REGISTER_CHUNK}", q.args))
        for row in rows:
            number += 1
            (_id, code, procedure, applicant, address, phone, office_key, channel, received,
             due, finished, returned, method, status, paused, note) = row
            received, due, finished, returned, paused = (
                _as_datetime(x) for x in (received, due, finished, returned, paused))
            cls = classify(status, due, finished, now, paused_at=paused) \
                if 1 <= status <= 10 else None
            if returned and method not in methods:
                methods[method] = return_method_label(method)
            yield (number, code, procedure, applicant, address, phone,
                   offices.get(office_key, ""), channels.get(channel, channel), received, due,
                   finished, returned, methods[method] if returned else "",
                   statuses.get(status) or status_label(status), cls.label if cls else "", "",
                   note)
        if len(rows) < REGISTER_CHUNK:
            return
        after = (rows[-1][8], rows[-1][0])


# --- files --------------------------------------------------------------------------------------


def export_day(store: Store, path: str, *, day: dt.date | None = None,
               fmt: str | None = None) -> Exported:
    """The day board as CSV or XLSX (chosen by `fmt`, else by the file name)."""
    fmt = exports.format_of(path, fmt)
    return exports.write_tables(path, day_tables(day_board(store, day)), fmt)


def export_period(store: Store, path: str, start: dt.date, end: dt.date, *,
                  by: str = "field", compare: bool = False, office: str | None = None,
                  fmt: str | None = None) -> Exported:
    fmt = exports.format_of(path, fmt)
    report = period(store, start, end, by=by, compare=compare, office=office)
    return exports.write_tables(path, period_tables(report), fmt)


def export_register(store: Store, path: str, start: dt.date, end: dt.date, *,
                    office: str | None = None, fmt: str | None = None) -> Exported:
    fmt = exports.format_of(path, fmt)
    lines = register(store, start, end, office=office)
    title = t("report.register.title", start=start.strftime("%d/%m/%Y"),
              end=end.strftime("%d/%m/%Y"))
    return exports.write_rows(path, "Mau 06", title, register_headers(), lines, fmt)


__all__ = ["Exported", "day_board", "export_day", "export_period", "export_register",
           "online_target", "period", "print_day_summary", "register", "stamp"]
