"""A generated store the size of a province's year: dossiers and queue tickets, built once and
kept in a cache folder so benchmarks can be re-run quickly.

Names follow the real spread of Vietnamese surnames (four in ten are Nguyễn), so name look-ups
meet the crowding a real register has; phones are unique, times spread over the last year.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import sqlite3
import time
from pathlib import Path

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


def dataset_path(dossiers: int, tickets: int) -> Path:
    return CACHE / f"store-{dossiers}-{tickets}.db"


def build(dossiers: int, tickets: int, *, seed: int = 7) -> Path:
    """The cached store file, generated on first use (schema by the real migrations)."""
    path = dataset_path(dossiers, tickets)
    if path.exists():
        return path
    CACHE.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    for leftover in (tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm")):
        leftover.unlink(missing_ok=True)
    from counter_tui.db.connection import close, connect, migrate

    db = connect(f"sqlite:///{tmp}")
    migrate(db)
    close(db)  # every pooled connection: WAL mode cannot be switched off while one is open
    started = time.perf_counter()
    _fill(tmp, dossiers, tickets, random.Random(seed))
    print(f"generated {dossiers:,} dossiers and {tickets:,} tickets in "
          f"{time.perf_counter() - started:.1f} s -> {path}", flush=True)
    tmp.rename(path)
    return path


def _fill(path: Path, n_dossiers: int, n_tickets: int, rnd: random.Random) -> None:
    con = sqlite3.connect(path)
    con.execute("PRAGMA journal_mode=OFF")
    con.execute("PRAGMA synchronous=OFF")
    con.execute("INSERT INTO office (code, name, address) VALUES (?, ?, '')",
                (AGENCY, "UBND xã Minh Hòa - Bộ phận Một cửa"))
    procs = _procedures(con)
    surnames = [s for s, w in SURNAMES for _ in range(w)]
    end = dt.datetime(2026, 11, 20, 17, 0)
    start = end - dt.timedelta(days=365)
    span = (end - start).total_seconds()
    per_day: dict[dt.date, int] = {}
    times = sorted(start + dt.timedelta(seconds=rnd.random() * span) for _ in range(n_dossiers))
    rows = []
    sql = ("INSERT INTO dossier (code, office_id, procedure_id, procedure_code, procedure_name, "
           "field, channel, level, status, applicant_name, applicant_folded, id_number, id_kind, "
           "phone, address, email, representative, representative_id, sets, fee_vnd, "
           "received_at, due_at, original_due_at, resolved_at, returned_at, return_method, "
           "waybill, postal_charge_vnd, delivery_address, portal_code, vneid, paid_online, "
           "officer, counter, note, holder, collected_by, collected_id, return_waybill) "
           "VALUES (" + ",".join("?" * 39) + ")")
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
        rows.append((
            format_dossier_code(AGENCY, day, per_day[day]), 1, pid, pcode, pname, field,
            rnd.choice(CHANNELS), level, status, name, fold(name),
            f"0{rnd.randrange(1, 96):02d}{rnd.randrange(0, 4)}{rnd.randrange(10**7, 10**8)}",
            "cccd", f"09{i:08d}"[-10:], "", "", "", "", 1, 0, _ts(received), _ts(due), _ts(due),
            _ts(resolved), _ts(returned), "counter", "", 0, "", "", 0, 0, "canbo1",
            rnd.randrange(1, 4), "", "", "", "", "",
        ))
        if len(rows) == 50_000:
            con.executemany(sql, rows)
            rows.clear()
    if rows:
        con.executemany(sql, rows)
    _tickets(con, n_tickets, start, rnd)
    con.commit()
    con.execute("ANALYZE")
    con.commit()
    con.close()


def _tickets(con: sqlite3.Connection, n: int, start: dt.datetime, rnd: random.Random) -> None:
    sql = ("INSERT INTO ticket (day, series, number, group_letter, priority, state, counter, "
           "officer, issued_by, issued_at, called_at, serving_at, finished_at, recalls, "
           "ahead_at_issue) VALUES (" + ",".join("?" * 15) + ")")
    per_day = max(1, n // 250)
    rows = []
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
                rows.append((day.isoformat(), letter, k // 4 + 1, letter,
                             "elderly" if rnd.random() < 0.05 else None, state,
                             rnd.randrange(1, 4), "canbo1", None, _ts(issued), _ts(called),
                             _ts(called), _ts(finished), 0, 0))
                made += 1
                if len(rows) == 50_000:
                    con.executemany(sql, rows)
                    rows.clear()
        day += dt.timedelta(days=1)
    if rows:
        con.executemany(sql, rows)


def _procedures(con: sqlite3.Connection) -> list[tuple[int, str, str, str, str, int]]:
    import csv

    from counter_tui.services.catalogue import SHIPPED

    out = []
    with SHIPPED.open(encoding="utf-8") as fh:
        for i, row in enumerate(csv.DictReader(fh), start=1):
            con.execute(
                "INSERT INTO procedure (id, code, national_code, name, name_folded, field, "
                "level, processing_days, same_day_cutoff, fee_vnd, fee_online_vnd, fee_note, "
                "active, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,1,?)",
                (i, row["local_code"], row["national_code"], row["name"], fold(row["name"]),
                 row["field"], row["level"], int(row["processing_days"]),
                 row["same_day_cutoff"] or None, int(row["fee_vnd"] or 0),
                 int(row["fee_online_vnd"] or 0), row["fee_note"], _ts(dt.datetime.now())))
            out.append((i, row["local_code"], row["name"], row["field"], row["level"],
                        int(row["processing_days"])))
    return out


def _ts(value: dt.datetime | None) -> str | None:
    return value.strftime("%Y-%m-%d %H:%M:%S") if value else None
