"""The store benchmarks' data on PostgreSQL, at any size up to a province's (10,000,000 dossiers
over five years): the generated rows streamed into the server with COPY, and the server's data
folder kept, so a second run starts it instead of loading again.

Generating through the models' bulk insert (tests/perf/dataset.py) takes about eleven minutes
a million rows, and copying a SQLite store over as much again: too slow for ten million. Here
the same rows (dataset.tables: the one generator, with the models' field lists) go out in COPY's
text format, with every model default the generator does not name filled in from the model,
after the real migrations. The triggers that keep the reports' summary (dossier_tally) fire
per COPY statement, as they do for an import; the sync capture trigger (a no-op while sync is
off, as it is here) is skipped by loading with session_replication_role = replica, which the
summary's triggers (ENABLE ALWAYS) ignore. The indexes the migrations made are dropped for the
load and made again from their own definitions after it, the way a restore builds them.

The data folder lives under the perf cache (COUNTER_PERF_PG_CACHE; by default the perf cache
when the server runs as this user, else /var/tmp/counter-tui-perf, which the server's own OS
user can reach), named by dataset version, migrations and size; it is made in a
`.building` folder and renamed when whole, so an interrupted load is redone, never used.

    .venv/bin/python -m tests.perf --postgres --dossiers 10000000 bench_reports
"""

from __future__ import annotations

import io
import os
import pwd
import queue
import random
import shutil
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from tests.perf import dataset

VERSION = 1  # bump when the load changes what the server holds
CHUNK = 100_000  # rows a COPY statement: one summary upsert each
# a server sized for reading ten million rows on this 24 GB machine shared with others
SETTINGS = ("-c shared_buffers=1GB -c effective_cache_size=8GB -c work_mem=32MB "
            "-c maintenance_work_mem=1GB -c max_wal_size=16GB -c checkpoint_timeout=30min "
            "-c max_parallel_maintenance_workers=1")
LOADED = ("dossier", "ticket")  # the tables whose indexes are built after the load


def years_for(dossiers: int) -> int:
    """A year for up to two million dossiers (a district's), five for a province's ten."""
    return max(1, min(5, round(dossiers / 2_000_000)))


def cache_root(as_user: list[str]) -> Path:
    chosen = os.environ.get("COUNTER_PERF_PG_CACHE")
    if chosen:
        return Path(chosen)
    return Path("/var/tmp/counter-tui-perf") if as_user else dataset.CACHE


def folder_name(dossiers: int, tickets: int, years: int) -> str:
    schema = dataset.dataset_path(0, 0).name.split("-")[2]  # the migrations' hash
    return (f"pg-v{dataset.DATASET_VERSION}.{VERSION}-{schema}-{dossiers}-{tickets}-"
            f"{years}y")


@contextmanager
def server(dossiers: int, tickets: int) -> Iterator[str]:
    """The URL of a running server holding the generated rows, loaded on first use."""
    from tests.conftest import PostgresServer, _pg_prerequisites

    bindir, as_user = _pg_prerequisites()
    years = years_for(dossiers)
    root = cache_root(as_user) / folder_name(dossiers, tickets, years)
    if not root.exists():
        _build(root, bindir, as_user, dossiers, tickets, years)
    pg = PostgresServer(bindir=bindir, root=root, port=0, as_user=as_user, kept=True,
                        settings=SETTINGS)
    pg.start()
    try:
        yield pg.url("perf")
    finally:
        pg.stop()


def _build(root: Path, bindir: Path, as_user: list[str], dossiers: int, tickets: int,
           years: int) -> None:
    from counter_tui.db import connection
    from tests.conftest import PostgresServer

    building = root.with_name(root.name + ".building")
    shutil.rmtree(building, ignore_errors=True)  # an interrupted load of this same folder
    building.mkdir(parents=True)
    for folder in (building, building.parent):
        folder.chmod(0o755)
    if as_user:
        entry = pwd.getpwnam("postgres")
        os.chown(building, entry.pw_uid, entry.pw_gid)
    free = shutil.disk_usage(building).free
    print(f"postgres: loading {dossiers:,} dossiers and {tickets:,} tickets over {years} "
          f"year(s) into {root} ({free / 2**30:.0f} GB free)", flush=True)
    started = time.perf_counter()
    pg = PostgresServer(bindir=bindir, root=building, port=0, as_user=as_user, kept=True,
                        settings=SETTINGS)
    pg.start()
    try:
        url = pg.create_database("perf")
        db = connection.connect(url)
        connection.migrate(db)
        connection.close(db)
        con = pg.connect("perf")
        load(con, dossiers, tickets, years)
        con.close()
    finally:
        pg.stop()
    building.rename(root)
    used = sum(f.stat().st_size for f in root.rglob("*") if f.is_file())
    print(f"postgres: loaded in {time.perf_counter() - started:.0f} s, "
          f"{used / 2**30:.1f} GB on disk", flush=True)


def load(con: Any, dossiers: int, tickets: int, years: int, seed: int = 7) -> None:
    """Fill the migrated, empty database on `con` (autocommit) with the generated rows."""
    cur = con.cursor()
    cur.execute("SET session_replication_role = replica")
    cur.execute("SELECT indexname, indexdef FROM pg_indexes i WHERE tablename = ANY(%s) AND "
                "NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)",
                (list(LOADED),))
    indexes = cur.fetchall()
    for name, _ in indexes:
        cur.execute(f'DROP INDEX "{name}"')
    for model, fields, rows in dataset.tables(dossiers, tickets, random.Random(seed),
                                              years=years):
        began = time.perf_counter()
        n = _copy(cur, model, fields, rows)
        table = model._meta.table_name
        cur.execute(dataset.next_ids_sql(table))
        print(f"   {table}: {n:,} rows in {time.perf_counter() - began:.0f} s", flush=True)
    for name, definition in indexes:
        began = time.perf_counter()
        cur.execute(definition)
        print(f"   index {name}: {time.perf_counter() - began:.0f} s", flush=True)
    began = time.perf_counter()
    cur.execute("VACUUM ANALYZE")
    cur.execute("CHECKPOINT")
    print(f"   vacuum, analyse, checkpoint: {time.perf_counter() - began:.0f} s", flush=True)


def _copy(cur: Any, model: Any, fields: list[Any], rows: Iterator[tuple[Any, ...]]) -> int:
    """COPY `rows` in chunks, each made on a thread of its own while the server takes the
    one before (psycopg2 lets go of the interpreter while it waits on the server)."""
    named = {f.name for f in fields}
    defaults = [f for f in model._meta.sorted_fields
                if f.name not in named and f.default is not None]
    columns = ", ".join(f'"{f.column_name}"' for f in [*fields, *defaults])
    tail = [f.db_value(f.default() if callable(f.default) else f.default) for f in defaults]
    chunks: queue.Queue[str | None] = queue.Queue(maxsize=2)
    failed: list[BaseException] = []

    def produce() -> None:
        try:
            batch: list[str] = []
            width = len(fields) + len(tail)
            for row in rows:
                line = "\t".join(["\\N" if v is None else str(v) for v in (*row, *tail)])
                if line.count("\t") != width - 1 or "\n" in line or "\\" in line.replace(
                        "\\N", ""):  # a value that needs escaping: rare, done the long way
                    line = "\t".join(map(_text, (*row, *tail)))
                batch.append(line)
                if len(batch) == CHUNK:
                    chunks.put("\n".join(batch) + "\n")
                    batch = []
            if batch:
                chunks.put("\n".join(batch) + "\n")
        except BaseException as exc:  # handed to the loading thread, raised there
            failed.append(exc)
        finally:
            chunks.put(None)

    maker = threading.Thread(target=produce, daemon=True)
    maker.start()
    n = 0
    while (chunk := chunks.get()) is not None:
        cur.copy_expert(f'COPY "{model._meta.table_name}" ({columns}) FROM STDIN',
                        io.StringIO(chunk))
        n += chunk.count("\n")
    maker.join()
    if failed:
        raise failed[0]
    return n


def _text(value: Any) -> str:
    if value is None:
        return "\\N"
    if isinstance(value, int):
        return str(value)
    return str(value).replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")
