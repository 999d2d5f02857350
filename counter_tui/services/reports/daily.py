"""The day board from the store: one day of one office, its dossiers and its tickets per group,
counter and officer, as the supervisor's screen shows it and the day summary prints it.

Everything read is bounded by the day or counted in an index, so the board costs the same on a
store of any size.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from counter_tui.core.errors import UserError
from counter_tui.core.i18n import t
from counter_tui.core.queue_rules import HANDED_OUT, State
from counter_tui.core.records import frozen
from counter_tui.core.report.arithmetic import Durations, day_bounds
from counter_tui.core.report.model import CHANNELS, CounterDay, DayBoard, GroupDay, OfficerDay
from counter_tui.core.report.slip import day_summary_slip
from counter_tui.core.report.tables import day_tables
from counter_tui.core.roles import Action
from counter_tui.core.text import fold
from counter_tui.db.models import Office, Officer
from counter_tui.services import exports, printjobs
from counter_tui.services.authority import gated
from counter_tui.services.exports import Exported
from counter_tui.services.reports.sql import (
    ALL_STATUSES,
    Sql,
    ints,
    office_id_of,
    offices_filter,
    offices_in,
)
from counter_tui.services.store import Store

# the tickets a citizen holds: one whose slip is not out yet (or void) is not counted
HANDED_OUT_SQL = "(" + ", ".join(f"'{state}'" for state in HANDED_OUT) + ")"
ALL_OFFICES = "*"  # day_board's office: every office in the store (a district's centre)


@frozen
class OfficeChoice:
    code: str
    name: str
    own: bool  # this terminal's office


@gated(Action.REPORT_VIEW)
def offices(store: Store) -> tuple[OfficeChoice, ...]:
    """The offices whose day the board can show: this terminal's first, then the others by
    name (on a district's centre, every office that syncs to it)."""
    own = store.cfg.office.agency_code
    with store.read():
        rows = [(str(o.code), str(o.name)) for o in Office.select(Office.code, Office.name)]
    found = sorted((OfficeChoice(code, name, code == own) for code, name in rows),
                   key=lambda o: (not o.own, fold(o.name), o.code))
    return tuple(found)


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


def _scalar(store: Store, q: Sql, sql: str) -> int:
    row = store.db.execute_sql(sql, q.args).fetchone()
    return int(row[0] or 0) if row else 0


def _dossier_counts(store: Store, ids: tuple[int, ...], start: dt.datetime, end: dt.datetime,
                    as_of: dt.datetime) -> dict[str, int]:
    """Finished, returned, due, overdue and waiting-for-supplement counts of the offices
    `ids` (one, or every office of a district's centre: an index seek per office)."""
    out: dict[str, int] = {}
    q = Sql(store)
    out["resolved"] = _scalar(store, q, (
        f"SELECT COUNT(*) FROM dossier WHERE resolved_at >= {q.v(start)} "
        f"AND resolved_at < {q.v(end)}{offices_filter(q, ids)}"))
    q = Sql(store)
    out["returned"] = _scalar(store, q, (  # on (office_id, returned_at): 0022
        f"SELECT COUNT(*) FROM dossier WHERE {offices_in(q, ids)} AND returned_at >= "
        f"{q.v(start)} AND returned_at < {q.v(end)}"))
    q = Sql(store)  # still to hand over today: open, or ready and waiting at the counter
    out["due"] = _scalar(store, q, (
        f"SELECT COUNT(*) FROM dossier WHERE {offices_in(q, ids)} "
        f"AND status IN (1, 2, 4, 5, 6, 9) AND due_at >= {q.v(start)} "
        f"AND due_at < {q.v(end)}"))
    # classify() == overdue, for the open statuses: those due before today from the open
    # dossiers by due day (dossier_backlog, migration 0021), those due earlier today from the
    # dossiers
    day_start = dt.datetime.combine(as_of.date(), dt.time())
    q = Sql(store)
    out["overdue"] = _scalar(store, q, (
        f"SELECT SUM(n) FROM dossier_backlog WHERE state = 5 AND {offices_in(q, ids)} "
        f"AND due_day < {q.day(as_of.date())}")) + _scalar(store, (q1 := Sql(store)), (
        f"SELECT COUNT(*) FROM dossier WHERE {offices_in(q1, ids)} "
        f"AND status IN (1, 2, 4, 6) AND due_at >= {q1.v(day_start)} "
        f"AND due_at < {q1.v(as_of)}")) + _scalar(
        store, (q2 := Sql(store)), (
            f"SELECT COUNT(*) FROM dossier{q2.indexed_by('dossier_paused_late')} "
            f"WHERE {offices_in(q2, ids)} AND status = 5 AND paused_at > due_at"))
    q = Sql(store)  # waiting for supplements: dossier_backlog's one row an office
    out["supplements"] = _scalar(store, q, (
        f"SELECT SUM(n) FROM dossier_backlog WHERE state = 6 AND {offices_in(q, ids)}"))
    return out


def _returned_by_officer(store: Store, ids: tuple[int, ...], start: dt.datetime,
                         end: dt.datetime) -> Counter[str]:
    """Results handed over that day, per officer who handed them over: the officer of the
    hand-over step (its event), not the one who received the dossier. Read through the
    office's dossiers returned that day (their index), so it costs the same on a store of any
    size; a dossier imported as already returned has no such step, so it counts in the day's
    total only."""
    q = Sql(store)
    rows = store.db.execute_sql(
        f"SELECT e.officer, COUNT(DISTINCT d.id) FROM dossier d "
        f"JOIN dossier_event e ON e.dossier_id = d.id AND e.to_status = 10 "
        f"AND e.at >= {q.v(start)} AND e.at < {q.v(end)} "
        f"WHERE {offices_in(q, ids, 'd.office_id')} AND d.returned_at >= {q.v(start)} "
        f"AND d.returned_at < {q.v(end)} GROUP BY e.officer", q.args)
    return Counter({officer: int(n) for officer, n in rows if officer})


def _online_share(store: Store, ids: tuple[int, ...], first: dt.date, last: dt.date
                  ) -> float | None:
    """The share of online dossiers among those received on the days first..last, from the
    summary (dossier_tally, migration 0011): a month is a few thousand counts, not the tens
    of thousands of dossiers it holds."""
    q = Sql(store)
    row = store.db.execute_sql(
        f"SELECT SUM(n), SUM(CASE WHEN channel = 2 THEN n ELSE 0 END) FROM dossier_tally "
        f"WHERE state IN (0, 1, 2, 5, 6) AND received_day >= {q.day(first)} "
        f"AND received_day <= {q.day(last)}{offices_filter(q, ids)}", q.args).fetchone()
    return (int(row[1] or 0) / int(row[0])) if row and row[0] else None


@gated(Action.REPORT_VIEW)
def day_board(store: Store, day: dt.date | None = None, *, office: str | None = None
              ) -> DayBoard:
    """The supervisor's board for one day (today by default) of this terminal's office, or of
    `office` (its agency code or name: on the district's centre, any office that syncs to it,
    whose tickets carry it as their origin), or of every office in the store (ALL_OFFICES).

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
        origins: tuple[str, ...] | None  # whose tickets; None: everyone's
        if office == ALL_OFFICES:
            office_row = None
            ids = tuple(int(o.id) for o in Office.select(Office.id)) or (-1,)
            origins = None
        elif office is None:
            office_row = Office.get_or_none(Office.code == cfg.office.agency_code)
            ids = (int(office_row.id) if office_row else -1,)
            origins = ("", cfg.office.agency_code)  # "": this store's own
        else:
            office_row = Office.get_by_id(office_id_of(store, office))
            ids = (int(office_row.id),)
            origins = (str(office_row.code),)
        q = Sql(store)
        received = list(store.db.execute_sql(
            f"SELECT channel, level, officer, counter, {q.hour('received_at')} FROM dossier "
            f"WHERE status IN {ALL_STATUSES} AND received_at >= {q.v(start)} "
            f"AND received_at < {q.v(end)}{offices_filter(q, ids)}", q.args))
        counts = _dossier_counts(store, ids, start, end, as_of)
        returned_by = _returned_by_officer(store, ids, start, end)
        month = _online_share(store, ids, day.replace(day=1), day)
        q = Sql(store)
        service = (f"CASE WHEN state = 'done' THEN "
                   f"{q.seconds('COALESCE(serving_at, called_at)', 'finished_at')} END")
        sql = (f"SELECT group_letter, counter, officer, state, COUNT(*), "
               f"{q.int_list(q.hour('issued_at'))}, "
               f"{q.int_list(q.seconds('issued_at', 'called_at'))}, {q.int_list(service)} "
               f"FROM ticket WHERE day = {q.v(day)} AND state IN {HANDED_OUT_SQL}")
        if origins is not None:  # after the rest: the values are bound in the order written
            sql += f" AND origin IN ({', '.join(q.v(o) for o in origins)})"
        tickets = list(store.db.execute_sql(
            sql + " GROUP BY group_letter, counter, officer, state", q.args))
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
    officers = sorted((set(queue.by_officer) | set(dossiers_by) | set(returned_by))
                      - {None, ""})
    dossier_hours = [0] * 24
    for r in received:
        dossier_hours[int(r[4])] += 1
    return DayBoard(
        day=day, as_of=as_of, office=office_row.name if office_row else (
            t("report.all_offices") if office == ALL_OFFICES else cfg.office.name),
        received_by_channel=channels,
        received_by_level=tuple(sorted(Counter(r[1] or "" for r in received).items())),
        resolved=counts["resolved"], returned=counts["returned"], due=counts["due"],
        overdue=counts["overdue"], supplements=counts["supplements"],
        online_target=online_target(store), online_month=month,
        groups=tuple(queue.group(g, (gc.name if (gc := cfg.group(g)) else g)) for g in groups),
        counters=tuple(queue.counter(n, (c.name if (c := cfg.counter(n)) else str(n)),
                                     dossiers_at.get(n, 0)) for n in counters),
        officers=tuple(queue.officer(o, officer_names.get(o, o), dossiers_by.get(o, 0),
                                     returned_by.get(o, 0)) for o in officers),
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

    def add(self, state: str, n: int, waits: list[int], services: list[int]) -> None:
        self.states[state] += n
        self.waits += waits
        self.services += services


DONE, WAITING, CALLED, SERVING, ABSENT = (s.value for s in (
    State.DONE, State.WAITING, State.CALLED, State.SERVING, State.ABSENT))


class _Queue:
    """The day's tickets added up per group, counter and officer. They come counted per
    group, counter, officer and state, each count with its tickets' hours and durations
    (Sql.int_list): a busy day is thousands of tickets and the board is refreshed every few
    seconds, so SQL does the per-ticket work and Python adds up a few dozen rows."""

    def __init__(self, rows: list[tuple[Any, ...]]) -> None:
        self.all = _Tally()
        self.hours = [0] * 24
        self.by_group: dict[str, _Tally] = {}
        self.by_counter: dict[int, _Tally] = {}
        self.by_officer: dict[str, _Tally] = {}
        for group, counter, officer, state, n, hours, waits, services in rows:
            for hour, count in Counter(ints(hours)).items():
                self.hours[hour] += count
            waits, services = ints(waits), ints(services)
            for key, tallies in ((group, self.by_group), (counter, self.by_counter),
                                 (officer, self.by_officer)):
                if key is not None and key != "":  # a ticket without one is left out
                    tally = tallies.get(key) or tallies.setdefault(key, _Tally())
                    tally.add(state, n, waits, services)
            if group:
                self.all.add(state, n, waits, services)

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

    def officer(self, code: str, name: str, dossiers: int, returned: int) -> OfficerDay:
        o = self.by_officer.get(code, _Tally())
        return OfficerDay(code=code, name=name, served=o.states[DONE],
                          dossiers_received=dossiers, dossiers_returned=returned,
                          service=Durations.of(o.services))


@frozen
class PrintedSummary:
    day: dt.date
    print_job: int


@gated(Action.REPORT_VIEW)
def print_day_summary(store: Store, day: dt.date | None = None) -> PrintedSummary:
    """Queue the day summary for this terminal's printer (the app prints it at once)."""
    board = day_board(store, day)
    slip = day_summary_slip(board, office=store.cfg.office.name, printed_at=store.now())
    with store.write():
        job = printjobs.enqueue(store, slip)
    return PrintedSummary(board.day, job)


@gated(Action.REPORT_EXPORT)
def export_day(store: Store, path: str, *, day: dt.date | None = None,
               fmt: str | None = None, office: str | None = None) -> Exported:
    """The day board (of `office`, as day_board) as CSV or XLSX (chosen by `fmt`, else by
    the file name)."""
    fmt = exports.format_of(path, fmt)
    return exports.write_tables(path, day_tables(day_board(store, day, office=office)), fmt)
