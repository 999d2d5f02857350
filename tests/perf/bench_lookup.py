"""Look-ups over a generated store of a province's year (1,000,000 dossiers by default): by code
and by its end, by phone, and by words of the folded name (the whole name, its first words, the
last two, the given name alone, the surname alone: four in ten are Nguyễn, and two surnames
together, which no one has); on SQLite and on PostgreSQL (the same rows copied into a
throwaway server); with the query plans, so an index that stops being used shows.

The first run on a store made before migration 0006 also times that migration (the word index
built from every name already stored); on PostgreSQL, measured beside SQLite, it is timed every
run. PostgreSQL alone (`--postgres`) reads the kept server of the other store benchmarks
(tests/perf/province.py), at any `--dossiers`.
"""

from __future__ import annotations

import os
import random
import sqlite3
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from counter_tui.core.text import fold
from tests.perf.common import acting, load_config, office_dir, summary
from tests.perf.dataset import GIVEN, MIDDLE, SURNAMES, build, sizes
from tests.perf.engines import copy_into, postgres_server, store

TARGETS = {"code": "<= 10 ms", "code end": "<= 10 ms", "phone": "<= 10 ms"}
NAME_TARGET = "<= 50 ms"
RUNS = 200
BEFORE_WORD_SEARCH = "0005_worklist_indexes"


SAMPLE = "SELECT code, phone, applicant_name FROM dossier WHERE id % 997 = 0 ORDER BY id"


def _queries(path: Path) -> dict[str, list[str]]:
    """What officers type, drawn from every 997th dossier: kind -> texts."""
    with sqlite3.connect(path) as con:
        return _kinds(con.execute(SAMPLE).fetchall())


def _kinds(rows: list[tuple[str, str, str]]) -> dict[str, list[str]]:
    # two surnames, the second not the start of any word of a name ("Hồ" begins "Hoài"): found
    # in no name, the most work for an index (both lists are long)
    words = [fold(w) for w in (*MIDDLE, *GIVEN, *(s for s, _ in SURNAMES))]
    surnames = [fold(s) for s, _ in SURNAMES]
    pairs = [f"{a} {b}" for a in surnames for b in surnames
             if a != b and not any(w.startswith(b) and w != b for w in words)]
    return {
        "code": [r[0] for r in rows],
        "code end": [r[0].split("-", 1)[1] for r in rows],  # 261120-0042, as read out
        "phone": [r[1] for r in rows],
        "name": [r[2] for r in rows],
        "name, first two words": [r[2].rsplit(" ", 1)[0] for r in rows],
        "name, last two words": [r[2].split(" ", 1)[1] for r in rows],
        "given name alone": [r[2].rsplit(" ", 1)[1] for r in rows],
        "surname alone": [r[2].split(" ", 1)[0] for r in rows],
        "two surnames (finds none)": pairs,
    }


def _bench(store: Any, queries: dict[str, list[str]], engine: str) -> None:
    from counter_tui.services import lookup

    rnd = random.Random(3)
    for kind, texts in queries.items():
        texts = list(texts)
        rnd.shuffle(texts)
        texts = (texts * (RUNS // len(texts) + 1))[:RUNS]
        samples, found = [], 0
        for text in texts:
            started = time.perf_counter()
            result = lookup.find(store, text)
            samples.append((time.perf_counter() - started) * 1000)
            found += bool(result.items)
        summary(f"{engine}: {kind}", samples, target=TARGETS.get(kind, NAME_TARGET))
        expected = 0 if "finds none" in kind else len(texts)
        assert found == expected, f"{kind}: {found} of {len(texts)} look-ups found something"


def _timed(label: str, fn: Callable[[], Any]) -> Any:
    started = time.perf_counter()
    result = fn()
    print(f"{label}: {time.perf_counter() - started:.1f} s", flush=True)
    return result


def _plans(store: Any, engine: str) -> None:
    from counter_tui.db import search
    from counter_tui.services import lookup

    examples = [("code end", "code_part", "-261120-0042"),
                ("phone", "phone", "0900012345"),
                ("surname", "name", "nguyen"),
                ("given name", "name", "mai"),
                ("name", "name", "pham thi mai"),
                ("two surnames", "name", "nguyen le")]
    for label, kind, key in examples:
        with store.write() as txn:  # PostgreSQL's SET LOCAL lasts until the rollback
            if engine == "sqlite":
                sql, params = lookup._query(store, kind, key, 0, 21).sql()
                rows = store.db.execute_sql("EXPLAIN QUERY PLAN " + sql, params).fetchall()
                print(f"plan {engine} {label:<12}: " + " | ".join(str(r[-1]) for r in rows),
                      flush=True)
            elif kind != "name":
                print(f"plan {engine} {label:<12}: "
                      + _pg_plan(store, lookup._query(store, kind, key, 0, 21)), flush=True)
            else:  # the newest dossiers first, then the GIN index alone
                terms = search.words(key)
                print(f"plan {engine} {label:<12}: newest: "
                      + _pg_plan(store, lookup._recent_matches(terms, 21)), flush=True)
                lookup.only_the_gin_index(store)
                print(f"plan {engine} {label:<12}: rare:   "
                      + _pg_plan(store, lookup._query(store, kind, key, 0, 21)), flush=True)
            txn.rollback()


def _pg_plan(store: Any, query: Any) -> str:
    sql, params = query.sql()
    rows = store.db.execute_sql("EXPLAIN " + sql, params).fetchall()
    return " | ".join(r[0].strip().split("  (cost")[0] for r in rows
                      if r is rows[0] or "->" in r[0])


def _sqlite(path: Path, queries: dict[str, list[str]], n: int) -> None:
    from counter_tui.db.connection import MIGRATIONS
    from counter_tui.services.store import open_store

    with sqlite3.connect(path) as con:
        applied = {r[0] for r in con.execute("SELECT name FROM schema_migration")}
    pending = sorted(p.stem for p in MIGRATIONS.glob("[0-9]*.py") if p.stem not in applied)
    folder = office_dir(f"sqlite:///{path}")
    label = "sqlite: open the store" + (f", migrating {', '.join(pending)} on {n:,} dossiers"
                                        if pending else "")
    store = acting(_timed(label, lambda: open_store(load_config(folder), seed=False)),
                   "officer")
    print(f"store: {n:,} dossiers", flush=True)
    _bench(store, queries, "sqlite")
    _plans(store, "sqlite")
    store.close()


def _postgres(path: Path, queries: dict[str, list[str]]) -> None:
    from playhouse.migrations import Runner

    from counter_tui.db import connection
    from counter_tui.services.store import open_store

    with postgres_server() as server:
        url = server.create_database("lookup")
        db = connection.connect(url)
        with db.connection_context():
            Runner(db, str(connection.MIGRATIONS)).up(target=BEFORE_WORD_SEARCH)
        connection.close(db)
        pg = server.connect("lookup")
        n = _timed("postgres: copy the store's dossiers in",
                   lambda: copy_into(pg, path, ("office", "procedure", "dossier")))
        pg.cursor().execute("VACUUM ANALYZE")
        pg.close()
        db = connection.connect(url)
        applied = _timed(f"postgres: migrate the rest on {n:,} dossiers",
                         lambda: connection.migrate(db))
        print(f"   applied: {', '.join(applied)}", flush=True)
        connection.close(db)
        store = acting(open_store(load_config(office_dir(url)), seed=False), "officer")
        print(f"store: {n:,} dossiers", flush=True)
        _bench(store, queries, "postgres")
        _plans(store, "postgres")
        store.close()


def _load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"machine load (uptime): {one:.2f} {five:.2f} {fifteen:.2f} on {os.cpu_count()} cores"


def _kept_postgres(quick: bool) -> None:
    """PostgreSQL alone, on the kept server of `--postgres` (any `--dossiers`, a province's ten
    million too): no SQLite store is made, the migrations are not timed."""
    from counter_tui.services.store import open_store

    with store(quick, "postgres") as (url, n, _):
        store_ = acting(open_store(load_config(office_dir(url)), seed=False), "officer")
        with store_.read():
            queries = _kinds(store_.db.execute_sql(SAMPLE.replace("%", "%%")).fetchall())
        print(f"store: {n:,} dossiers", flush=True)
        _bench(store_, queries, "postgres")
        _plans(store_, "postgres")
        store_.close()


def main(quick: bool = False, engines: tuple[str, ...] = ("sqlite", "postgres")) -> None:
    if engines == ("postgres",):
        print(_load(), flush=True)
        _kept_postgres(quick)
        print(_load(), flush=True)
        return
    n, tickets = sizes(quick)
    path = build(n, tickets)
    queries = _queries(path)
    print(_load(), flush=True)
    if "sqlite" in engines:
        _sqlite(path, queries, n)
    if "postgres" in engines:
        try:
            _postgres(path, queries)
        except Exception as exc:  # no server binaries here: say so, the SQLite figures stand
            print(f"(PostgreSQL look-ups not measured: {exc})", flush=True)
    print(_load(), flush=True)


if __name__ == "__main__":  # --quick; --sqlite or --postgres for one engine
    main("--quick" in sys.argv,
         tuple(e for e in ("sqlite", "postgres") if f"--{e}" in sys.argv) or ("sqlite", "postgres"))
