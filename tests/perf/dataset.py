"""A generated store the size of a province's year: dossiers and queue tickets, built once and
kept in a cache folder so benchmarks can be re-run quickly.

Names follow the real spread of Vietnamese surnames (four in ten are Nguyễn), so name look-ups
meet the crowding a real register has; phones are unique, times spread over the last year.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import random
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from counter_tui.core.codes import format_dossier_code
from counter_tui.core.text import fold

CACHE = Path(os.environ.get("COUNTER_PERF_CACHE", Path.home() / ".cache" / "counter-tui-perf"))
AGENCY = "000.17.22.H56"
SURNAMES = [("Nguyễn", 38), ("Trần", 11), ("Lê", 9), ("Phạm", 7), ("Hoàng", 5), ("Huỳnh", 4),
            ("Phan", 4), ("Vũ", 3), ("Võ", 3), ("Đặng", 2), ("Bùi", 2), ("Đỗ", 2), ("Hồ", 1),
            ("Ngô", 1), ("Dương", 1), ("Lý", 1)]
MIDDLE = ["Văn", "Thị", "Hữu", "Đức", "Minh", "Ngọc", "Thanh", "Quốc", "Thu", "Xuân", "Kim",
          "Gia", "Bảo", "Hoài", "Anh"]
GIVEN = ["An", "Bình", "Cường", "Dũng", "Đạt", "Giang", "Hà", "Hải", "Hạnh", "Hiếu", "Hoa",
         "Hùng", "Hương", "Khánh", "Lan", "Linh", "Long", "Mai", "Minh", "Nam", "Nga", "Ngọc",
         "Phong", "Phúc", "Quân", "Quang", "Sơn", "Tâm", "Thảo", "Thắng", "Trang", "Trung",
         "Tú", "Tuấn", "Uyên", "Vân", "Việt", "Vy", "Xuân", "Yến"]
CHANNELS = ["walk_in"] * 6 + ["online"] * 3 + ["post"]
STATUSES = [10] * 70 + [9] * 8 + [4] * 10 + [2] * 5 + [5] * 3 + [3, 7, 8, 6]


DATASET_VERSION = 2  # bump when what is generated changes: a cached store is then rebuilt
BATCH = 500  # rows a statement: under SQLite's limit of bound values for the widest table
OFFICE_ID = 1


def sizes(quick: bool) -> tuple[int, int]:
    """Dossiers and tickets of the store benchmarks: `--dossiers N` / `--tickets N` on
    `python -m tests.perf` (COUNTER_PERF_DOSSIERS / COUNTER_PERF_TICKETS), else 1,000,000
    (`--quick` 100,000) and twice as many tickets."""
    n = int(os.environ.get("COUNTER_PERF_DOSSIERS") or (100_000 if quick else 1_000_000))
    return n, int(os.environ.get("COUNTER_PERF_TICKETS") or 2 * n)


def dataset_path(dossiers: int, tickets: int) -> Path:
    """Named by what is generated and by the migrations that made its schema: a store cached
    before a migration was added (or renamed) is never opened by a tree that would run it
    again on top of what it already holds."""
    from counter_tui.db.connection import MIGRATIONS

    names = "\n".join(sorted(p.name for p in MIGRATIONS.glob("[0-9]*.py")))
    schema = hashlib.sha1(names.encode()).hexdigest()[:8]
    return CACHE / f"store-v{DATASET_VERSION}-{schema}-{dossiers}-{tickets}.db"


def build(dossiers: int, tickets: int, *, seed: int = 7) -> Path:
    """The cached store file, generated on first use (schema by the real migrations)."""
    path = dataset_path(dossiers, tickets)
    if path.exists():
        return path
    CACHE.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    for leftover in (tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm")):
        leftover.unlink(missing_ok=True)
    started = time.perf_counter()
    generate(f"sqlite:///{tmp}", dossiers, tickets, seed=seed)
    print(f"generated {dossiers:,} dossiers and {tickets:,} tickets in "
          f"{time.perf_counter() - started:.1f} s -> {path}", flush=True)
    tmp.rename(path)
    Path(f"{tmp}.migrate-lock").unlink(missing_ok=True)
    return path


def generate(url: str, dossiers: int, tickets: int, *, seed: int = 7) -> None:
    """Fill the store at `url` (migrated here by the real migrations) with generated rows.

    Every row goes in through the peewee models' bulk insert with an explicit field list:
    the models fill each column the generator does not name with its default, and a column
    added without one fails here at once (the unit suite generates a small store), instead
    of a raw INSERT silently falling behind the schema."""
    from counter_tui.db.connection import close, connect, is_sqlite, migrate, write_transaction

    db = connect(url)
    migrate(db)
    try:
        with db.connection_context():
            if is_sqlite(db):  # a throwaway file: no need to survive a power cut while filling
                db.execute_sql("PRAGMA synchronous=OFF")
            with write_transaction(db):
                _fill(db, dossiers, tickets, random.Random(seed))
            db.execute_sql("ANALYZE")
    finally:
        close(db)


def _bulk(model: Any, fields: list[Any], rows: Iterable[tuple[Any, ...]]) -> None:
    from peewee import chunked

    for batch in chunked(rows, BATCH):
        model.insert_many(batch, fields=fields).execute()


def _fill(db: Any, n_dossiers: int, n_tickets: int, rnd: random.Random) -> None:
    from counter_tui.db.connection import is_sqlite

    for model, fields, rows in tables(n_dossiers, n_tickets, rnd):
        _bulk(model, fields, rows)
        if not is_sqlite(db):
            db.execute_sql(next_ids_sql(model._meta.table_name))


def next_ids_sql(table: str) -> str:
    """PostgreSQL's id sequence of `table` moved past the ids the generator wrote itself, so
    the next row the application adds takes a free one."""
    return (f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
            f'(SELECT max(id) FROM "{table}"))')


Table = tuple[Any, list[Any], Iterator[tuple[Any, ...]]]


def tables(n_dossiers: int, n_tickets: int, rnd: random.Random, *, years: int = 1,
           end: dt.datetime = dt.datetime(2026, 11, 20, 17, 0)) -> Iterator[Table]:
    """Each table's rows in order: (model, its fields, the rows as tuples in the fields'
    order). The one generator behind both loaders (the models' bulk insert here, PostgreSQL's
    COPY in tests/perf/province.py), so what they write cannot differ; the rows of a table are
    made as they are consumed, never held whole. Dossiers are received over the `years`
    before `end`, tickets issued on that span's working days (as many a day on each)."""
    from counter_tui.db.models import Dossier, Office

    yield Office, [Office.id, Office.code, Office.name, Office.address], iter(
        [(OFFICE_ID, AGENCY, "UBND xã Minh Hòa - Bộ phận Một cửa", "")])
    procs: list[tuple[int, str, str, str, str, int]] = []
    yield _procedures(procs)
    surnames = [s for s, w in SURNAMES for _ in range(w)]
    start = end - dt.timedelta(days=365 * years)
    span = (end - start).total_seconds()
    # seconds after `start`, sorted (floats: a tenth of the memory of ten million datetimes)
    offsets = sorted(rnd.random() * span for _ in range(n_dossiers))
    fields = [Dossier.code, Dossier.office, Dossier.procedure, Dossier.procedure_code,
              Dossier.procedure_name, Dossier.field, Dossier.channel, Dossier.level,
              Dossier.status, Dossier.applicant_name, Dossier.applicant_folded,
              Dossier.id_number, Dossier.id_kind, Dossier.phone, Dossier.received_at,
              Dossier.due_at, Dossier.original_due_at, Dossier.resolved_at,
              Dossier.returned_at, Dossier.officer, Dossier.counter]

    def rows() -> Iterator[tuple[Any, ...]]:
        per_day: dict[dt.date, int] = {}
        folded: dict[str, str] = {}  # a few thousand names, each folded once
        for i, offset in enumerate(offsets):
            received = start + dt.timedelta(seconds=offset)
            day = received.date()
            per_day[day] = per_day.get(day, 0) + 1
            pid, pcode, pname, field, level, days = procs[rnd.randrange(len(procs))]
            name = f"{rnd.choice(surnames)} {rnd.choice(MIDDLE)} {rnd.choice(GIVEN)}"
            status = rnd.choice(STATUSES)
            due = received + dt.timedelta(days=max(days, 0) * 1.4 + 0.3)
            resolved = received + dt.timedelta(days=rnd.random() * max(days, 1) * 1.6) \
                if status in (9, 10) else None
            returned = resolved + dt.timedelta(hours=rnd.random() * 30) if status == 10 and \
                resolved else None
            yield (format_dossier_code(AGENCY, day, per_day[day]), OFFICE_ID, pid, pcode,
                   pname, field, rnd.choice(CHANNELS), level, status, name,
                   folded.get(name) or folded.setdefault(name, fold(name)),
                   f"0{rnd.randrange(1, 96):02d}{rnd.randrange(0, 4)}"
                   f"{rnd.randrange(10**7, 10**8)}",
                   "cccd", f"09{i:08d}"[-10:], _ts(received), _ts(due), _ts(due),
                   _ts(resolved), _ts(returned), "canbo1", rnd.randrange(1, 4))
        offsets.clear()

    yield Dossier, fields, rows()
    yield _tickets(n_tickets, start, rnd, years)


def _tickets(n: int, start: dt.datetime, rnd: random.Random, years: int) -> Table:
    from counter_tui.db.models import Ticket

    fields = [Ticket.day, Ticket.series, Ticket.number, Ticket.group, Ticket.priority,
              Ticket.state, Ticket.counter, Ticket.officer, Ticket.issued_at, Ticket.called_at,
              Ticket.serving_at, Ticket.finished_at]
    # as many a working day, the last one sixteen days before the span's end (the boards'
    # day in the benchmarks): 250 working days in one year
    last = start.date() + dt.timedelta(days=365 * years - 16)
    days = sum((start.date() + dt.timedelta(days=d)).weekday() < 5
               for d in range((last - start.date()).days + 1))
    per_day = max(1, n // days)

    def rows() -> Iterator[tuple[Any, ...]]:
        day = start.date()
        made = 0
        while made < n:
            if day.weekday() < 5:
                for k in range(min(per_day, n - made)):
                    letter = "ABCD"[k % 4]
                    issued = dt.datetime.combine(day, dt.time(7)) + dt.timedelta(
                        seconds=rnd.random() * 9 * 3600)
                    called = issued + dt.timedelta(seconds=rnd.random() * 1800)
                    finished = called + dt.timedelta(seconds=120 + rnd.random() * 900)
                    state = "absent" if rnd.random() < 0.04 else "done"
                    yield (day.isoformat(), letter, k // 4 + 1, letter,
                           "elderly" if rnd.random() < 0.05 else None, state,
                           rnd.randrange(1, 4), "canbo1", _ts(issued), _ts(called),
                           _ts(called), _ts(finished))
                    made += 1
            day += dt.timedelta(days=1)

    return Ticket, fields, rows()


def _procedures(out: list[tuple[int, str, str, str, str, int]]) -> Table:
    """The shipped catalogue's procedures; `out` gets what a dossier takes from each."""
    import csv

    from counter_tui.db.models import Procedure
    from counter_tui.services.catalogue import SHIPPED

    fields = [Procedure.id, Procedure.code, Procedure.national_code, Procedure.name,
              Procedure.name_folded, Procedure.field, Procedure.level,
              Procedure.processing_days, Procedure.same_day_cutoff, Procedure.fee_vnd,
              Procedure.fee_online_vnd, Procedure.fee_note, Procedure.active,
              Procedure.updated_at]
    rows = []
    with SHIPPED.open(encoding="utf-8") as fh:
        for i, row in enumerate(csv.DictReader(fh), start=1):
            rows.append((i, row["local_code"], row["national_code"], row["name"],
                         fold(row["name"]), row["field"], row["level"],
                         int(row["processing_days"]), row["same_day_cutoff"] or None,
                         int(row["fee_vnd"] or 0), int(row["fee_online_vnd"] or 0),
                         row["fee_note"], True, _ts(dt.datetime(2026, 1, 1))))
            out.append((i, row["local_code"], row["name"], row["field"], row["level"],
                        int(row["processing_days"])))
    return Procedure, fields, iter(rows)


def _ts(value: dt.datetime | None) -> str | None:
    """As peewee stores it: whole seconds (isoformat truncates as strftime does, 4x faster)."""
    return value.isoformat(" ", "seconds") if value else None
