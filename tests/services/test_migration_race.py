"""Terminals started together on a new store: one migrates, the others wait and find it done."""

from __future__ import annotations

import multiprocessing as mp
from typing import Any


def _migrate(url: str, barrier: Any, results: Any) -> None:
    from counter_tui.db.connection import close, connect, migrate

    db = connect(url)
    barrier.wait(timeout=30)
    try:
        results.put(("ok", migrate(db)))
    except Exception as exc:  # reported to the test, which fails on it
        results.put(("error", repr(exc)))
    finally:
        close(db)


def test_four_terminals_migrate_a_new_store_at_once(empty_database_url: str) -> None:
    ctx = mp.get_context("spawn")
    barrier, results = ctx.Barrier(4), ctx.Queue()
    procs = [ctx.Process(target=_migrate, args=(empty_database_url, barrier, results))
             for _ in range(4)]
    for p in procs:
        p.start()
    outcomes = [results.get(timeout=60) for _ in procs]
    for p in procs:
        p.join(timeout=30)
    assert all(kind == "ok" for kind, _ in outcomes), outcomes
    applied = sorted((names for _, names in outcomes), key=len)
    assert applied[:3] == [[], [], []]
    assert applied[3][0] == "0001_initial"
