"""An office syncing to the district's centre (services/sync): how fast a week offline catches
up, and how soon a commit at the office is on the centre while the link is up.

- catch-up: an SQLite office that was offline for a week (5,000 dossiers, each with its
  document and event; 20,000 tickets, each with its issue, call and finish events: ~95,000
  rows), sent by one `sync now` pass to a PostgreSQL centre on 127.0.0.1: time and rows per
  second. Floor, same run: the same number of single-row inserts on the centre, one
  transaction per 500 (what applying cannot do with less: one statement per row).
- steady lag: `sync run`'s loop in a thread while the office issues a ticket every 0.3 s; from
  the ticket's commit to its row on the centre (polled every 5 ms). Target <= 2 s on loopback.
  Floor: one committed insert on the centre.

`python -m tests.perf bench_sync [--quick]` (needs the PostgreSQL server binaries).
"""

from __future__ import annotations

import datetime as dt
import random
import sys
import threading
import time
from typing import Any

from tests.perf.common import load_config, office_dir, summary
from tests.perf.floors import PostgresCommit, load

DOSSIERS, TICKETS = 5000, 20000


def _week(dossiers: int, tickets: int, rnd: random.Random) -> int:
    """A week of an office's rows, written as the counters would have (bulk, but through the
    tables' triggers, so the outbox fills as it does at a counter)."""
    from peewee import chunked

    from counter_tui.core.codes import format_dossier_code
    from counter_tui.core.text import fold
    from counter_tui.db.models import (
        Dossier,
        DossierDocument,
        DossierEvent,
        Office,
        Ticket,
        TicketEvent,
    )

    office = Office.select().first()
    start = dt.datetime(2026, 11, 23, 7, 30)
    rows = 0
    per_day: dict[dt.date, int] = {}
    made = []
    for i in range(dossiers):
        at = start + dt.timedelta(days=i * 5 // dossiers, seconds=rnd.randrange(9 * 3600))
        per_day[at.date()] = per_day.get(at.date(), 0) + 1
        name = f"Nguyễn Văn {i}"
        made.append({"code": format_dossier_code(office.code, at.date(), per_day[at.date()]),
                     "office": office.id, "procedure_code": "HT-KS",
                     "procedure_name": "Đăng ký khai sinh", "field": "Hộ tịch",
                     "channel": "walk_in", "applicant_name": name,
                     "applicant_folded": fold(name), "phone": f"09{i:08d}",
                     "received_at": at, "due_at": at + dt.timedelta(days=1),
                     "officer": "canbo1", "counter": 1})
    for batch in chunked(made, 200):
        Dossier.insert_many(batch).execute()
    ids = [d.id for d in Dossier.select(Dossier.id, Dossier.received_at)]
    when = {d.id: d.received_at for d in Dossier.select(Dossier.id, Dossier.received_at)}
    for batch in chunked(ids, 200):
        DossierDocument.insert_many([{"dossier": i, "position": 1, "name": "Tờ khai",
                                      "originals": 1} for i in batch]).execute()
        DossierEvent.insert_many([{"dossier": i, "at": when[i], "action": "received",
                                   "to_status": 2, "officer": "canbo1", "counter": 1}
                                  for i in batch]).execute()
    rows += 3 * dossiers
    numbers: dict[tuple[dt.date, str], int] = {}
    tickets_made = []
    for k in range(tickets):
        at = start + dt.timedelta(days=k * 5 // tickets, seconds=rnd.randrange(9 * 3600))
        letter = "ABCD"[k % 4]
        numbers[(at.date(), letter)] = numbers.get((at.date(), letter), 0) + 1
        tickets_made.append({"day": at.date(), "series": letter,
                             "number": numbers[(at.date(), letter)], "group": letter,
                             "state": "done", "counter": 1, "officer": "canbo1",
                             "issued_at": at, "called_at": at + dt.timedelta(minutes=5),
                             "finished_at": at + dt.timedelta(minutes=12)})
    for batch in chunked(tickets_made, 200):
        Ticket.insert_many(batch).execute()
    for batch in chunked(list(Ticket.select(Ticket.id, Ticket.issued_at).tuples()), 100):
        events = []
        for tid, issued in batch:
            for action, state, minutes in (("issue", "waiting", 0), ("call", "called", 5),
                                           ("finish", "done", 12)):
                events.append({"ticket": tid, "at": issued + dt.timedelta(minutes=minutes),
                               "action": action, "to_state": state, "counter": 1,
                               "officer": "canbo1"})
        TicketEvent.insert_many(events).execute()
    rows += 4 * tickets
    return rows


def _office(server: Any, centre_url: str) -> Any:
    from counter_tui.services.store import open_store
    from tests.conftest import sign_in_as

    folder = office_dir()
    cfg = load_config(folder)
    from dataclasses import replace

    cfg = replace(cfg, sync=replace(cfg.sync, url=centre_url, batch=500))
    store = open_store(cfg)
    sign_in_as(store, cfg.terminal.officer)
    return store


def _floor_inserts(url: str, n: int) -> float:
    import psycopg2

    con = psycopg2.connect(url)
    with con, con.cursor() as cur:
        cur.execute("CREATE TABLE perf_rows (id bigserial PRIMARY KEY, a text, b bigint, "
                    "c timestamp)")
    started = time.perf_counter()
    now = dt.datetime(2026, 12, 1, 9)
    for lo in range(0, n, 500):
        with con, con.cursor() as cur:
            for i in range(lo, min(lo + 500, n)):
                cur.execute("INSERT INTO perf_rows (a, b, c) VALUES (%s, %s, %s) RETURNING id",
                            (f"row {i}", i, now))
    took = time.perf_counter() - started
    con.close()
    return took


def bench_catch_up(server: Any, dossiers: int, tickets: int) -> None:
    from counter_tui.db.connection import write_transaction
    from counter_tui.services.sync import outbox, runner
    from tests.sync.common import make_centre

    centre_url = make_centre(server, "centre_catchup")
    store = _office(server, centre_url)
    outbox.enable(store)
    with store.db.connection_context(), write_transaction(store.db):
        rows = _week(dossiers, tickets, random.Random(3))
    waiting = outbox.waiting(store)
    link = runner.Link(store)
    started = time.perf_counter()
    result = link.run_pass(budget=3600)
    took = time.perf_counter() - started
    link.close()
    floor = _floor_inserts(server.url("centre_catchup"), result.sent)
    print(f"catch-up: {rows:,} rows of a week ({dossiers:,} dossiers, {tickets:,} tickets with "
          f"events; {waiting:,} outbox entries) sent in {result.batches} batches", flush=True)
    summary("sync catch-up, whole pass", [took], "s",
            floor=("the same number of single-row inserts on the centre", [floor]))
    summary("sync catch-up, rows per second", [result.sent / took], "rows/s",
            floor=("single-row inserts per second", [result.sent / floor]))
    store.close()


def bench_lag(server: Any, samples: int) -> None:
    import psycopg2

    from counter_tui.services import queue
    from counter_tui.services.sync import runner
    from tests.sync.common import make_centre

    centre_url = make_centre(server, "centre_lag")
    store = _office(server, centre_url)
    stop = threading.Event()
    worker = threading.Thread(target=runner.run_forever, args=(store, stop), daemon=True)
    worker.start()
    watch = psycopg2.connect(server.url("centre_lag"))
    watch.autocommit = True
    lags: list[float] = []
    try:
        queue.issue(store, "A")  # the first pass turns capture on and sends the history
        time.sleep(2)
        for _ in range(samples):
            issued = queue.issue(store, "A")
            committed = time.perf_counter()
            local = issued.ticket.id
            with watch.cursor() as cur:
                while True:
                    cur.execute("SELECT 1 FROM sync_map WHERE tbl = 'ticket' AND local_id = %s",
                                (local,))
                    if cur.fetchone():
                        break
                    if time.perf_counter() - committed > 30:
                        raise TimeoutError("the ticket never reached the centre")
                    time.sleep(0.005)
            lags.append((time.perf_counter() - committed) * 1000)
            time.sleep(0.3)
    finally:
        stop.set()
        worker.join(10)
        watch.close()
    floor = PostgresCommit(server.url("centre_lag").replace("postgresql://", "postgres://", 1))
    floors = [floor() for _ in range(samples)]
    summary("sync lag, commit at office -> on the centre", lags, "ms", target="<= 2000 ms",
            floor=("one committed insert on the centre", floors))
    store.close()


def main(quick: bool = False) -> None:
    from tests.perf.engines import postgres_server

    print(load(), flush=True)
    with postgres_server() as server:
        scale = 10 if quick else 1
        bench_catch_up(server, DOSSIERS // scale, TICKETS // scale)
        from counter_tui.db.models import database

        database.initialize(None)
        bench_lag(server, 10 if quick else 30)
    print(load(), flush=True)


if __name__ == "__main__":
    main("--quick" in sys.argv)
