"""The officer's worklists over a generated store of a province's year (1,000,000 dossiers by
default, `--quick` 100,000): each list's first page, the five counts the screen's title line
shows, and the query plans, so an index that stops being used shows."""

from __future__ import annotations

import datetime as dt
import sys
import time

from tests.perf.common import load_config, office_dir, summary
from tests.perf.dataset import build

# the generated store's last working day, mid-morning
NOW = dt.datetime(2026, 11, 20, 10, 0)


def main(quick: bool = False) -> None:
    n = 100_000 if quick else 1_000_000
    path = build(n, 2 * n)
    folder = office_dir(f"sqlite:///{path}")
    from counter_tui.core.lifecycle import WORKLISTS
    from counter_tui.services import worklists
    from counter_tui.services.store import open_store

    store = open_store(load_config(folder), seed=False, clock=lambda: NOW)
    print(f"store: {n:,} dossiers", flush=True)
    for name in WORKLISTS:
        samples, size = [], 0
        for _ in range(30):
            started = time.perf_counter()
            size = len(worklists.worklist(store, name).items)
            samples.append((time.perf_counter() - started) * 1000)
        summary(f"worklist {name} ({size} shown)", samples, target="<= 100 ms")
    samples = []
    for _ in range(10):
        started = time.perf_counter()
        counts = worklists.counts(store)
        samples.append((time.perf_counter() - started) * 1000)
    summary("the five counts", samples, target="<= 500 ms")
    print("counts: " + ", ".join(f"{k} {v:,}" for k, v in counts.items()), flush=True)
    _plans(store)


def _plans(store) -> None:  # type: ignore[no-untyped-def]
    from counter_tui.services.worklists import _office_id, _query
    with store.read():
        office = _office_id(store)
        for name in ("due_today", "overdue", "returned_today"):
            sql, params = _query(name, NOW, office).limit(201).sql()
            plan = store.db.execute_sql("EXPLAIN QUERY PLAN " + sql, params).fetchall()
            print(f"plan {name:<14}: " + " | ".join(str(row[-1]) for row in plan), flush=True)


if __name__ == "__main__":
    main("--quick" in sys.argv)
