"""The officer's worklists over a generated store of a province's year (1,000,000 dossiers by
default, `--quick` 100,000) on SQLite or, with `--postgres`, the same rows on PostgreSQL: each
list's first page, the five counts the screen's title line shows, and the query plans, so an
index that stops being used shows. Floor: one committed insert on the same engine.

Targets: each list <= 50 ms, the five counts <= 100 ms.
"""

from __future__ import annotations

import datetime as dt
import sys
import time

from tests.perf import floors
from tests.perf.common import acting, load_config, office_dir, summary
from tests.perf.engines import commit_floor, plan, store

# the generated store's last working day, mid-morning
NOW = dt.datetime(2026, 11, 20, 10, 0)


def main(quick: bool = False, engine: str = "sqlite") -> None:
    with store(quick, engine) as (url, n, _):
        _bench(url, n, engine)


def _bench(url: str, n: int, engine: str) -> None:
    from counter_tui.core.lifecycle import WORKLISTS
    from counter_tui.services import worklists
    from counter_tui.services.store import open_store

    store = acting(open_store(load_config(office_dir(url)), seed=False, clock=lambda: NOW))
    commit = commit_floor(url)
    print(f"store: {n:,} dossiers on {engine}; {floors.load()}", flush=True)
    for name in WORKLISTS:
        samples, floor, size = [], [], 0
        for _ in range(30):
            floor.append(commit())
            started = time.perf_counter()
            size = len(worklists.worklist(store, name).items)
            samples.append((time.perf_counter() - started) * 1000)
        summary(f"{engine}: worklist {name} ({size} shown)", samples, target="<= 50 ms",
                floor=(f"one {engine} commit", floor))
    samples, floor = [], []
    counts: dict[str, int] = {}
    for _ in range(10):
        floor.append(commit())
        started = time.perf_counter()
        counts = worklists.counts(store)
        samples.append((time.perf_counter() - started) * 1000)
    summary(f"{engine}: the five counts", samples, target="<= 100 ms",
            floor=(f"one {engine} commit", floor))
    print("counts: " + ", ".join(f"{k} {v:,}" for k, v in counts.items()), flush=True)
    _plans(store)
    print(floors.load(), flush=True)
    store.close()


def _plans(store) -> None:  # type: ignore[no-untyped-def]
    from counter_tui.db.connection import is_sqlite
    from counter_tui.db.models import Dossier
    from counter_tui.services.worklists import (
        TICKING,
        TICKING_SQL,
        _count_queries,
        _office_id,
        _query,
    )

    with store.read():
        office = _office_id(store)
        for name in ("due_today", "supplements", "ready", "returned_today"):
            sql, params = _query(name, NOW, office).limit(201).sql()
            print(f"plan {name:<14}: {plan(store, sql, params)}", flush=True)
        walk = (Dossier.select(Dossier.due_at, Dossier.id)
                .where(Dossier.office == office, TICKING_SQL, Dossier.status == TICKING[0],
                       Dossier.due_at < NOW).order_by(Dossier.due_at, Dossier.id).limit(201))
        print(f"plan overdue walk  : {plan(store, *walk.sql())}", flush=True)
        for name, queries in _count_queries(NOW, office, sqlite=is_sqlite(store.db)).items():
            for query in queries:
                print(f"plan count {name:<14}: {plan(store, *query.sql())}", flush=True)


if __name__ == "__main__":
    main("--quick" in sys.argv, "postgres" if "--postgres" in sys.argv else "sqlite")
