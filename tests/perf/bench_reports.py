"""The supervisor's figures on a province's year (1,000,000 dossiers, 2,000,000 tickets): the
day board the supervisor screen refreshes, the six-month periodic report, and the history
import, with the query plans of every statement the reports run (an index that stops being
used shows up here first).

On SQLite, or with `--postgres` the same rows on a throwaway PostgreSQL server. Each figure has
beside it one committed insert on the same engine, measured in the same run.

Targets: board refresh <= 50 ms; six-month report <= 500 ms; import >= 30,000 rows/s on SQLite,
>= 20,000 on PostgreSQL. At a province's scale (`--postgres --dossiers 10000000`, see
tests/perf/province.py): six-month report <= 1 s, with last year's <= 1.5 s, board <= 50 ms.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from tests.perf import floors
from tests.perf.common import acting, load_config, office_dir, summary
from tests.perf.dataset import AGENCY
from tests.perf.engines import commit_floor, plan, postgres_server, store

BOARD_DAY = dt.datetime(2026, 11, 4, 15, 0)  # the data set's last day with a queue
SIX_MONTHS = (dt.date(2026, 5, 1), dt.date(2026, 10, 31))


class _Clock:
    def __init__(self, now: dt.datetime) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now


@contextmanager
def _recording(store: Any) -> Iterator[list[tuple[str, Any]]]:
    """Every statement the store runs meanwhile, with its parameters."""
    seen: list[tuple[str, Any]] = []
    original = store.db.execute_sql

    def spy(sql: str, params: Any = None, *args: Any, **kwargs: Any) -> Any:
        seen.append((sql, params))
        return original(sql, params, *args, **kwargs)

    store.db.execute_sql = spy
    try:
        yield seen
    finally:
        store.db.execute_sql = original


def _plans(store: Any, title: str, statements: list[tuple[str, Any]]) -> None:
    print(f"-- query plans: {title}", flush=True)
    done = set()
    for sql, params in statements:
        head = " ".join(sql.split())
        if not head.upper().startswith("SELECT") or head in done:
            continue
        done.add(head)
        with store.read():
            shown = plan(store, sql, params)
        where = head.split(" FROM ", 1)[-1][:110]
        print(f"   FROM {where}\n      -> {shown}", flush=True)


def _time(fn: Callable[[], Any], runs: int) -> tuple[list[float], Any]:
    """Wall times in ms; the median CPU time of this process is printed after the summary
    line, since on a shared machine the wall clock also counts other people's work."""
    samples, cpu, result = [], [], None
    for _ in range(runs):
        started, used = time.perf_counter(), time.process_time()
        result = fn()
        samples.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - used) * 1000)
    _CPU[:] = cpu
    return samples, result


_CPU: list[float] = []


_FLOOR: list[float] = []


def _summary(name: str, samples: list[float], target: str = "") -> None:
    summary(name, samples, target=target, floor=("one commit, same engine", _FLOOR))
    print(f"   CPU of this process: median {statistics.median(_CPU):.0f} ms, "
          f"min {min(_CPU):.0f} ms", flush=True)


def bench_reports(quick: bool, engine: str = "sqlite") -> None:
    with store(quick, engine) as (url, n, tickets):
        _bench_reports(url, n, tickets, engine)


def _bench_reports(url: str, n: int, tickets: int, engine: str) -> None:
    from counter_tui.services import reports
    from counter_tui.services.store import open_store

    started = time.perf_counter()
    store = acting(open_store(load_config(office_dir(url)), clock=_Clock(BOARD_DAY),
                                seed=False))
    print(f"store: {n:,} dossiers, {tickets:,} tickets on {engine} (opened and migrated in "
          f"{time.perf_counter() - started:.1f} s); {floors.load()}", flush=True)
    commit = commit_floor(url)
    _FLOOR[:] = [commit() for _ in range(20)]

    reports.day_board(store)  # warm the page cache, as a screen that refreshes every 2 s has
    samples, board = _time(lambda: reports.day_board(store), 20)
    _summary("day board (supervisor screen refresh)", samples, target="<= 50 ms")
    print(f"   received {board.received}, tickets {board.tickets_issued}, overdue "
          f"{board.overdue}, due {board.due}, wait p90 "
          f"{(board.wait.p90 or 0) / 60:.1f} min", flush=True)
    with _recording(store) as seen:
        reports.day_board(store)
    _plans(store, "day board", seen)

    for by in ("field", "procedure", "officer", "office"):
        samples, report = _time(lambda by=by: reports.period(store, *SIX_MONTHS, by=by), 5)
        _summary(f"period report, 6 months, by {by}", samples, target="<= 500 ms")
    t = report.total
    print(f"   received {t.received:,} (carried {t.carried:,}), resolved {t.resolved:,}, "
          f"in progress {t.in_progress:,}", flush=True)
    samples, _ = _time(lambda: reports.period(store, *SIX_MONTHS, compare=True), 3)
    _summary("period report, 6 months, with last year", samples)
    samples, _ = _time(lambda: reports.period(store, dt.date(2026, 10, 1),
                                              dt.date(2026, 10, 31)), 3)
    _summary("period report, 1 month", samples)
    with _recording(store) as seen:
        reports.period(store, *SIX_MONTHS)
    _plans(store, "period report", seen)

    out = Path(tempfile.mkdtemp(prefix="counter-perf-export-"))
    samples, done = _time(lambda: reports.export_register(
        store, str(out / "so.csv"), dt.date(2026, 10, 1), dt.date(2026, 10, 31)), 1)
    _summary(f"register export, 1 month ({done.rows:,} rows, CSV)", samples)
    store.close()


def _history_csv(path: Path, rows: int, rnd: random.Random) -> None:
    procs = ["HT-KS", "HT-KH", "HT-KT", "CT-BS", "CT-SG", "CTR-TT", "CTR-TAM", "X-UNKNOWN"]
    offices = ["UBND xã Minh Hòa", "UBND xã Bình An", "UBND phường Hòa Bình", AGENCY]
    start = dt.datetime(2024, 1, 1, 7)
    with path.open("w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(["code", "office", "procedure_code", "channel", "level", "applicant_name",
                      "received_at", "due_at", "resolved_at", "returned_at", "status", "note"])
        for i in range(rows):
            received = start + dt.timedelta(minutes=i * 5 + rnd.randrange(5))
            due = received + dt.timedelta(days=rnd.choice((0, 3, 5)), hours=8)
            status = rnd.choice((10, 10, 10, 10, 9, 4, 3, 7, 8, 5))
            resolved = received + dt.timedelta(hours=rnd.randrange(1, 150)) \
                if status in (3, 7, 8, 9, 10) else None
            returned = resolved + dt.timedelta(hours=2) if status == 10 and resolved else None
            out.writerow([
                f"H.{i // 9999:03d}-{received:%y%m%d}-{i % 9999 + 1:04d}", rnd.choice(offices),
                rnd.choice(procs), rnd.choice(("walk_in", "online", "post")),
                rnd.choice(("", "toàn trình", "một phần")),
                f"Nguyễn Văn {rnd.choice(('An', 'Bình', 'Cường', 'Dũng'))} {i}",
                received.isoformat(sep=" "), due.isoformat(sep=" "),
                resolved.isoformat(sep=" ") if resolved else "",
                returned.isoformat(sep=" ") if returned else "", status, "lịch sử",
            ])


def _import_once(store: Any, source: Path, rows: int, label: str) -> None:
    from counter_tui.services import history

    started, cpu = time.perf_counter(), time.process_time()
    report = history.import_csv(store, source)
    elapsed, used = time.perf_counter() - started, time.process_time() - cpu
    target = "30,000" if "sqlite" in label else "20,000"
    print(f"{label:<44} {elapsed:8.2f} s  {rows / elapsed:10,.0f} rows/s  (this process's CPU "
          f"{used:.2f} s: {rows / used:,.0f} rows/s)  target >= {target} rows/s", flush=True)
    print(f"   {report.summary()}", flush=True)


def bench_import(rows: int, engine: str = "sqlite") -> None:
    from counter_tui.services.store import open_store

    with contextlib.ExitStack() as stack:
        url = None
        if engine == "postgres":
            url = stack.enter_context(postgres_server()).create_database("history")
        folder = office_dir(url)
        source = folder / "history.csv"
        _history_csv(source, rows, random.Random(11))
        store = acting(open_store(load_config(folder)))
        _import_once(store, source, rows, f"history import, {rows:,} rows, {engine}")
        _import_once(store, source, rows, f"the same file again ({engine}: all skipped)")
        store.close()


def main(quick: bool = False, engine: str = "sqlite") -> None:
    bench_reports(quick, engine)
    bench_import(20_000 if quick else 100_000, engine)


if __name__ == "__main__":
    main("--quick" in sys.argv, "postgres" if "--postgres" in sys.argv else "sqlite")
