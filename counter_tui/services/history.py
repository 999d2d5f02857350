"""Loading past dossiers from another system, so "same period last year" works from day one.

`counter-tui dossier import FILE.csv` reads a CSV file (UTF-8, with or without BOM; the first
line names the columns, in any order; other columns are ignored):

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
store. A row that cannot be used is not stored, and the report says its line, its code and
why. Rows are stored in batches of 10,000, one transaction each: an interrupted import keeps
the batches already stored, and running it again adds the rest.

Speed: rows are checked in Python and written one batch per statement: `executemany` on
SQLite; on PostgreSQL COPY into a temporary table and one INSERT ... SELECT, from a writer
thread while the next batch is checked. Search names are folded on the way. 100,000 rows take
about five seconds on either engine (tests/perf/bench_reports.py).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import time
import unicodedata
from collections import Counter, deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from counter_tui.core.codes import parse_dossier_code
from counter_tui.core.errors import UserError
from counter_tui.core.i18n import messages, t
from counter_tui.core.text import clean, fold
from counter_tui.services import dossiers
from counter_tui.services.store import Store
from db.connection import is_sqlite
from db.models import Dossier, Office, Procedure

COLUMNS = ("code", "office", "procedure_code", "channel", "level", "applicant_name",
           "received_at", "due_at", "resolved_at", "returned_at", "status")
CHANNELS = ("walk_in", "post", "online")
LEVELS = {"toan trinh": "toàn trình", "4": "toàn trình", "mot phan": "một phần",
          "3": "một phần", "khong truc tuyen": "không trực tuyến", "2": "không trực tuyến",
          "1": "không trực tuyến", "": ""}
FINISHED = frozenset({3, 7, 8, 9, 10})
BATCH = 10_000

messages({
    "history.unreadable": ("Không đọc được tệp {path}: {reason}",
                           "Cannot read the file {path}: {reason}"),
    "history.missing_columns": (
        "Tệp thiếu cột: {columns}. Dòng đầu phải có: {expected}",
        "The file lacks columns: {columns}. The first line must have: {expected}",
    ),
    "history.summary": (
        "Đã thêm {added} hồ sơ, {already} hồ sơ đã có (bỏ qua), {rejected} dòng bị từ chối, "
        "{offices} cơ quan mới; {seconds:.1f} giây",
        "Added {added} dossiers, {already} already stored (skipped), {rejected} rows refused, "
        "{offices} new offices; {seconds:.1f} s",
    ),
    "history.row.empty": ("thiếu {column}", "{column} is empty"),
    "history.row.too_long": ("{column} dài quá {limit} ký tự",
                             "{column} is over {limit} characters"),
    "history.row.channel": ("kênh '{value}' không hợp lệ (walk_in | post | online)",
                            "channel '{value}' is not valid (walk_in | post | online)"),
    "history.row.level": (
        "mức độ '{value}' không hợp lệ (toàn trình | một phần | không trực tuyến)",
        "level '{value}' is not valid (toàn trình | một phần | không trực tuyến)",
    ),
    "history.row.status": ("trạng thái '{value}' phải là số từ 1 đến 10",
                           "status '{value}' must be a number from 1 to 10"),
    "history.row.time": ("{column} '{value}' không phải ngày giờ ISO (2025-03-14 09:30)",
                         "{column} '{value}' is not an ISO date and time (2025-03-14 09:30)"),
    "history.row.future": ("{column} {value} ở tương lai", "{column} {value} is in the future"),
    "history.row.before": ("{column} trước thời điểm tiếp nhận",
                           "{column} is before the dossier was received"),
    "history.row.returned_before": ("returned_at trước resolved_at",
                                    "returned_at is before resolved_at"),
    "history.row.needs_resolved": (
        "trạng thái {status} (đã kết thúc) cần resolved_at",
        "status {status} (finished) needs resolved_at",
    ),
    "history.row.open_resolved": (
        "trạng thái {status} còn đang giải quyết nhưng có resolved_at",
        "status {status} is still open but resolved_at is given",
    ),
    "history.row.returned_status": (
        "returned_at chỉ dùng cho trạng thái 10 (đã trả kết quả)",
        "returned_at is only for status 10 (result returned)",
    ),
    "history.row.duplicate": ("mã hồ sơ lặp lại trong tệp (dòng {line})",
                              "dossier code repeated in the file (line {line})"),
})


@dataclass
class HistoryImport:
    """What an import did: counts, the refused rows (line, code, reason), new offices."""

    added: int = 0
    already: int = 0
    rejected: list[tuple[int, str, str]] = field(default_factory=list)
    offices_created: list[str] = field(default_factory=list)
    unknown_procedures: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0

    def summary(self) -> str:
        return t("history.summary", added=self.added, already=self.already,
                 rejected=len(self.rejected), offices=len(self.offices_created),
                 seconds=self.seconds)


class _Refused(ValueError):
    pass


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


@lru_cache(maxsize=65536)
def _fold(text: str) -> str:
    """core.text.fold(text), for text already clean: the table where it covers every letter,
    fold itself otherwise."""
    folded = text.translate(_FOLD)
    return folded.lower() if folded.isascii() else fold(text)
_DIRTY = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]|\s\s"
                    r"|^\s|\s$")


def _clean(text: str) -> str:
    """core.text.clean, with a fast way through for text that is already clean (most is)."""
    if text.isascii() and text.isprintable() and not _DIRTY.search(text):
        return text
    if unicodedata.is_normalized("NFC", text) and not _DIRTY.search(text) \
            and text.isprintable():
        return text
    return clean(text)


_clean_short = lru_cache(maxsize=4096)(_clean)  # offices, procedure codes: few values


@dataclass(frozen=True)
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


def import_csv(store: Store, source: Path | str) -> HistoryImport:
    """Add the dossiers of a history file; see the module doc for the columns."""
    started = time.perf_counter()
    path = Path(source)
    try:
        handle = path.open(encoding="utf-8-sig", newline="")
    except OSError as exc:
        raise UserError("history.unreadable", path=str(path), reason=exc) from None
    report = HistoryImport()
    with handle:
        try:
            reader = csv.reader(handle)
            header = [clean(h).lower() for h in next(reader, [])]
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
            seen: dict[str, int] = {}
            sqlite = is_sqlite(store.db)
            # On PostgreSQL a writer thread stores one batch while this thread reads and
            # checks the next, so the server and Python work at once (at most two batches in
            # memory). SQLite writes in this thread: its inserts hold the interpreter anyway.
            with ThreadPoolExecutor(max_workers=1,
                                    thread_name_prefix="history-import") as writer:
                pending: deque[tuple[int, Future[int]]] = deque()
                for batch in _batches(enumerate(reader, start=2), BATCH):
                    checked = _check_batch(store, batch, where, seen, report)
                    values = _prepare(store, checked, procedures, offices, report)
                    if not values:
                        continue
                    if sqlite:
                        _count_added(report, len(values), _write(store, values))
                        continue
                    pending.append((len(values), writer.submit(_write, store, values)))
                    while len(pending) > 1:
                        tried, done = pending.popleft()
                        _count_added(report, tried, done.result())
                while pending:
                    tried, done = pending.popleft()
                    _count_added(report, tried, done.result())
        except UnicodeDecodeError as exc:
            raise UserError("history.unreadable", path=str(path), reason=exc) from None
    report.offices_created = offices.created
    report.seconds = time.perf_counter() - started
    with store.write():
        dossiers.audit(store, "import:dossiers",
                       f"{path.name}: +{report.added} ={report.already} "
                       f"x{len(report.rejected)}")
    return report


def _batches(rows: Iterable[tuple[int, list[str]]], size: int
             ) -> Iterator[list[tuple[int, list[str]]]]:
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


def _check(line: list[str], where: tuple[int, ...], now: dt.datetime
           ) -> tuple[str, str, str, str, str, str, int, dt.datetime, dt.datetime | None,
                      dt.datetime | None, dt.datetime | None]:
    """The row's values, checked: code, office, procedure, channel, level, name, status,
    received, due, resolved, returned (`where`: their positions, in COLUMNS' order). Raises
    _Refused with the reason."""
    if len(line) <= max(where):
        line = line + [""] * (max(where) + 1 - len(line))
    (code_raw, office_raw, procedure_raw, channel_raw, level_raw, name_raw, received_raw,
     due_raw, resolved_raw, returned_raw, status_raw) = (line[i] for i in where)
    raw_code = _required(code_raw, "code", 60)
    # a well-formed code is stored as format_dossier_code writes it: compact, upper case
    code = raw_code.replace(" ", "").upper() if parse_dossier_code(raw_code) else raw_code
    office = _required(office_raw, "office", 200, _clean_short)
    procedure = _required(procedure_raw, "procedure_code", 40, _clean_short).upper()
    channel = channel_raw.strip().lower()
    if channel not in CHANNELS:
        raise _Refused(t("history.row.channel", value=channel_raw.strip()))
    level = LEVELS.get(_fold(level_raw.strip()))
    if level is None:
        raise _Refused(t("history.row.level", value=level_raw.strip()))
    name = _required(name_raw, "applicant_name", 100)
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
    for column, moment in (("received_at", received), ("resolved_at", resolved),
                           ("returned_at", returned)):
        if moment is not None and moment > now:
            raise _Refused(t("history.row.future", column=column,
                             value=moment.isoformat(sep=" ")))
    for column, moment in (("due_at", due), ("resolved_at", resolved),
                           ("returned_at", returned)):
        if moment is not None and moment < received:
            raise _Refused(t("history.row.before", column=column))
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
        if not "".join(line).strip():
            continue  # a blank line (spreadsheets leave them at the end)
        try:
            row = _check(line, where, now)
        except _Refused as exc:
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
             report: HistoryImport) -> list[Any]:
    """The records to store for the rows whose code is not stored yet; offices not yet known
    are added here (in their own transaction)."""
    if not checked:
        return []
    sqlite = is_sqlite(store.db)
    with store.read():
        stored = _existing(store, [row[0] for row in checked])
    report.already += len(stored)
    fresh = [row for row in checked if row[0] not in stored]
    unknown = dict.fromkeys(row[1] for row in fresh if offices.lookup(row[1]) is None)
    if unknown:
        with store.write():
            for name in unknown:  # in the order the file names them
                if offices.lookup(name) is None:  # not a second spelling of one just added
                    offices.create(name)
    values = []
    for row in fresh:
        info = procedures.get(row[2])
        if info is None:
            report.unknown_procedures[row[2]] += 1
            info = _ProcedureInfo(None, row[2], "")
        values.append(_record(row, offices.lookup(row[1]) or 0, info, sqlite))
    return values


def _write(store: Store, values: list[Any]) -> int:
    """One transaction: the batch's new dossiers; returns how many were added."""
    with store.write():
        return _insert(store, values, is_sqlite(store.db))


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


def _record(row: tuple[Any, ...], office_id: int, info: _ProcedureInfo, sqlite: bool) -> Any:
    """_GIVEN's values: a tuple for SQLite's executemany, a line of COPY text for PostgreSQL."""
    (code, _office, procedure, channel, level, name, status, received, due, resolved,
     returned) = row
    if sqlite:
        received, due, resolved, returned = (
            None if m is None else m.isoformat(" ") for m in (received, due, resolved, returned))
    values = (code, office_id, info.id, procedure, info.name, info.field, channel, level,
              status, name, _fold(name), received, due, due, resolved, returned, "", "",
              "counter")
    if sqlite:
        return values
    return "\t".join([_copy_text(v) for v in values])


_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_text(value: Any) -> str:
    """One value in PostgreSQL's COPY text format."""
    if value is None:
        return "\\N"
    if isinstance(value, str):
        return value.translate(_COPY_ESCAPES)
    if isinstance(value, dt.datetime):
        return value.isoformat(" ")
    return str(value)


def _insert(store: Store, values: list[Any], sqlite: bool) -> int:
    """Insert the rows (codes already stored are skipped by the database too); returns how
    many were added. PostgreSQL gets them through COPY into a temporary table, one
    statement for the batch instead of one per row."""
    given, insert = _statement(sqlite)
    cursor = store.db.cursor()
    if sqlite:
        marks = ", ".join("?" * len(_GIVEN))
        cursor.executemany(insert.replace("{rows}", f"VALUES ({marks}") + ") "
                           "ON CONFLICT (code) DO NOTHING", values)
        return int(cursor.rowcount)
    cursor.execute(f"CREATE TEMPORARY TABLE dossier_import ON COMMIT DROP AS SELECT {given} "
                   "FROM dossier WITH NO DATA")
    cursor.copy_expert(f"COPY dossier_import ({given}) FROM STDIN",
                       io.StringIO("\n".join(values) + "\n"))
    cursor.execute(insert.replace("{rows}", f"SELECT {given}") + " FROM dossier_import "
                   "ON CONFLICT (code) DO NOTHING")
    return int(cursor.rowcount)
