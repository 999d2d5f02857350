"""Putting a backup back, and looking a store over (`counter-tui db restore` / `db check`).

A restore replaces everything terminals stored since the backup, so it is refused while a
terminal is connected (unless forced): on SQLite, leaving WAL mode needs every other connection
gone, so asking for it is the test; on PostgreSQL, `pg_stat_activity` lists the sessions. The
backup is checked before anything is touched (a damaged file is refused), and the store as it
was is itself backed up first (`before-restore`), so a restore of the wrong day can be undone.
"""

from __future__ import annotations

import logging
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from counter_tui.config import Config
from counter_tui.services import backup
from counter_tui.services.backup import BackupRefused

log = logging.getLogger(__name__)

COUNTED = ("ticket", "dossier", "print_job", "procedure")


def _sqlite_others(store: Path) -> int:
    """1 when another connection has the store open (0 when none, or no store yet): WAL mode
    can be left only by the one connection there is."""
    if not store.exists():
        return 0
    con = sqlite3.connect(store, timeout=0)
    try:
        mode = con.execute("PRAGMA journal_mode=DELETE").fetchone()[0]
    except sqlite3.OperationalError:
        return 1
    finally:
        con.close()
    return 0 if mode == "delete" else 1


def _pg_connect(url: str) -> Any:
    import psycopg2

    target, env = backup.pg_target(url)
    con = psycopg2.connect(target, password=env.get("PGPASSWORD"), connect_timeout=5)
    con.autocommit = True
    return con


def _pg_others(url: str, *, end_them: bool = False) -> int:
    con = _pg_connect(url)
    try:
        cur = con.cursor()
        where = "datname = current_database() AND pid <> pg_backend_pid()"
        cur.execute(f"SELECT count(*) FROM pg_stat_activity WHERE {where}")
        count = int(cur.fetchone()[0])
        if end_them and count:
            cur.execute(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE {where}")
        return count
    finally:
        con.close()


def connected(cfg: Config) -> int:
    """How many other connections hold the store now."""
    store = backup.sqlite_file(cfg.database.url)
    return _sqlite_others(store) if store else _pg_others(cfg.database.url)


def restore(cfg: Config, path: Path, *, force: bool = False) -> backup.BackupFile | None:
    """Replace the store by the backup `path`; return the copy of the store as it was."""
    store = backup.sqlite_file(cfg.database.url)
    is_pg_file = path.suffix == backup.PG_SUFFIX
    if is_pg_file == (store is not None):
        raise BackupRefused("backup.wrong_engine", path=path,
                            kind="PostgreSQL" if is_pg_file else "SQLite",
                            engine=backup.engine_name(cfg.database.url))
    backup.check_copy(path)
    if store is not None and not store.parent.is_dir():
        from counter_tui.services.store import StoreUnavailable

        raise StoreUnavailable("store.folder_missing", folder=store.parent)
    others = connected(cfg)
    if others and not force:
        raise BackupRefused("restore.busy", count=others)
    before = None
    try:
        if store is None or store.exists():
            before = backup.make_backup(cfg, reason="before-restore")
    except Exception as exc:  # a store too damaged to copy is what a restore is for
        log.warning("no copy of the store before the restore: %s", exc)
    if store is not None:
        _sqlite_restore(path, store)
    else:
        _pg_restore(path, cfg.database.url, force)
    log.info("restored the store from %s", path.name)
    return before


def _sqlite_restore(path: Path, store: Path) -> None:
    source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        target = sqlite3.connect(store, timeout=10)
        try:
            source.backup(target)
            target.execute("PRAGMA journal_mode=WAL")
        finally:
            target.close()
    finally:
        source.close()


def _pg_restore(path: Path, url: str, force: bool) -> None:
    """The schema emptied, then the dump loaded in one transaction: tables a later migration
    added must go too, or the next start would find them and fail to create them."""
    _pg_others(url, end_them=force)
    con = _pg_connect(url)
    try:
        con.cursor().execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    finally:
        con.close()
    target, env = backup.pg_target(url)
    backup.run_tool([backup.pg_tool("pg_restore"), "--no-owner", "--single-transaction",
                     "--exit-on-error", "--dbname", target, str(path)], env)


# --- db check ---------------------------------------------------------------------------------


@dataclass
class StoreReport:
    engine: str
    integrity: str  # "ok" or what the engine found
    applied: list[str] = field(default_factory=list)
    pending: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    size: int | None = None  # bytes (SQLite file with its WAL, or the PostgreSQL database)

    @property
    def healthy(self) -> bool:
        return self.integrity == "ok" and not self.pending


def inspect(cfg: Config) -> StoreReport:
    """Integrity, migrations and row counts of the configured store, without changing it
    (no migration, no sync: a store is looked at as it is)."""
    from counter_tui.db import connection

    store = backup.existing_store(cfg.database.url)
    db = connection.connect(cfg.database.url)
    try:
        with db.connection_context():
            if store is not None:
                rows = db.execute_sql("PRAGMA integrity_check").fetchall()
                integrity = "ok" if rows == [("ok",)] else str(rows[0][0])
                size = sum(p.stat().st_size for p in (store, Path(f"{store}-wal"))
                           if p.exists())
            else:
                integrity = "ok"  # PostgreSQL checks its own pages; reachable is the test
                size = int(db.execute_sql(
                    "SELECT pg_database_size(current_database())").fetchone()[0])
            tables = set(db.get_tables())
            counts = {name: int(db.execute_sql(f"SELECT count(*) FROM {name}").fetchone()[0])
                      for name in COUNTED if name in tables}
        applied, pending = connection.migration_status(db)
    finally:
        connection.close(db)
    return StoreReport(backup.engine_name(cfg.database.url), integrity, applied, pending,
                       counts, size)
