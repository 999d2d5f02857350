"""Loading past dossiers from another system, so "same period last year" works from day one.

`counter-tui dossier import FILE.csv` reads a CSV file (the first line names the columns, in
any order; other columns are ignored). The file may be UTF-8 with or without a byte-order
mark, Excel's "Unicode Text" (UTF-16, tabs) or Windows-1258, with commas, tabs or semicolons
between columns (services.csvfile); anything else is refused whole before a row is stored,
naming the line of the first byte that cannot be read and how to save the file as UTF-8:

    code            the dossier code (unique: a code already stored is skipped, so importing
                    the same file twice adds nothing the second time)
    office          the receiving office: its agency code or its name; a name not yet known
                    is added as a new office
    procedure_code  the catalogue code; a code not in the catalogue is kept as it is, with no
                    field (the report lists those dossiers under "(unknown)")
    channel         walk_in | post | online
    level           empty, toàn trình | một phần | không trực tuyến, or 4 | 3 | 2
    applicant_name  the applicant (personal data, like every dossier)
    received_at     ISO date and time (2025-03-14 09:30[:00] or 2025-03-14T09:30)
    due_at          the appointment; empty if none; a date alone means the end of that day
    resolved_at     when the result was ready, or the dossier refused / withdrawn / stopped:
                    required for statuses 3, 7, 8, 9, 10, not allowed for open ones
    returned_at     when the result was handed over (status 10 only); may be empty
    status          the national portal's code, 1 to 10

Times may carry a UTC offset; they are stored as local office time, like every time in the
store. A row that cannot be used is not stored, and the report says its line (where its
record starts in the file), its code and why; that includes a record the csv module cannot
read (a field over its size limit, usually a quote never closed), after which reading goes on.

Rows are stored in batches of 10,000, one transaction each, so the counters are never held up
for the length of a province's import. If storing stops part-way (a full disk, a lost server,
Ctrl+C), the message says exactly which lines are stored; running the same import again adds
the rest, since a code already stored is skipped.

Open dossiers (statuses 1, 2, 4, 5, 6) come in as open: the report counts them, and says how
many of this office's are already past their due date, since those appear at once as overdue
on the day board and in the overdue worklist until their status is brought up to date.

Speed: rows are checked in Python and written one batch per statement, from a writer thread
while the next batch is checked (on PostgreSQL two writers, each storing a batch in a server
process of its own). On SQLite the checking thread binds the batch into an
in-memory database whose image the writer attaches and inserts from (db/bulk.py says why),
with the name search and the reports' summary filled once for the batch rather than by
their row triggers; on PostgreSQL COPY into a temporary table and one INSERT ... SELECT.
Search names are folded on the way. tests/perf/bench_reports.py measures 100,000 rows on
either engine.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import logging
import operator
import re
import threading
import time
import unicodedata
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from counter_tui.core.codes import parse_dossier_code
from counter_tui.core.errors import UserError
from counter_tui.core.i18n import t
from counter_tui.core.limits import limit
from counter_tui.core.ontime import OnTime, classify
from counter_tui.core.records import frozen
from counter_tui.core.roles import Action
from counter_tui.core.text import clean, fold
from counter_tui.db import bulk
from counter_tui.db.connection import is_sqlite
from counter_tui.db.models import Dossier, Office, Procedure
from counter_tui.services import audit
from counter_tui.services.authority import gated
from counter_tui.services.csvfile import open_csv
from counter_tui.services.store import Store, StoreUnavailable, describe_failure

COLUMNS = ("code", "office", "procedure_code", "channel", "level", "applicant_name",
           "received_at", "due_at", "resolved_at", "returned_at", "status")
CHANNELS = ("walk_in", "post", "online")
LEVELS = {"toan trinh": "toàn trình", "4": "toàn trình", "mot phan": "một phần",
          "3": "một phần", "khong truc tuyen": "không trực tuyến", "2": "không trực tuyến",
          "1": "không trực tuyến", "": ""}
FINISHED = frozenset({3, 7, 8, 9, 10})
BATCH = 10_000

log = logging.getLogger(__name__)


@dataclass
class HistoryImport:
    """What an import did: counts, the refused rows (line, code, reason), new offices."""

    added: int = 0
    already: int = 0
    rejected: list[tuple[int, str, str]] = field(default_factory=list)
    offices_created: list[str] = field(default_factory=list)
    unknown_procedures: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0
    encoding: str = "utf-8"
    open_total: int = 0  # open dossiers added (statuses 1, 2, 4, 5, 6)
    open_overdue: int = 0  # of this office, already overdue now
    open_elsewhere: int = 0  # of other offices
    done: list[tuple[int, int]] = field(default_factory=list)  # line ranges settled

    @property
    def open_in_time(self) -> int:
        return self.open_total - self.open_overdue - self.open_elsewhere

    def summary(self) -> str:
        return t("history.summary", added=self.added, already=self.already,
                 rejected=len(self.rejected), offices=len(self.offices_created),
                 seconds=self.seconds)

    def open_summary(self) -> str:
        """How the open dossiers brought in will count ("" when there are none)."""
        if not self.open_total:
            return ""
        return t("history.open", open=self.open_total, overdue=self.open_overdue,
                 in_time=self.open_in_time, elsewhere=self.open_elsewhere)

    def stored_lines(self) -> str:
        """The lines whose rows are settled (stored, already there or refused), as ranges."""
        ranges: list[list[int]] = []
        for first, last in sorted(self.done):
            if ranges and first <= ranges[-1][1] + 1:
                ranges[-1][1] = max(ranges[-1][1], last)
            else:
                ranges.append([first, last])
        if not ranges:
            return t("history.stored_none")
        lines = ", ".join(f"{a}–{b}" if a != b else str(a) for a, b in ranges)
        return t("history.stored_lines", lines=lines, added=self.added)


_CODE_MAX = limit("dossier.code")
_OFFICE_MAX = limit("office.name")
_PROCEDURE_MAX = limit("dossier.procedure_code")
_NAME_MAX = limit("dossier.applicant_name")


class _Refused(ValueError):
    pass


class _Skipped(Exception):
    """A batch not stored because one before it failed."""


def _parse_time(raw: str, column: str, *, end_of_day: bool = False) -> dt.datetime | None:
    if not raw:
        return None
    try:
        if len(raw) == 10:
            day = dt.date.fromisoformat(raw)
            moment = dt.datetime.combine(day, dt.time(23, 59, 59) if end_of_day else dt.time())
        else:
            moment = dt.datetime.fromisoformat(raw)
    except ValueError:
        raise _Refused(t("history.row.time", column=column, value=raw)) from None
    if moment.tzinfo is not None:
        moment = moment.astimezone().replace(tzinfo=None)
    return moment.replace(microsecond=0) if moment.microsecond else moment


def _fold_table() -> dict[int, str]:
    """Every Latin letter with marks (Vietnamese among them) -> what core.text.fold makes of
    it, so a clean name folds with one str.translate."""
    return {cp: fold(chr(cp)) for cp in (*range(0xC0, 0x250), *range(0x1E00, 0x1F00))
            if chr(cp).isalpha()}


_FOLD = _fold_table()


def _fold_name(text: str) -> str:
    """core.text.fold(text), for text already clean: the table where it covers every letter,
    fold itself otherwise."""
    folded = text.translate(_FOLD)
    return folded.lower() if folded.isascii() else fold(text)


# offices and levels: a handful of values, row after row (names are nearly all different, so
# a cache in front of _fold_name would only cost them)
_fold = lru_cache(maxsize=4096)(_fold_name)


def _clean(text: str) -> str:
    """core.text.clean, with a fast way through for text that is already clean (most is)."""
    # printable text holds no control or format character (what clean removes: zero-width
    # and direction marks, BOM) and no whitespace but the ASCII space; clean then only
    # collapses and trims spaces and composes to NFC
    if text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " " \
            and (text.isascii() or unicodedata.is_normalized("NFC", text)):
        return text
    return clean(text)


_clean_short = lru_cache(maxsize=4096)(_clean)  # offices, procedure codes: few values


@frozen
class _ProcedureInfo:
    id: int | None
    name: str
    field: str


class _Offices:
    """Offices by agency code and by folded name; new names are added on first use."""

    def __init__(self) -> None:
        self.by_code: dict[str, int] = {}
        self.by_name: dict[str, int] = {}
        for office in Office.select(Office.id, Office.code, Office.name):
            self.by_code[office.code] = office.id
            self.by_name.setdefault(fold(office.name), office.id)
        self.created: list[str] = []

    def lookup(self, value: str) -> int | None:
        return self.by_code.get(value) or self.by_code.get(value.upper()) or \
            self.by_name.get(_fold(value))

    def create(self, name: str) -> int:
        """Inside the caller's transaction: a new office named `name`."""
        slug = re.sub(r"[^A-Z0-9]+", ".", fold(name).upper()).strip(".")[:34] or "OFFICE"
        code, n = f"IMP.{slug}", 1
        while code in self.by_code:
            n += 1
            code = f"IMP.{slug}.{n}"
        office_id = int(Office.insert(code=code, name=name).execute())
        self.by_code[code] = office_id
        self.by_name[fold(name)] = office_id
        self.created.append(name)
        return office_id


@gated(Action.DOSSIER_IMPORT)
def import_csv(store: Store, source: Path | str) -> HistoryImport:
    """Add the dossiers of a history file; see the module doc for the columns."""
    started = time.perf_counter()
    path = Path(source)
    opened = open_csv(path, COLUMNS)
    report = HistoryImport(encoding=opened.encoding)
    with opened.stream:
        rows = _rows(opened.reader(), report)
        header = [clean(h).lower() for h in next(rows, (1, []))[1]]
        missing = [c for c in COLUMNS if c not in header]
        if missing:
            raise UserError("history.missing_columns", columns=", ".join(missing),
                            expected=", ".join(COLUMNS))
        where = tuple(header.index(c) for c in COLUMNS)
        with store.read():
            procedures = {p.code: _ProcedureInfo(p.id, p.name, p.field) for p in
                          Procedure.select(Procedure.id, Procedure.code, Procedure.name,
                                           Procedure.field)}
            offices = _Offices()
        try:
            _store_batches(store, rows, where, procedures, offices, report)
        except (Exception, KeyboardInterrupt) as exc:
            raise _interrupted(store, exc, report) from exc
    report.offices_created = offices.created
    report.seconds = time.perf_counter() - started
    with store.write():
        audit.record(store, "import:dossiers",
                       f"{path.name}: +{report.added} ={report.already} "
                       f"x{len(report.rejected)}")
    return report


def _interrupted(store: Store, exc: BaseException, report: HistoryImport) -> UserError:
    """What an import stopped part-way says: why, and exactly which lines are stored."""
    described = describe_failure(exc, store.cfg.database.url)
    kind: type[UserError]
    if described is not None:
        reason, kind = str(described), StoreUnavailable
    elif isinstance(exc, UserError | KeyboardInterrupt):
        reason, kind = str(exc) or "Ctrl+C", UserError
    else:  # a bug: the log keeps it
        log.error("import stopped", exc_info=exc)
        reason, kind = type(exc).__name__, UserError
    return kind("history.interrupted", reason=reason.rstrip("."),
                stored=report.stored_lines())


def _rows(reader: Any, report: HistoryImport) -> Iterator[tuple[int, list[str]]]:
    """(line, row) of each record of a csv reader, the line being where the record starts in
    the file. A record the csv module cannot read is refused with its reason, and reading
    goes on after it."""
    last = reader.line_num
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            report.rejected.append((last + 1, "", _csv_reason(exc)))
            report.done.append((last + 1, reader.line_num))
            last = reader.line_num
            continue
        start, last = last + 1, reader.line_num
        yield start, row


def _csv_reason(exc: csv.Error) -> str:
    text = str(exc)
    if "field larger than field limit" in text:
        return t("history.row.field_too_large", limit=f"{csv.field_size_limit():,}")
    if "NUL" in text:
        return t("history.row.nul")
    return t("history.row.unreadable", reason=text)


def _store_batches(store: Store, rows: Iterable[tuple[int, list[str]]], where: tuple[int, ...],
                   procedures: dict[str, _ProcedureInfo], offices: _Offices,
                   report: HistoryImport) -> None:
    """Check and store the rows batch by batch; report.done grows as each batch is settled."""
    seen: dict[str, int] = {}
    # A writer thread stores one batch while this thread reads and checks the next, so the
    # engine and Python work at once: PostgreSQL is another process, and SQLite lets go of
    # the interpreter while it works on a row. PostgreSQL stores two batches at once, each in
    # a server process of its own (storing is its slower half: indexes, the summary's
    # trigger); SQLite has one writer. At most one batch more than writers is in memory.
    writers = 1 if is_sqlite(store.db) else 2
    failed = threading.Event()

    def write(values: list[Any] | bulk.Staged) -> int:
        # after a failure, the batches handed over behind it are not stored, so the lines
        # stored are the ones before it (and, on PostgreSQL, the batch being stored beside
        # it, if that one succeeds: report.done says exactly which)
        if failed.is_set():
            raise _Skipped
        try:
            return _write(store, values)
        except BaseException:
            failed.set()
            raise

    with ThreadPoolExecutor(max_workers=writers, thread_name_prefix="history-import") as writer:
        pending: deque[tuple[tuple[int, int], int, Future[int]]] = deque()

        def drain() -> None:  # before this thread writes too (a new office): one writer
            while pending:
                _settle(report, *pending.popleft())

        try:
            for batch in _batches(rows, BATCH):
                lines = (batch[0][0], batch[-1][0])
                checked = _check_batch(store, batch, where, seen, report)
                values = _prepare(store, checked, procedures, offices, report, drain)
                if not values:
                    report.done.append(lines)
                    continue
                pending.append((lines, len(values), writer.submit(write, values)))
                while len(pending) > writers:
                    _settle(report, *pending.popleft())
            drain()
        except BaseException:
            for lines, tried, future in pending:  # batches handed over before the failure
                if not future.cancel():
                    with contextlib.suppress(Exception):
                        _settle(report, lines, tried, future)
            raise


def _settle(report: HistoryImport, lines: tuple[int, int], tried: int,
            future: Future[int]) -> None:
    _count_added(report, tried, future.result())
    report.done.append(lines)


def _batches(rows: Iterable[tuple[int, list[str]]], size: int
             ) -> Iterator[list[tuple[int, list[str]]]]:
    """The rows in lists of `size` (the last one shorter)."""
    batch: list[tuple[int, list[str]]] = []
    for item in rows:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _required(raw: str, column: str, limit: int, clean_text: Any = None) -> str:
    text = (clean_text or _clean)(raw)
    if not text:
        raise _Refused(t("history.row.empty", column=column))
    if len(text) > limit:
        raise _Refused(t("history.row.too_long", column=column, limit=limit))
    return text


@lru_cache(maxsize=8)
def _picker(where: tuple[int, ...]) -> tuple[Callable[[list[str]], tuple[str, ...]], int]:
    """The values at `where` of a row, in one call; and how many columns that reads."""
    return operator.itemgetter(*where), max(where) + 1


def _future(column: str, moment: dt.datetime) -> _Refused:
    return _Refused(t("history.row.future", column=column, value=moment.isoformat(sep=" ")))


def _check(line: list[str], where: tuple[int, ...], now: dt.datetime
           ) -> tuple[str, str, str, str, str, str, int, dt.datetime, dt.datetime | None,
                      dt.datetime | None, dt.datetime | None]:
    """The row's values, checked: code, office, procedure, channel, level, name, status,
    received, due, resolved, returned (`where`: their positions, in COLUMNS' order). Raises
    _Refused with the reason."""
    pick, width = _picker(where)
    if len(line) < width:
        line = line + [""] * (width - len(line))
    (code_raw, office_raw, procedure_raw, channel_raw, level_raw, name_raw, received_raw,
     due_raw, resolved_raw, returned_raw, status_raw) = pick(line)
    raw_code = _required(code_raw, "code", _CODE_MAX)
    # a well-formed code is stored as format_dossier_code writes it: compact, upper case
    # (most files already write it so, and then it needs no parsing)
    compact = raw_code.replace(" ", "").upper()
    code = compact if compact == raw_code or parse_dossier_code(raw_code) else raw_code
    office = _required(office_raw, "office", _OFFICE_MAX, _clean_short)
    procedure = _required(procedure_raw, "procedure_code", _PROCEDURE_MAX,
                          _clean_short).upper()
    channel = channel_raw.strip().lower()
    if channel not in CHANNELS:
        raise _Refused(t("history.row.channel", value=channel_raw.strip()))
    level = LEVELS.get(_fold(level_raw.strip()))
    if level is None:
        raise _Refused(t("history.row.level", value=level_raw.strip()))
    name = _required(name_raw, "applicant_name", _NAME_MAX)
    raw_status = status_raw.strip()
    if not raw_status.isdigit() or not 1 <= int(raw_status) <= 10:
        raise _Refused(t("history.row.status", value=raw_status))
    status = int(raw_status)
    received = _parse_time(received_raw.strip(), "received_at")
    if received is None:
        raise _Refused(t("history.row.empty", column="received_at"))
    due = _parse_time(due_raw.strip(), "due_at", end_of_day=True)
    resolved = _parse_time(resolved_raw.strip(), "resolved_at")
    returned = _parse_time(returned_raw.strip(), "returned_at")
    # tested one by one, not by a loop over tuples built for every row
    if received > now:
        raise _future("received_at", received)
    if resolved is not None and resolved > now:
        raise _future("resolved_at", resolved)
    if returned is not None and returned > now:
        raise _future("returned_at", returned)
    if due is not None and due < received:
        raise _Refused(t("history.row.before", column="due_at"))
    if resolved is not None and resolved < received:
        raise _Refused(t("history.row.before", column="resolved_at"))
    if returned is not None and returned < received:
        raise _Refused(t("history.row.before", column="returned_at"))
    if status in FINISHED and resolved is None:
        raise _Refused(t("history.row.needs_resolved", status=status))
    if status not in FINISHED and resolved is not None:
        raise _Refused(t("history.row.open_resolved", status=status))
    if returned is not None and status != 10:
        raise _Refused(t("history.row.returned_status"))
    if returned is not None and resolved is not None and returned < resolved:
        raise _Refused(t("history.row.returned_before"))
    return (code, office, procedure, channel, level, name, status, received, due, resolved,
            returned)


def _check_batch(store: Store, batch: list[tuple[int, list[str]]], where: tuple[int, ...],
                 seen: dict[str, int], report: HistoryImport) -> list[tuple[Any, ...]]:
    """The batch's usable rows; the others go to report.rejected with their reason."""
    now = store.now()
    checked = []
    for number, line in batch:
        try:
            row = _check(line, where, now)
        except _Refused as exc:
            if not "".join(line).strip():
                continue  # a blank line (spreadsheets leave them at the end)
            code = clean(line[where[0]]) if where[0] < len(line) else ""
            report.rejected.append((number, code, str(exc)))
            continue
        first = seen.get(row[0])
        if first is not None:
            report.rejected.append((number, row[0], t("history.row.duplicate", line=first)))
            continue
        seen[row[0]] = number
        checked.append(row)
    return checked


def _prepare(store: Store, checked: list[tuple[Any, ...]],
             procedures: dict[str, _ProcedureInfo], offices: _Offices,
             report: HistoryImport, drain: Callable[[], None]) -> list[Any] | bulk.Staged:
    """The records to store for the rows whose code is not stored yet (on SQLite, staged for
    the writer: db/bulk.py); offices not yet known are added here (in their own
    transaction)."""
    if not checked:
        return []
    sqlite = is_sqlite(store.db)
    with store.read():
        stored = _existing(store, [row[0] for row in checked])
    report.already += len(stored)
    fresh = [row for row in checked if row[0] not in stored]
    if not fresh:
        return []
    # each office named in the batch, looked up once (a batch names a handful, row after row)
    office_of = {name: offices.lookup(name) for name in {row[1] for row in fresh}}
    unknown = dict.fromkeys(row[1] for row in fresh if office_of[row[1]] is None)
    if unknown:
        drain()
        with store.write():
            for name in unknown:  # in the order the file names them
                if offices.lookup(name) is None:  # not a second spelling of one just added
                    offices.create(name)
                office_of[name] = offices.lookup(name)
    _count_open(store, fresh, office_of, offices.lookup(store.cfg.office.agency_code), report)
    values = []
    for row in fresh:
        info = procedures.get(row[2])
        if info is None:
            report.unknown_procedures[row[2]] += 1
            info = _ProcedureInfo(None, row[2], "")
        values.append(_record(row, office_of[row[1]] or 0, info, sqlite))
    return bulk.sqlite_stage(values, len(_GIVEN)) if sqlite else values


def _count_open(store: Store, fresh: list[tuple[Any, ...]], office_of: dict[str, int | None],
                own: int | None, report: HistoryImport) -> None:
    """Count the open dossiers about to be added: this office's overdue ones will show at
    once on the day board and in the overdue worklist (core.ontime's rule, judged now)."""
    now = store.now()
    for row in fresh:
        status, due = row[6], row[8]
        if status in FINISHED:
            continue
        report.open_total += 1
        if own is None or office_of[row[1]] != own:
            report.open_elsewhere += 1
        elif classify(status, due, None, now) is OnTime.OVERDUE:
            report.open_overdue += 1


def _write(store: Store, values: list[Any] | bulk.Staged) -> int:
    """One transaction: the batch's new dossiers; returns how many were added (codes
    already stored are skipped by the database too)."""
    if isinstance(values, bulk.Staged):
        # the stage is attached before the transaction: SQLite attaches only outside one
        with store.db.connection_context(), \
                bulk.sqlite_staged(store.db.connection(), values) as rows, store.write():
            cursor = store.db.cursor()
            return bulk.sqlite_batch(
                cursor, lambda: int(cursor.execute(_SQLITE_INSERT.format(rows=rows)).rowcount))
    with store.write():
        return _insert_postgres(store, values)


def _count_added(report: HistoryImport, tried: int, added: int) -> None:
    report.added += added
    report.already += tried - added  # stored meanwhile by another terminal


def _existing(store: Store, codes: list[str]) -> set[str]:
    if not is_sqlite(store.db):
        return {r[0] for r in store.db.execute_sql(
            "SELECT code FROM dossier WHERE code = ANY(%s)", (codes,))}
    found: set[str] = set()
    for i in range(0, len(codes), 900):
        chunk = codes[i:i + 900]
        marks = ", ".join("?" * len(chunk))
        found.update(r[0] for r in store.db.execute_sql(
            f"SELECT code FROM dossier WHERE code IN ({marks})", chunk))
    return found


# What an imported row says goes into _GIVEN's columns; every other column of the dossier
# table gets the model's default, written once into the statement as a constant (so each row
# binds 19 values, not 50, and columns other features add later are filled too).
_GIVEN = ("code", "office", "procedure", "procedure_code", "procedure_name", "field", "channel",
          "level", "status", "applicant_name", "applicant_folded", "received_at", "due_at",
          "original_due_at", "resolved_at", "returned_at", "officer", "note", "return_method")


def _literal(value: Any, sqlite: bool) -> str:
    """A model default as an SQL constant (defaults are the code's, never the file's)."""
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return ("1" if value else "0") if sqlite else ("TRUE" if value else "FALSE")
    if isinstance(value, int | float):
        return repr(value)
    return "'" + str(value).replace("'", "''") + "'"


@lru_cache(maxsize=2)
def _statement(sqlite: bool) -> tuple[str, str]:
    """The given columns, and the INSERT's column list and trailing constants."""
    fields = {f.name: f for f in Dossier._meta.sorted_fields if f.name != "id"}
    given = ", ".join(f'"{fields[n].column_name}"' for n in _GIVEN)
    rest = [f for n, f in fields.items() if n not in _GIVEN]
    names = ", ".join([given, *(f'"{f.column_name}"' for f in rest)])
    constants = ", ".join(_literal(f.default() if callable(f.default) else f.default, sqlite)
                          for f in rest)
    return given, f"INSERT INTO dossier ({names}) " + "{rows}" + (
        f", {constants}" if constants else "")


_SQLITE_INSERT = _statement(True)[1].replace(
    "{rows}", f"SELECT {bulk.stage_columns(len(_GIVEN))}").replace("{", "{{").replace(
    "}", "}}") + " FROM {rows} WHERE true ON CONFLICT (code) DO NOTHING"


def _record(row: tuple[Any, ...], office_id: int, info: _ProcedureInfo, sqlite: bool) -> Any:
    """_GIVEN's values: a tuple for SQLite's stage, a line of COPY text for PostgreSQL. Times
    are the text both take (peewee stores a datetime so on SQLite: seconds only, _parse_time)."""
    (code, _office, procedure, channel, level, name, status, received, due, resolved,
     returned) = row
    due_text = _iso(due)
    values = (code, office_id, info.id, procedure, info.name, info.field, channel, level,
              status, name, _fold_name(name), received.isoformat(" "), due_text, due_text,
              _iso(resolved), _iso(returned), "", "", "counter")
    return values if sqlite else _copy_line(values)


def _iso(moment: dt.datetime | None) -> str | None:
    return None if moment is None else moment.isoformat(" ")


def _copy_line(values: tuple[Any, ...]) -> str:
    """The values as a line of COPY text, joined at once: checked text holds no tab, line
    break or control character, so a line whose only backslashes are its NULLs and with one
    tab between each value needs no escaping (the rare other one is written value by value)."""
    line = "\t".join([v if v.__class__ is str else _NULL if v is None else str(v)
                      for v in values])
    if line.count("\\") != values.count(None) or line.count("\t") != len(values) - 1 \
            or "\n" in line or "\r" in line:
        return "\t".join([_copy_text(v) for v in values])
    return line


_NULL = "\\N"  # COPY's NULL
_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_text(value: Any) -> str:
    """One value in PostgreSQL's COPY text format."""
    if value is None:
        return _NULL
    if isinstance(value, str):
        return value.translate(_COPY_ESCAPES)
    if isinstance(value, dt.datetime):
        return value.isoformat(" ")
    return str(value)


def _insert_postgres(store: Store, values: list[str]) -> int:
    """Insert the rows through COPY into a temporary table, one statement for the batch
    instead of one per row; returns how many were added."""
    given, insert = _statement(False)
    cursor = store.db.cursor()
    cursor.execute(f"CREATE TEMPORARY TABLE dossier_import ON COMMIT DROP AS SELECT {given} "
                   "FROM dossier WITH NO DATA")
    cursor.copy_expert(f"COPY dossier_import ({given}) FROM STDIN",
                       io.StringIO("\n".join(values) + "\n"))
    cursor.execute(insert.replace("{rows}", f"SELECT {given}") + " FROM dossier_import "
                   "ON CONFLICT (code) DO NOTHING")
    return int(cursor.rowcount)
