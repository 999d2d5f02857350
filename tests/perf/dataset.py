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
                _fill(dossiers, tickets, random.Random(seed))
            db.execute_sql("ANALYZE")
    finally:
        close(db)


def _bulk(model: Any, fields: list[Any], rows: Iterable[tuple[Any, ...]]) -> None:
    from peewee import chunked

    for batch in chunked(rows, BATCH):
        model.insert_many(batch, fields=fields).execute()


def _fill(n_dossiers: int, n_tickets: int, rnd: random.Random) -> None:
    from counter_tui.db.models import Dossier, Office

    office = Office.create(code=AGENCY, name="UBND xã Minh Hòa - Bộ phận Một cửa", address="")
    procs = _procedures()
    surnames = [s for s, w in SURNAMES for _ in range(w)]
    end = dt.datetime(2026, 11, 20, 17, 0)
    start = end - dt.timedelta(days=365)
    span = (end - start).total_seconds()
    times = sorted(start + dt.timedelta(seconds=rnd.random() * span) for _ in range(n_dossiers))
    fields = [Dossier.code, Dossier.office, Dossier.procedure, Dossier.procedure_code,
              Dossier.procedure_name, Dossier.field, Dossier.channel, Dossier.level,
              Dossier.status, Dossier.applicant_name, Dossier.applicant_folded,
              Dossier.id_number, Dossier.id_kind, Dossier.phone, Dossier.received_at,
              Dossier.due_at, Dossier.original_due_at, Dossier.resolved_at,
              Dossier.returned_at, Dossier.officer, Dossier.counter]

    def rows() -> Iterator[tuple[Any, ...]]:
        per_day: dict[dt.date, int] = {}
        for i, received in enumerate(times):
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
            yield (format_dossier_code(AGENCY, day, per_day[day]), office.id, pid, pcode,
                   pname, field, rnd.choice(CHANNELS), level, status, name, fold(name),
                   f"0{rnd.randrange(1, 96):02d}{rnd.randrange(0, 4)}"
                   f"{rnd.randrange(10**7, 10**8)}",
                   "cccd", f"09{i:08d}"[-10:], _ts(received), _ts(due), _ts(due),
                   _ts(resolved), _ts(returned), "canbo1", rnd.randrange(1, 4))

    _bulk(Dossier, fields, rows())
    _tickets(n_tickets, start, rnd)


def _tickets(n: int, start: dt.datetime, rnd: random.Random) -> None:
    from counter_tui.db.models import Ticket

    fields = [Ticket.day, Ticket.series, Ticket.number, Ticket.group, Ticket.priority,
              Ticket.state, Ticket.counter, Ticket.officer, Ticket.issued_at, Ticket.called_at,
              Ticket.serving_at, Ticket.finished_at]
    per_day = max(1, n // 250)

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

    _bulk(Ticket, fields, rows())


def _procedures() -> list[tuple[int, str, str, str, str, int]]:
    import csv

    from counter_tui.db.models import Procedure
    from counter_tui.services.catalogue import SHIPPED

    out = []
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
    _bulk(Procedure, fields, rows)
    return out


def _ts(value: dt.datetime | None) -> str | None:
    return value.strftime("%Y-%m-%d %H:%M:%S") if value else None
