"""Copies of the store that can be trusted: taken while terminals work, checked, kept in order.

A plain copy of the SQLite file taken while the app runs misses what is still in the WAL (it
opened as "no such table"), so SQLite is copied with its online backup API, in one step: the
copy is one read transaction, a consistent moment of the store. PostgreSQL is copied with
`pg_dump` in its custom format (one snapshot as well). Every copy is written under a temporary
name, checked (SQLite: `PRAGMA integrity_check` and its migration history; PostgreSQL:
`pg_restore --list`) and only then given its name, so a file named like a backup is one.

Names carry the office's time (`counter-20260512-080000-daily.db`), so a listing sorts by age
and retention reads the date from the name: the newest copy of each of the last
`backup.keep_daily` days and of each of the last `backup.keep_monthly` months are kept, the
rest of the folder's copies removed (every copy of the last 24 hours is kept, so the one taken
before a migration or a restore survives the day's later copies). Files are 0600 in a 0700
folder: they hold personal data. The dossiers' scanned documents are copied beside them, into
one mirror every copy shares (services/backup_documents.py).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import logging
import os
import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote, urlparse

from counter_tui.config import Config
from counter_tui.core.clock import OfficeClock
from counter_tui.core.errors import UserError, os_reason
from counter_tui.core.records import frozen

log = logging.getLogger(__name__)

SQLITE_SUFFIX, PG_SUFFIX = ".db", ".pgdump"
_NAME = re.compile(r"^counter-(\d{8}-\d{6})(?:-([a-z-]+?))?(?:-(\d+))?\.(db|pgdump)$")
HISTORY_TABLE = "schema_migration"


class BackupRefused(UserError):
    """A backup that cannot be made or used; the message says why and what to do."""


@frozen
class BackupFile:
    path: Path
    taken: dt.datetime  # office time, from the name
    reason: str  # "" (by hand), daily, before-migration, before-restore

    @property
    def size(self) -> int:
        try:
            return self.path.stat().st_size
        except OSError:
            return 0


def sqlite_file(url: str) -> Path | None:
    return Path(url[len("sqlite:///"):]) if url.startswith("sqlite:///") else None


def engine_name(url: str) -> str:
    return "SQLite" if sqlite_file(url) else "PostgreSQL"


def existing_store(url: str) -> Path | None:
    """The SQLite file of `url`, which must exist (sqlite3 would make an empty one); None for
    PostgreSQL."""
    store = sqlite_file(url)
    if store is not None and not store.is_file():
        from counter_tui.services.store import StoreUnavailable

        if not store.parent.is_dir():
            raise StoreUnavailable("store.folder_missing", folder=store.parent)
        raise BackupRefused("backup.no_store", path=store)
    return store


def folder_of(cfg: Config) -> Path:
    return Path(cfg.backup.folder)


def listed(folder: Path) -> list[BackupFile]:
    """The backups in `folder`, oldest first (by the time in their names)."""
    found: list[BackupFile] = []
    try:
        entries = list(folder.iterdir())
    except OSError:
        return []
    for path in entries:
        match = _NAME.match(path.name)
        if match is None or not path.is_file():
            continue
        stamp = match.group(1)  # YYYYmmdd-HHMMSS, digits checked by _NAME (no strptime:
        # its import and pattern cost every terminal's start)
        try:
            taken = dt.datetime(int(stamp[:4]), int(stamp[4:6]), int(stamp[6:8]),
                                int(stamp[9:11]), int(stamp[11:13]), int(stamp[13:15]))
        except ValueError:  # 20261399-…: not a date, not one of ours
            continue
        found.append(BackupFile(path, taken, match.group(2) or ""))
    return sorted(found, key=lambda b: (b.taken, b.path.name))


def last_backup(cfg: Config) -> BackupFile | None:
    found = listed(folder_of(cfg))
    return found[-1] if found else None


def _private_folder(folder: Path) -> None:
    """The folder, made 0700 if missing (one level: a missing parent is a drive not mounted)."""
    if folder.is_dir():
        return
    try:
        folder.mkdir(mode=0o700)
    except FileNotFoundError:
        raise BackupRefused("backup.folder_missing", folder=folder) from None
    folder.chmod(0o700)


def _private_file(path: Path) -> None:
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))


def _name_for(folder: Path, taken: dt.datetime, reason: str, suffix: str) -> Path:
    stem = f"counter-{taken:%Y%m%d-%H%M%S}" + (f"-{reason}" if reason else "")
    path, n = folder / f"{stem}{suffix}", 1
    while path.exists():
        n += 1
        path = folder / f"{stem}-{n}{suffix}"
    return path


# --- PostgreSQL tools -------------------------------------------------------------------------


def _version_key(path: Path) -> tuple[int, ...]:
    return tuple(int(x) for x in re.findall(r"\d+", path.parent.parent.name)) or (0,)


def pg_tool(name: str) -> str:
    """pg_dump / pg_restore: on PATH, else the newest Debian/Ubuntu server package's."""
    import shutil  # PostgreSQL only: every start checks for the day's backup without it

    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), key=_version_key,
                        reverse=True)
    if candidates:
        return str(candidates[0])
    raise BackupRefused("backup.tool_missing", tool=name)


def pg_target(url: str) -> tuple[str, dict[str, str]]:
    """The URL without its password (which goes in PGPASSWORD, never on a command line)."""
    parts = urlparse(url)
    env = {**os.environ, "PGCONNECT_TIMEOUT": "5"}
    if parts.password:
        env["PGPASSWORD"] = unquote(parts.password)
    netloc = parts.hostname or ""
    if parts.username:
        netloc = f"{parts.username}@{netloc}"
    if parts.port:
        netloc = f"{netloc}:{parts.port}"
    return parts._replace(netloc=netloc).geturl(), env


def run_tool(args: list[str], env: dict[str, str] | None = None) -> str:
    import subprocess  # only for a PostgreSQL store: every terminal's start loads this module

    tool = Path(args[0]).name
    try:
        done = subprocess.run(args, capture_output=True, text=True, env=env, timeout=3600,
                              stdin=subprocess.DEVNULL)
    except OSError as exc:
        raise BackupRefused("backup.tool_failed", tool=tool, reason=os_reason(exc)) from exc
    if done.returncode != 0:
        lines = [x for x in done.stderr.splitlines() if x.strip()]
        raise BackupRefused("backup.tool_failed", tool=tool,
                            reason=lines[-1] if lines else f"exit {done.returncode}")
    return done.stdout


# --- checking a copy --------------------------------------------------------------------------


def check_copy(path: Path, *, pg: bool | None = None) -> None:
    """Refuse a file that is not a sound backup: it must read back whole and hold the store's
    migration history (so it is a counter-tui store, not any SQLite file). `pg`: a pg_dump
    file (by default, told by its name)."""
    if not path.is_file():
        raise BackupRefused("backup.corrupt", path=path, reason="not a file")
    if pg if pg is not None else path.suffix == PG_SUFFIX:
        tool = pg_tool("pg_restore")
        try:
            listing = run_tool([tool, "--list", str(path)])
            run_tool([tool, "--file", os.devnull, str(path)])  # reads every block of data
        except BackupRefused as exc:
            raise BackupRefused("backup.corrupt", path=path,
                                reason=exc.params.get("reason", "")) from exc
        if f"TABLE DATA public {HISTORY_TABLE}" not in listing:
            raise BackupRefused("backup.corrupt", path=path, reason="pg_restore --list")
        return
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            rows = con.execute("PRAGMA integrity_check").fetchall()
            if rows != [("ok",)]:
                raise BackupRefused("backup.corrupt", path=path, reason=str(rows[0][0]))
            con.execute(f"SELECT count(*) FROM {HISTORY_TABLE}").fetchone()
        finally:
            con.close()
    except sqlite3.DatabaseError as exc:
        raise BackupRefused("backup.corrupt", path=path, reason=str(exc)) from exc


# --- making a copy ----------------------------------------------------------------------------


def _sqlite_copy(store: Path, target: Path) -> None:
    source = sqlite3.connect(store, timeout=10)
    try:
        copy = sqlite3.connect(target)
        try:
            source.backup(copy)  # in one step: one read transaction, one moment of the store
            copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
        finally:
            copy.close()
    finally:
        source.close()


def make_backup(cfg: Config, *, to: Path | None = None, reason: str = "",
                now: dt.datetime | None = None) -> BackupFile:
    """Copy the store into `to` (default backup.folder, then pruned), check it, name it."""
    folder = to if to is not None else folder_of(cfg)
    _private_folder(folder)
    taken = (now or OfficeClock(cfg.office.timezone)()).replace(microsecond=0)
    store = existing_store(cfg.database.url)
    path = _name_for(folder, taken, reason, SQLITE_SUFFIX if store else PG_SUFFIX)
    part = path.with_name(f".{path.name}.part")
    _private_file(part)
    try:
        if store is not None:
            _sqlite_copy(store, part)
        else:
            target, env = pg_target(cfg.database.url)
            run_tool([pg_tool("pg_dump"), "--format=custom", "--no-owner",
                      "--file", str(part), target], env)
        part.chmod(0o600)
        check_copy(part, pg=store is None)
        os.replace(part, path)
    finally:
        part.unlink(missing_ok=True)
    made = BackupFile(path, taken, reason)
    from counter_tui.services.backup_documents import copy_documents

    copy_documents(cfg, folder)  # the scanned documents the store's rows name
    log.info("backup %s written (%s, %d bytes)", path.name, reason or "by hand", made.size)
    if to is None:
        prune(folder, cfg.backup.keep_daily, cfg.backup.keep_monthly)
    return made


def prune(folder: Path, keep_daily: int, keep_monthly: int) -> list[Path]:
    """Remove the copies retention does not keep; return them."""
    found = listed(folder)
    kept: set[Path] = set()
    days: dict[dt.date, BackupFile] = {}
    months: dict[tuple[int, int], BackupFile] = {}
    for b in found:  # oldest first: the last one seen of a day or month is its newest
        days[b.taken.date()] = b
        months[(b.taken.year, b.taken.month)] = b
    kept |= {days[d].path for d in sorted(days)[-keep_daily:]} if keep_daily else set()
    kept |= {months[m].path for m in sorted(months)[-keep_monthly:]} if keep_monthly else set()
    if found:  # a day's copies are all kept for a day: the one before a migration or restore too
        kept |= {b.path for b in found if b.taken >= found[-1].taken - dt.timedelta(days=1)}
    removed = []
    for b in found:
        if b.path not in kept:
            with contextlib.suppress(OSError):
                b.path.unlink()
                removed.append(b.path)
    if removed:
        log.info("backup retention removed %d old copies", len(removed))
    return removed


# --- automatic copies -------------------------------------------------------------------------


@contextlib.contextmanager
def _only_one(folder: Path) -> Iterator[bool]:
    """True for the one process that may take an automatic copy now (terminals starting
    together must not all copy the store)."""
    try:
        _private_folder(folder)
        handle = os.fdopen(os.open(folder / ".lock", os.O_RDWR | os.O_CREAT, 0o600), "r+b")
    except (OSError, UserError):
        yield True
        return
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            yield False
            return
        yield True
    finally:
        handle.close()


def daily(cfg: Config) -> BackupFile | None:
    """The first start of the office's day copies the store; a failure is logged, never in
    the way of the officer (the next start tries again)."""
    folder = folder_of(cfg)
    today = OfficeClock(cfg.office.timezone).today()
    if any(b.taken.date() == today for b in listed(folder)):
        return None
    try:
        with _only_one(folder) as mine:
            if not mine or any(b.taken.date() == today for b in listed(folder)):
                return None
            return make_backup(cfg, reason="daily")
    except Exception as exc:
        log.warning("daily backup failed: %s", exc)
        return None


def before_migration(cfg: Config, pending: list[str]) -> None:
    """A copy of the store as it was, before `pending` migrations change it. A failure stops
    the migration: an upgrade without a way back is not made."""
    log.info("backup before migrations %s", ", ".join(pending))
    make_backup(cfg, reason="before-migration")
