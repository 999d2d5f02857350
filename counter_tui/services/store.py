"""The store a service works on: the database, the office's configuration, this terminal's
counter, who acts (the signed-in account, `actor`, whose username is the officer carried by
every event; services.authority checks it against the role matrix) and a clock tests can set.

The clock is the office's (core.clock): `store.now()` is the office's wall-clock time whatever
zone the machine is set to, and that naive office time is what every service stores.

`open_store` is the one way in: it connects, applies pending migrations, brings the queue groups
and counters in line with config.toml, and loads the shipped catalogue into an empty store.
It never creates a store where none was: `create_store` (`counter-tui init`) does, on purpose.

When the store cannot be used (its folder is missing, another program holds its lock, the file
or the disk is read-only or full, the server refuses the password), `describe_failure` turns
the engine's error into one `StoreUnavailable` that says what is wrong and what to do: the
message a technician needs, in place of "unexpected error" and a traceback.
"""

from __future__ import annotations

import datetime as dt
import errno
import os
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from peewee import Database, PeeweeException

from counter_tui.config import Config
from counter_tui.core.clock import OfficeClock
from counter_tui.core.errors import UserError
from counter_tui.core.roles import MATRIX, Action, Actor, Role, widened
from counter_tui.db import connection
from counter_tui.db.models import Counter, Office, ServiceGroup


class StoreUnavailable(UserError):
    """The store cannot be used as configured: a matter for the technician, not a refusal of
    the request (the command line exits 2 for it, as for a bad configuration)."""


@dataclass
class Store:
    cfg: Config
    db: Database
    clock: Callable[[], dt.datetime] = field(default_factory=OfficeClock)
    counter: int | None = None
    officer: str | None = None
    actor: Actor | None = None
    grants: Mapping[Action, frozenset[Role]] = field(default_factory=lambda: MATRIX)

    def now(self) -> dt.datetime:
        return self.clock().replace(microsecond=0)

    def sign_in(self, actor: Actor | None) -> None:
        """From now on the store acts as `actor` (services.accounts signs in): its username is
        the officer recorded on every event; None: nobody, and every action is refused."""
        self.actor = actor
        self.officer = actor.username if actor is not None else None

    def as_terminal(self, counter: int | None, officer: str | None) -> Store:
        """The same store seen from another terminal (the CLI's --counter, tests)."""
        return replace(self, counter=counter, officer=officer)

    @contextmanager
    def write(self) -> Iterator[Any]:
        """One transaction that writes: everything in it is stored, or nothing. Every
        other terminal hears of it once it is committed (services.changes)."""
        from counter_tui.services import changes

        with self.db.connection_context(), connection.write_transaction(self.db) as txn:
            yield txn
            changes.announce(self.db, changes.payload(self.counter))

    def close(self) -> None:
        connection.close(self.db)

    @contextmanager
    def read(self) -> Iterator[None]:
        with self.db.connection_context():
            yield


def shown_url(url: str) -> str:
    """The URL without its password, for messages."""
    if "@" in url and "://" in url:
        scheme, rest = url.split("://", 1)
        return f"{scheme}://***@{rest.split('@', 1)[1]}"
    return url


def _user() -> str:
    try:
        import pwd

        return pwd.getpwuid(os.geteuid()).pw_name
    except (ImportError, KeyError):
        return str(os.geteuid())


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


# The engines' own words for conditions a person can put right, and what each is called here.
_SQLITE_SIGNS = (
    ("database is locked", "store.locked"),
    ("database table is locked", "store.locked"),
    ("readonly database", "store.read_only"),
    ("unable to open database file", "store.read_only"),
    ("database or disk is full", "store.disk_full"),
    ("file is not a database", "store.not_a_store"),
    ("database disk image is malformed", "store.not_a_store"),
    ("disk i/o error", "store.io_error"),
)
_POSTGRES_SIGNS = (
    ("password authentication failed", "store.password"),
    ("no password supplied", "store.password"),
    ("role \"", "store.password"),  # role "x" does not exist
    ("does not exist", "store.no_database"),
)
_ERRNO_KEYS = {errno.ENOSPC: "store.disk_full", errno.EDQUOT: "store.disk_full",
               errno.EROFS: "store.read_only", errno.EACCES: "store.read_only",
               errno.EPERM: "store.read_only", errno.EIO: "store.io_error"}


def _nearly_full(folder: Path) -> bool:
    """Whether the disk holding `folder` has less room left than a few writes need."""
    import shutil  # only when the store failed: its import brings bz2 and lzma along

    try:
        return shutil.disk_usage(folder).free < 1024 * 1024
    except OSError:
        return False


def describe_failure(exc: BaseException, url: str) -> StoreUnavailable | None:
    """The store problem `exc` (or an error it was raised from) shows, said for people; None
    when it is not one (then it is a bug, for the log)."""
    safe = shown_url(url)
    path = connection.sqlite_path(url)
    folder = str(path.parent) if path else ""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, StoreUnavailable):
            return current
        if isinstance(current, connection.FolderMissing):
            return StoreUnavailable("store.folder_missing", folder=current.folder)
        if isinstance(current, connection.NetworkShare):
            return StoreUnavailable("store.network_share", folder=current.folder,
                                    fstype=current.fstype)
        if isinstance(current, connection.NotPersistent):
            return StoreUnavailable("store.not_persistent", url=url)
        text = str(current).lower()
        if isinstance(current, PeeweeException | connection.StoreError) or \
                type(current).__module__.startswith(("sqlite3", "psycopg2")):
            if isinstance(current, connection.StoreError) and "psycopg2" in text:
                return StoreUnavailable("store.driver")
            signs = _SQLITE_SIGNS if path else _POSTGRES_SIGNS
            for sign, key in signs:
                if sign in text:
                    if key == "store.io_error" and path and _nearly_full(path.parent):
                        key = "store.disk_full"  # SQLite says "I/O error" when the WAL cannot grow
                    return StoreUnavailable(key, url=safe, folder=folder, user=_user(),
                                            name=url.rsplit("/", 1)[-1].split("?")[0])
            if not path and isinstance(current, PeeweeException) and \
                    type(current).__name__ in ("OperationalError", "InterfaceError"):
                return StoreUnavailable("store.unavailable", url=safe,
                                        reason=_first_line(current))
        if isinstance(current, OSError) and current.errno in _ERRNO_KEYS:
            where = str(Path(current.filename).parent) if current.filename else folder
            return StoreUnavailable(_ERRNO_KEYS[current.errno], url=safe, folder=where,
                                    user=_user())
        current = current.__cause__ or current.__context__
    return None


def _catalogue_empty(store: Store) -> bool:
    from counter_tui.db.models import Procedure

    with store.read():
        return not Procedure.select().exists()


def open_store(cfg: Config, *, clock: Callable[[], dt.datetime] | None = None,
               seed: bool = True, daily_backup: bool = False) -> Store:
    """Connect, migrate (after a backup of a store that had data) and sync the configured
    office, groups and counters. `daily_backup`: a terminal's start, which takes the day's
    first backup (services.backup)."""
    from counter_tui.services import backup

    try:
        db = connection.connect(cfg.database.url)
        connection.migrate(db, lambda pending: backup.before_migration(cfg, pending))
        # Nobody acts until someone signs in (services.accounts): the terminal's configured
        # officer no longer decides who is recorded.
        store = Store(cfg=cfg, db=db, clock=clock or OfficeClock(cfg.office.timezone),
                      counter=cfg.terminal.counter, officer=None,
                      grants=widened(cfg.roles) if cfg.roles else MATRIX)
        _sync_config(store)
        if seed and _catalogue_empty(store):
            # the catalogue's module (CSV import, validation, audit) only for a new store
            from counter_tui.services import catalogue

            catalogue.seed_if_empty(store)
    except (PeeweeException, connection.StoreError, OSError) as exc:
        described = describe_failure(exc, cfg.database.url)
        if described is not None:
            raise described from exc
        raise StoreUnavailable("store.unavailable", url=shown_url(cfg.database.url),
                               reason=_first_line(exc)) from exc
    if daily_backup:
        made = backup.daily(cfg)
        if made is not None:
            from counter_tui.services import audit

            audit.note(store, "store:backup", made.path.name)
    return store


def _never_set_up(url: str) -> bool:
    """A PostgreSQL database no counter-tui has set up yet (made empty by the technician):
    init then says it created the store, not that it found one."""
    try:
        db = connection.connect(url)
        try:
            with db.connection_context():
                return "schema_migration" not in db.get_tables()
        finally:
            connection.close(db)
    except Exception:  # open_store, next, says what is wrong with it
        return False


def create_store(cfg: Config) -> tuple[Store, bool]:
    """The first setup: the store's folder (one level, never a whole missing path, which would
    be a drive not mounted) and the store in it, migrated and seeded. Returns the store and
    whether it is new; an existing store is opened as it is."""
    path = connection.sqlite_path(cfg.database.url)
    new = not path.exists() if path is not None else _never_set_up(cfg.database.url)
    if path is not None and not path.parent.is_dir():
        try:
            path.parent.mkdir(mode=0o700)
        except FileNotFoundError:
            raise StoreUnavailable("store.folder_missing", folder=path.parent.parent) from None
        except OSError as exc:
            raise describe_failure(exc, cfg.database.url) or StoreUnavailable(
                "store.unavailable", url=cfg.database.url, reason=_first_line(exc)) from exc
    store = open_store(cfg)
    if new and path is not None:  # the owner's alone, whatever the umask of the caller
        for part in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
            if part.exists():
                part.chmod(0o600)
    return store, new


def _in_step(store: Store) -> bool:
    """Whether the store already describes the configured office (the usual start: no write).
    Read with statements written out: every command opens the store, and building these
    three with the ORM cost a kiosk's `ticket issue` more than running them."""
    cfg = store.cfg
    db = store.db
    with store.read():
        office = db.execute_sql(
            f"SELECT name, address FROM {Office._meta.table_name} WHERE code = {db.param}",
            (cfg.office.agency_code,)).fetchone()
        groups = set(db.execute_sql(
            f"SELECT letter, name FROM {ServiceGroup._meta.table_name} WHERE active"))
        counters = set(db.execute_sql(
            f"SELECT number, name, groups FROM {Counter._meta.table_name} WHERE active"))
    return (office is not None and tuple(office) == (cfg.office.name, cfg.office.address)
            and groups == {(g.letter, g.name) for g in cfg.groups}
            and counters == {(c.number, c.name, ",".join(c.groups)) for c in cfg.counters})


def _sync_config(store: Store) -> None:
    cfg = store.cfg
    if _in_step(store):
        return
    with store.write():
        Office.insert(code=cfg.office.agency_code, name=cfg.office.name,
                      address=cfg.office.address).on_conflict(
            conflict_target=[Office.code],
            update={Office.name: cfg.office.name, Office.address: cfg.office.address},
        ).execute()
        letters = [g.letter for g in cfg.groups]
        for g in cfg.groups:
            ServiceGroup.insert(letter=g.letter, name=g.name, active=True).on_conflict(
                conflict_target=[ServiceGroup.letter],
                update={ServiceGroup.name: g.name, ServiceGroup.active: True},
            ).execute()
        ServiceGroup.update(active=False).where(ServiceGroup.letter.not_in(letters)).execute()
        numbers = [c.number for c in cfg.counters]
        for c in cfg.counters:
            groups = ",".join(c.groups)
            Counter.insert(number=c.number, name=c.name, groups=groups, active=True).on_conflict(
                conflict_target=[Counter.number],
                update={Counter.name: c.name, Counter.groups: groups, Counter.active: True},
            ).execute()
        Counter.update(active=False).where(Counter.number.not_in(numbers)).execute()
