"""The store benchmarks on either engine: the generated SQLite store as it is, or the same rows
on a PostgreSQL server started on 127.0.0.1 (as the test suite starts one, tests/conftest.py)
on a data folder loaded once with COPY and kept (tests/perf/province.py). `--postgres` on
`python -m tests.perf` (or on one benchmark) picks PostgreSQL; it needs the server binaries
(`apt-get install postgresql`) and psycopg2. `copy_into` copies a SQLite store's rows into a
server of a benchmark's own (the look-ups time the migrations on them).

Also each engine's query plan as one line, and its floor: one committed insert.
"""

from __future__ import annotations

import io
import os
import sqlite3
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from tests.perf.floors import PostgresCommit, WalCommit

TABLES = ("office", "procedure", "dossier", "ticket")


def _text(value: Any) -> str:
    if value is None:
        return "\\N"
    return str(value).replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")


def _copy_chunks(con: sqlite3.Connection, table: str, columns: list[str],
                 size: int = 100_000) -> Iterator[str]:
    """The rows in COPY's text format: tab-separated, NULL as \\N."""
    cursor = con.execute(f"SELECT {', '.join(columns)} FROM {table} ORDER BY 1")
    while rows := cursor.fetchmany(size):
        yield "".join("\t".join(_text(v) for v in row) + "\n" for row in rows)


def copy_into(pg: Any, path: Path, tables: tuple[str, ...] = TABLES) -> int:
    """Copy `tables` of the SQLite store at `path` into PostgreSQL (same schema: both made by
    the migrations); returns the number of dossiers."""
    with sqlite3.connect(path) as con:
        for table in tables:
            columns = [r[1] for r in con.execute(f"PRAGMA table_info({table})")]
            quoted = ", ".join(f'"{c}"' for c in columns)
            with pg.cursor() as cur:
                for chunk in _copy_chunks(con, table, columns):
                    cur.copy_expert(f'COPY "{table}" ({quoted}) FROM STDIN', io.StringIO(chunk))
                cur.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                            f'(SELECT max(id) FROM "{table}"))')
        return int(con.execute("SELECT count(*) FROM dossier").fetchone()[0])


@contextmanager
def postgres_server() -> Iterator[Any]:
    """A throwaway PostgreSQL server on 127.0.0.1, stopped at the end."""
    import pwd

    from tests.conftest import PostgresServer, _pg_prerequisites

    bindir, as_user = _pg_prerequisites()
    root = Path(tempfile.mkdtemp(prefix="counter-perf-pg-"))
    if as_user:
        entry = pwd.getpwnam("postgres")
        os.chown(root, entry.pw_uid, entry.pw_gid)
    server = PostgresServer(bindir=bindir, root=root, port=0, as_user=as_user)
    server.start()
    try:
        yield server
    finally:
        server.stop()


@contextmanager
def store(quick: bool, engine: str) -> Iterator[tuple[str, int, int]]:
    """The URL of the generated store on `engine`, with its numbers of dossiers and tickets
    (dataset.sizes: `--dossiers`, `--tickets`): on SQLite the cached file, on PostgreSQL a
    server on its kept data folder, loaded with COPY on first use (tests/perf/province.py)."""
    from tests.perf import province
    from tests.perf.dataset import build, sizes

    n, tickets = sizes(quick)
    if engine == "sqlite":
        yield f"sqlite:///{build(n, tickets)}", n, tickets
        return
    with province.server(n, tickets) as url:
        yield url, n, tickets


def commit_floor(url: str) -> Callable[[], float]:
    """One committed insert on the engine of `url`: the store figures' floor."""
    return WalCommit() if url.startswith("sqlite:") else PostgresCommit(_dsn(url))


def _dsn(url: str) -> str:
    return url.replace("postgresql://", "postgres://", 1)


def plan(store: Any, sql: str, params: Any) -> str:
    """The statement's plan as one line."""
    if store.db.__class__.__name__.lower().find("sqlite") >= 0:
        rows = store.db.execute_sql("EXPLAIN QUERY PLAN " + sql, params).fetchall()
        return " | ".join(str(r[-1]) for r in rows)
    rows = store.db.execute_sql("EXPLAIN " + sql, params).fetchall()
    return " | ".join(r[0].strip().split("  (cost")[0] for r in rows
                      if r is rows[0] or "->" in r[0])
