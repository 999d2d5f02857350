"""What every report's reading shares: one statement builder for both engines (placeholders,
dates as SQLite stores them, hours and durations in SQL), the office filter that keeps the
planner on the day's or the period's index, and the checks on what a report is asked for.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from typing import Any

from counter_tui.core.errors import UserError
from counter_tui.db.connection import is_sqlite
from counter_tui.db.models import Office
from counter_tui.services.store import Store

ALL_STATUSES = "(1, 2, 3, 4, 5, 6, 7, 8, 9, 10)"


_UNIXEPOCH = sqlite3.sqlite_version_info >= (3, 38, 0)  # unixepoch() came with 3.38


class Sql:
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

    def day(self, value: dt.date) -> str:
        """A day as the summary (dossier_tally) stores it: text on SQLite, a date otherwise."""
        return self.v(value.isoformat() if self.sqlite else value)

    def day_of(self, column: str) -> str:
        return f"substr({column}, 1, 10)" if self.sqlite else f"CAST({column} AS DATE)"

    def indexed_by(self, index: str) -> str:
        """The partial index a statement must read, named to SQLite's planner: without the
        statistics it is never given, it prefers a wider index with more of the query's
        columns (the office's dossiers waiting for supplements, 4.4 ms at a million, for
        the few paused late that dossier_paused_late holds, 0.01 ms). PostgreSQL's planner
        picks the partial index itself."""
        return f" INDEXED BY {index}" if self.sqlite else ""

    def raw(self, column: str) -> str:
        """A text column as SQLite's bytes (decoded once per distinct value, not per row)."""
        return f"CAST({column} AS BLOB)" if self.sqlite else column

    def hour(self, column: str) -> str:
        # date_part's double, not EXTRACT's NUMERIC: a third of the server's time for a day's
        # tickets went to numeric arithmetic
        return (f"CAST(substr({column}, 12, 2) AS INTEGER)" if self.sqlite
                else f"CAST(date_part('hour', {column}) AS INTEGER)")

    def seconds(self, earlier: str, later: str) -> str:
        """later - earlier in seconds (NULL if either is)."""
        if self.sqlite and _UNIXEPOCH:
            # half julianday's cost per timestamp (the board reads thousands); the store
            # writes whole seconds, so both give the same difference
            return f"(unixepoch({later}) - unixepoch({earlier}))"
        if self.sqlite:
            return f"ROUND((julianday({later}) - julianday({earlier})) * 86400)"
        # whole seconds, as the store writes them: an integer, not the NUMERIC EXTRACT gives
        # (a Decimal per value in Python, thousands of them for a busy day's board), from
        # date_part's double (numeric arithmetic on the server is slower still)
        return f"CAST(date_part('epoch', {later} - {earlier}) AS INTEGER)"

    def int_list(self, expr: str) -> str:
        """An aggregate: the group's values of the integer `expr`, NULLs left out, as one
        value (`ints` reads it back). A day's thousands of tickets then come back as a few
        dozen rows, not one row each to be sent, converted and tallied in Python."""
        if self.sqlite:
            return f"group_concat({expr})"
        return f"array_agg({expr}) FILTER (WHERE {expr} IS NOT NULL)"


def ints(value: str | list[int] | None) -> list[int]:
    """The values of an `int_list` aggregate."""
    if value is None:
        return []
    if isinstance(value, str):
        return [int(v) for v in value.split(",")]
    return value


def office_id_of(store: Store, office: str | None) -> int | None:
    if office is None:
        return None
    row = (Office.get_or_none(Office.code == office.strip())
           or Office.get_or_none(Office.name == office.strip()))
    if row is None:
        raise UserError("report.unknown_office", office=office)
    return int(row.id)


def office_filter(q: Sql, office_id: int | None) -> str:
    """One office, as a filter that never picks the index: `+office_id` (a no-op on the value,
    legal on both engines) tells SQLite not to seek on it. An index that starts with the office
    (0005's, for the worklists) would otherwise look selective to a planner without statistics
    and read the whole office instead of the day or the period."""
    return "" if office_id is None else offices_filter(q, (office_id,))


def offices_in(q: Sql, ids: tuple[int, ...], column: str = "office_id") -> str:
    """`column` is one of the offices `ids`: for one, what `= id` is to the planner (it seeks
    the index on it); for a district's every office, one seek per office."""
    return f"{column} IN ({', '.join(q.v(i) for i in ids)})"


def offices_filter(q: Sql, ids: tuple[int, ...]) -> str:
    """office_filter for the offices `ids`: a filter that never picks the index."""
    return f" AND +office_id IN ({', '.join(q.v(i) for i in ids)})"


def check_days(start: dt.date, end: dt.date) -> None:
    """A period asked for with its days the wrong way round is refused, not read empty."""
    if start > end:
        raise UserError("report.bad_range", start=start.isoformat(), end=end.isoformat())
