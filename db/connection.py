"""Opening the store named by a URL and bringing its schema up to date.

SQLite is the embedded default: WAL so readers never wait for the writer, foreign keys on, a
busy timeout so a second terminal waits its turn instead of failing, and `BEGIN IMMEDIATE` for
every write transaction so a read-then-write never deadlocks on the lock upgrade. Connections
are pooled: a transaction borrows one and gives it back, instead of opening a file (and, on
the last close, checkpointing the WAL) every time, which cost more than the work. PostgreSQL
serves an office with many terminals; numbers are allocated there by an atomic upsert on the
sequence row, which locks just that row.

A store is never made up: `connect` opens a file in a folder that exists and nothing else. A
missing folder is an unmounted drive or share far more often than a new office, and a new
empty store there would restart the numbering (A001, 0001) and give out numbers and codes the
real store already holds. The folder is made by the first setup (`counter-tui init`) or by the
technician. An in-memory SQLite store is refused for the same reason: it forgets everything
at exit. Nor is a file on a network share (NFS, SMB): SQLite's locks do not hold across one,
and two counters writing through it corrupt the store; an office with many PCs uses PostgreSQL.

The busy timeout is how long a writer waits for another one. Every write transaction here
lasts milliseconds, so a few seconds of waiting means something is holding the store (a
terminal stopped in a debugger, a database viewer left open): better to say so than to keep
the officer waiting.
"""

from __future__ import annotations

import fcntl
import os
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

from peewee import Database, SqliteDatabase
from playhouse.pool import PooledDatabase, PooledPostgresqlDatabase, PooledSqliteDatabase

from counter_tui.db.models import MODELS, database

# The migrations shipped in the package (the runner needs a real folder: installs unpack to one,
# so it is found from this file, without importlib.resources' import).
MIGRATIONS = Path(__file__).parent / "migrations"
MIGRATION_LOCK_KEY = 0x636F756E746572  # "counter": the advisory lock taken while migrating
SQLITE_PRAGMAS = {  # in this order: the timeout first, so switching to WAL waits its turn too
    "busy_timeout": 3000,
    "journal_mode": "wal",
    "foreign_keys": 1,
    "synchronous": 1,
    "cache_size": -16000,
    "temp_store": 2,
}


class StoreError(Exception):
    """The store cannot be opened or used (wrong URL, server down, missing driver)."""


class FolderMissing(StoreError):
    """The folder of an SQLite store does not exist (see the module doc: never created here)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        super().__init__(str(folder))


class NetworkShare(StoreError):
    """The SQLite file's folder is on a network filesystem (NFS, SMB/CIFS, ...): SQLite's
    locks do not hold there, and two terminals writing through a share corrupt the store."""

    def __init__(self, folder: Path, fstype: str) -> None:
        self.folder, self.fstype = folder, fstype
        super().__init__(f"{folder} ({fstype})")


# Filesystem types whose locking SQLite cannot trust (sqlite.org/useovernet.html).
NETWORK_FILESYSTEMS = frozenset({
    "nfs", "nfs4", "cifs", "smb", "smb2", "smb3", "smbfs", "ncpfs", "afs", "9p", "ceph",
    "glusterfs", "lustre", "gpfs", "davfs", "fuse.sshfs", "fuse.glusterfs", "fuse.smbnetfs",
    "fuse.rclone", "fuse.davfs2", "fuse.s3fs", "fuse.cephfs", "fuse.gvfsd-fuse",
})


def _unescape(field: str) -> str:
    """A mount point as /proc/self/mountinfo writes it (space, tab, newline, backslash octal)."""
    if "\\" not in field:
        return field
    return re.sub(r"\\([0-7]{3})", lambda m: chr(int(m.group(1), 8)), field)


def filesystem_type(folder: Path, mountinfo: str | None = None) -> str | None:
    """The type of the filesystem `folder` is on (Linux: the longest mount point above it in
    /proc/self/mountinfo); None when it cannot be told (another system)."""
    if mountinfo is None:
        try:
            mountinfo = Path("/proc/self/mountinfo").read_text(encoding="utf-8",
                                                              errors="replace")
        except OSError:
            return None
    try:
        target = str(folder.resolve())
    except OSError:
        target = str(folder.absolute())
    # compared as text (every command opening the store asks): the mount points above the
    # folder are each a start of its path, so the longest is the nearest
    best, best_type = -1, None
    for line in mountinfo.splitlines():
        before, sep, after = line.partition(" - ")
        fields = before.split()
        if not sep or len(fields) < 5 or not after.split():
            continue
        point = _unescape(fields[4])
        above = target == point or target.startswith(point if point.endswith("/")
                                                     else point + "/")
        if above and len(point) > best:
            best, best_type = len(point), after.split()[0]
    return best_type


def on_network_share(folder: Path, mountinfo: str | None = None) -> str | None:
    """The network filesystem type `folder` is on, None for a local disk."""
    fstype = filesystem_type(folder, mountinfo)
    return fstype if fstype is not None and fstype.lower() in NETWORK_FILESYSTEMS else None


class NotPersistent(StoreError):
    """An SQLite URL that names no file (`:memory:`, empty): nothing would be kept."""


def sqlite_path(url: str) -> Path | None:
    """The file of an SQLite URL, None for any other engine."""
    if not url.startswith("sqlite:///"):
        return None
    return Path(url[len("sqlite:///") :])


def postgres_params(url: str) -> tuple[str, dict[str, Any]]:
    """The database name and psycopg2's connection parameters of a postgresql:// URL (user and
    password percent-decoded; what the URL leaves out is left to libpq's defaults)."""
    parts = urlparse(url)
    params: dict[str, Any] = {
        "user": unquote(parts.username or "") or None,
        "password": unquote(parts.password or "") or None,
        "host": parts.hostname or None,
        "port": parts.port or None,
        "connect_timeout": 5,
    }
    return parts.path.lstrip("/"), {k: v for k, v in params.items() if v is not None}


def connect(url: str) -> Database:
    """A database for `url`, bound to the models; the connection opens on first use."""
    if url.startswith("sqlite:///"):
        path = url[len("sqlite:///") :]
        if path in ("", ":memory:") or path.startswith("file::memory:"):
            raise NotPersistent(url)
        if not Path(path).parent.is_dir():
            raise FolderMissing(Path(path).parent)
        share = on_network_share(Path(path).parent)
        if share is not None:
            raise NetworkShare(Path(path).parent, share)
        db: Database = PooledSqliteDatabase(path, pragmas=SQLITE_PRAGMAS, max_connections=32,
                                            stale_timeout=600, check_same_thread=False)
    elif url.startswith(("postgresql://", "postgres://")):
        try:
            import psycopg2  # noqa: F401
        except ImportError:
            raise StoreError("psycopg2 (pip install 'counter-tui[postgres]')") from None
        name, params = postgres_params(url)
        db = PooledPostgresqlDatabase(name, max_connections=32, stale_timeout=600, **params)
    else:
        raise StoreError(url)
    database.initialize(db)
    return db


def is_sqlite(db: Database) -> bool:
    return isinstance(db, SqliteDatabase)


def write_transaction(db: Database) -> Any:
    """One write transaction; on SQLite it takes the write lock at BEGIN (see module doc)."""
    return db.atomic("IMMEDIATE") if is_sqlite(db) else db.atomic()


def close(db: Database) -> None:
    """Close every connection of the store (at exit, and between tests)."""
    if isinstance(db, PooledDatabase):
        db.close_all()
    elif not db.is_closed():
        db.close()


@contextmanager
def _migrating(db: Database) -> Iterator[None]:
    """A connection held by the one terminal that migrates: two starting together on a new
    store would otherwise both try to create the same tables. SQLite: an exclusive lock on a
    file beside the database, taken before the connection opens, because opening one sets
    WAL mode, which a new database refuses at once ("locked") while another terminal writes
    its tables; PostgreSQL: a session advisory lock."""
    if is_sqlite(db):
        with open(f"{db.database}.migrate-lock", "a+b") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                with db.connection_context():
                    yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)
        return
    with db.connection_context():
        db.execute_sql("SELECT pg_advisory_lock(%s)", (MIGRATION_LOCK_KEY,))
        try:
            yield
        finally:
            db.execute_sql("SELECT pg_advisory_unlock(%s)", (MIGRATION_LOCK_KEY,))


HISTORY_TABLE = "schema_migration"  # where playhouse.migrations' Runner records them


def _up_to_date(db: Database) -> bool:
    """Every shipped migration is in the history: what nearly every start finds, answered by
    one query instead of the migration runner, whose import (the schema migrator, every
    engine's extensions) cost each command and each terminal's start more than its work."""
    shipped = {name[:-3] for name in os.listdir(MIGRATIONS)
               if name[:1].isdigit() and name.endswith(".py")}
    if not db.table_exists(HISTORY_TABLE):
        return not shipped
    applied = {row[0] for row in db.execute_sql(f"SELECT name FROM {HISTORY_TABLE}")}
    return shipped <= applied


def migrate(db: Database, before: Callable[[list[str]], None] | None = None) -> list[str]:
    """Apply the pending numbered migrations; return their names. `before(pending)` runs
    first, under the lock, when a store that already has a history is about to change (the
    backup taken before an upgrade; a new store has nothing to keep)."""
    with _migrating(db):
        if _up_to_date(db):
            return []
        from playhouse.migrations import Runner

        runner = Runner(db, str(MIGRATIONS))
        status = runner.status()
        pending = [m.name for m in status if not m.applied and m.path is not None]
        if not pending:
            # nothing to change: no DDL at all, so a PostgreSQL role that may not create
            # tables (the application's, README) opens an up-to-date store
            return []
        if before is not None and any(m.applied for m in status):
            before(pending)
        return list(runner.up())


def migration_status(db: Database) -> tuple[list[str], list[str]]:
    """The applied migrations and the pending ones, by name."""
    from playhouse.migrations import Runner

    with db.connection_context():
        status = Runner(db, str(MIGRATIONS)).status()
    return ([m.name for m in status if m.applied],
            [m.name for m in status if not m.applied and m.path is not None])


__all__ = ["MODELS", "FolderMissing", "NetworkShare", "NotPersistent", "StoreError", "close",
           "connect", "is_sqlite", "migrate", "migration_status", "postgres_params", "sqlite_path",
           "write_transaction"]
