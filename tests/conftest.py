"""Fixtures shared by the whole suite: a config that is never the user's, a settable clock, and
the store on both engines (a temporary SQLite file and a throwaway PostgreSQL server).

Config
    `make_config(tmp_path, **overrides) -> Config`: the repository's config.toml read with
    tomllib, its database and printer pointed into `tmp_path`, then `overrides` applied, then
    parsed by `counter_tui.config.parse` (environment overrides are NOT applied).
    `write_config(tmp_path, **overrides) -> Path`: the same data written as
    `tmp_path/config.toml` (or `name=`), for the real CLI and for child processes.
    Overrides: a table (`printer={"paper_mm": 58}`) is merged key by key into the shipped
    section, anything else (`groups=[...]`, `catalogue="x.csv"`) replaces it; `None` removes a
    key or a whole section.

Clock
    `clock -> Clock`: a fixed, settable time (Tuesday 12 May 2026, 08:00). `clock.now` can be
    assigned, `clock.advance(days=1, minutes=5)` moves it on; a Clock is what `open_store`
    takes as `clock=`, and `store.clock` is that same object.

Store (every test that uses these runs twice: `[sqlite]` and `[postgres]`)
    `engine -> "sqlite" | "postgres"`; the postgres run carries the `postgres` marker. To run a
    test on one engine only: `@pytest.mark.parametrize("engine", ["sqlite"], indirect=True)`.
    `database_url -> str`: this test's own database, empty of rows: a new SQLite FILE,
    `tmp_path/data/counter.db` (never `:memory:`; the same file `make_config` points at), or on
    PostgreSQL the worker's store database with every row deleted and its ids restarted
    (schema and migration history kept: ~20 ms, where a new database costs ~300 ms). A child
    process or the CLI reaches the same store with
    `write_config(tmp_path, database={"url": database_url})`.
    `empty_database_url -> str`: a database with no tables at all (a file not yet created, or
    a new PostgreSQL database), for migration tests.
    `open_test_store(seed=True, url=None, **config_overrides) -> Store`: `open_store` on
    `database_url` (or `url`) with `clock` and `make_config(tmp_path, **config_overrides)`.
    Every store it opened is closed at teardown and the models' global `DatabaseProxy` is
    unbound. The proxy is global per process, so only the store opened last is usable: use
    `store.as_terminal(counter, officer)` to act as another terminal.
    `store -> Store`: `open_test_store()`: the shipped config (groups A-D, counters 1-3,
    terminal counter 1 / officer canbo1), migrated, seeded with the shipped catalogue.

PostgreSQL
    `pg_server` (session): a throwaway server started with the system's `initdb`/`pg_ctl`
    (found on PATH, in /usr/lib/postgresql/*/bin, /usr/local/bin, or $PG_BINDIR), run as the
    `postgres` OS user when the tests run as root, trust authentication for user `counter`,
    listening on 127.0.0.1 on a free port, fsync off. It starts on first use only, is stopped
    and removed at the end of the session; under pytest-xdist every worker has its own.
    Missing binaries or driver: the PostgreSQL tests skip with the reason, except under
    `CI=true`, where they fail (never skip under CI).
    `pg_server.create_database() -> url`, `.url(name)`, `.connect()` (an autocommit psycopg2
    connection to the `postgres` database), `.drop_database(name)`.
"""

from __future__ import annotations

import atexit
import datetime as dt
import itertools
import json
import os
import pwd
import re
import shlex
import shutil
import socket
import subprocess
import tempfile
import time
import tomllib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from counter_tui.config import Config, parse
from counter_tui.core.i18n import set_language, set_strict

REPO = Path(__file__).resolve().parents[1]

# The user's cache folder is the suite's own (python-escpos's printer database, pickled by the
# printing code, went to the real ~/.cache): set before any test runs the application, so
# every child process, tmux session and pytest-xdist worker inherits it.
_CACHE_HOME = tempfile.mkdtemp(prefix="counter-tests-cache-")
os.environ["XDG_CACHE_HOME"] = _CACHE_HOME
atexit.register(shutil.rmtree, _CACHE_HOME, ignore_errors=True)
SHIPPED_CONFIG = REPO / "config.toml"
START = dt.datetime(2026, 5, 12, 8, 0)  # a Tuesday, a working day, the office just opened
TEST_PIN_COST = 2
TEST_PIN = "246810"
STAFF = ("officer", "supervisor", "technician", "administrator")
ENV_PREFIX = "COUNTER_TUI_"

set_strict(True)  # a message key in no catalogue fails the test that shows it


# ---------------------------------------------------------------------------------------------
# Environment: no test sees the user's overrides, and every test starts in Vietnamese.


@pytest.fixture(autouse=True)
def _isolated_environment(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    for name in list(os.environ):
        if name.startswith(ENV_PREFIX):
            monkeypatch.delenv(name)
    set_language("vi")
    yield
    set_language("vi")


def clean_env(**extra: str) -> dict[str, str]:
    """os.environ without COUNTER_TUI_* variables, plus `extra`: for child processes."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(ENV_PREFIX)}
    env.update(extra)
    return env


# ---------------------------------------------------------------------------------------------
# Clock


class Clock:
    """A wall clock a test sets: `store.clock.advance(minutes=5)`."""

    def __init__(self, now: dt.datetime = START) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, *, days: float = 0, hours: float = 0, minutes: float = 0,
                seconds: float = 0) -> dt.datetime:
        self.now += dt.timedelta(days=days, hours=hours, minutes=minutes, seconds=seconds)
        return self.now

    def __repr__(self) -> str:
        return f"Clock({self.now.isoformat()})"


@pytest.fixture
def clock() -> Clock:
    return Clock()


# ---------------------------------------------------------------------------------------------
# Config


def config_data(tmp_path: Path, **overrides: Any) -> dict[str, Any]:
    """The shipped config.toml as a dict, pointed into `tmp_path`, with `overrides` applied.
    `tmp_path/data` is made, as the application ships its data folder: a store is never
    created in a folder that does not exist."""
    (tmp_path / "data").mkdir(parents=True, exist_ok=True)
    data: dict[str, Any] = tomllib.loads(SHIPPED_CONFIG.read_text(encoding="utf-8"))
    data["database"]["url"] = f"sqlite:///{tmp_path / 'data' / 'counter.db'}"
    data["printer"]["target"] = str(tmp_path / "data" / "printer.out")
    # A PIN's hash at the cheapest cost scrypt takes: thousands of sign-ins in the suite.
    data.setdefault("security", {})["pin_cost"] = TEST_PIN_COST
    for key, value in overrides.items():
        if value is None:
            data.pop(key, None)
        elif isinstance(value, dict) and isinstance(data.get(key), dict):
            section = dict(data[key])
            for k, v in value.items():
                if v is None:
                    section.pop(k, None)
                else:
                    section[k] = v
            data[key] = section
        else:
            data[key] = value
    return data


def _make_config(tmp_path: Path, **overrides: Any) -> Config:
    return parse(config_data(tmp_path, **overrides), tmp_path / "config.toml")


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)  # a valid TOML basic string
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{json.dumps(k)} = {_toml_value(v)}"
                               for k, v in value.items()) + "}"
    raise TypeError(f"cannot write {value!r} as TOML")


def toml_dumps(data: dict[str, Any]) -> str:
    """Enough TOML for a config: top-level keys, [tables] and [[arrays of tables]]."""
    def is_table_list(v: Any) -> bool:
        return isinstance(v, list) and bool(v) and all(isinstance(x, dict) for x in v)

    lines = [f"{k} = {_toml_value(v)}" for k, v in data.items()
             if not isinstance(v, dict) and not is_table_list(v)]
    for key, value in data.items():
        if isinstance(value, dict):
            lines += ["", f"[{key}]"] + [f"{json.dumps(k)} = {_toml_value(v)}"
                                         for k, v in value.items()]
        elif is_table_list(value):
            for item in value:
                lines += ["", f"[[{key}]]"] + [f"{json.dumps(k)} = {_toml_value(v)}"
                                               for k, v in item.items()]
    return "\n".join(lines) + "\n"


def _write_config(tmp_path: Path, name: str = "config.toml", **overrides: Any) -> Path:
    path = tmp_path / name
    path.write_text(toml_dumps(config_data(tmp_path, **overrides)), encoding="utf-8")
    return path


@pytest.fixture
def make_config() -> Callable[..., Config]:
    """`make_config(tmp_path, **overrides) -> Config` (see the module doc)."""
    return _make_config


@pytest.fixture
def write_config() -> Callable[..., Path]:
    """`write_config(tmp_path, name="config.toml", **overrides) -> Path` (see the module doc)."""
    return _write_config


# ---------------------------------------------------------------------------------------------
# PostgreSQL: a throwaway server per test session (per xdist worker)


class PostgresUnavailable(Exception):
    """What is missing to run a PostgreSQL server here (binaries, driver, OS user)."""


def _version_key(path: Path) -> tuple[int, ...]:
    return tuple(int(x) for x in re.findall(r"\d+", path.parent.name)) or (0,)


def find_pg_bindir() -> Path | None:
    """The directory holding both initdb and pg_ctl, or None."""
    candidates: list[Path] = []
    if os.environ.get("PG_BINDIR"):
        candidates.append(Path(os.environ["PG_BINDIR"]))
    found = shutil.which("initdb")
    if found:
        candidates.append(Path(found).resolve().parent)
    candidates += sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=_version_key,
                         reverse=True)
    candidates += [Path("/usr/local/bin"), Path("/usr/local/pgsql/bin")]
    for directory in candidates:
        initdb, pg_ctl = directory / "initdb", directory / "pg_ctl"
        if initdb.exists() and pg_ctl.exists():
            return initdb.resolve().parent  # beside the real `postgres` binary
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class PostgresServer:
    """A running throwaway server; `url(name)` is what `database.url` takes."""

    bindir: Path
    root: Path
    port: int
    host: str = "127.0.0.1"
    user: str = "counter"
    as_user: list[str] = field(default_factory=list)
    # durable: every commit acknowledged is in the server's WAL with the OS before the client
    # hears of it (synchronous_commit on), so a server killed (never the machine: fsync stays
    # off) keeps what it acknowledged, as a real centre does; else the fastest settings
    durable: bool = False
    # kept: a data folder that outlives the server (the province-scale benchmark store, built
    # once): started on what it holds if it was made before, stopped cleanly, never removed
    kept: bool = False
    settings: str = ""  # more `-c name=value` options
    startup_seconds: float = 0.0
    _names: Iterator[int] = field(default_factory=lambda: itertools.count(1))

    @property
    def data(self) -> Path:
        return self.root / "data"

    def url(self, name: str) -> str:
        return f"postgresql://{self.user}@{self.host}:{self.port}/{name}"

    def connect(self, dbname: str = "postgres") -> Any:
        import psycopg2

        conn = psycopg2.connect(host=self.host, port=self.port, user=self.user, dbname=dbname,
                                connect_timeout=5)
        conn.autocommit = True
        return conn

    def run(self, *args: str, out: Path | None = None) -> None:
        """Run a server binary as the server's OS user; raise with its output on failure."""
        cmd = [str(self.bindir / args[0]), *args[1:]]
        if self.as_user and self.as_user[0] == "su":
            cmd = [*self.as_user, shlex.join(cmd)]
        else:
            cmd = [*self.as_user, *cmd]
        target = out or self.root / f"{args[0]}.out"
        with open(target, "ab") as fh:
            result = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=fh,
                                    stderr=subprocess.STDOUT, timeout=120, cwd=self.root,
                                    env={**os.environ, "LC_ALL": "C", "LANG": "C"})
        if result.returncode != 0:
            log = target.read_text(errors="replace")[-3000:]
            server_log = self.root / "server.log"
            if server_log.exists():
                log += "\n--- server.log ---\n" + server_log.read_text(errors="replace")[-3000:]
            raise RuntimeError(f"{shlex.join(cmd)} failed ({result.returncode}):\n{log}")

    def start(self) -> None:
        began = time.monotonic()
        if not (self.kept and (self.data / "PG_VERSION").exists()):
            self.run("initdb", "-D", str(self.data), "-A", "trust", "-U", self.user, "-E",
                     "UTF8", "--locale=C", "--no-sync")
        last: Exception | None = None
        for _ in range(3):  # another process may take the free port between probe and bind
            self.port = _free_port()
            options = self.options()
            try:
                self.run("pg_ctl", "-D", str(self.data), "-l", str(self.root / "server.log"),
                         "-o", options, "-w", "-t", "60", "start")
            except RuntimeError as exc:
                last = exc
                continue
            self.startup_seconds = time.monotonic() - began
            return
        raise RuntimeError(f"PostgreSQL did not start: {last}")

    def options(self) -> str:
        speed = "" if self.durable else "-c synchronous_commit=off -c full_page_writes=off "
        return (f"-c fsync=off {speed}-c max_connections=200 -k {self.root} -h {self.host} "
                f"-p {self.port} {self.settings}").strip()

    def stop(self) -> None:
        if self.kept:  # a clean shutdown: the next start needs no recovery
            self.run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "-t", "300", "stop")
            return
        try:
            self.run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)

    def new_name(self, prefix: str = "t") -> str:
        return f"{prefix}_{os.getpid()}_{next(self._names)}"

    def create_database(self, name: str | None = None) -> str:
        name = name or self.new_name()
        conn = self.connect()
        try:
            conn.cursor().execute(f'CREATE DATABASE "{name}"')
        finally:
            conn.close()
        return self.url(name)

    def drop_database(self, name: str) -> None:
        conn = self.connect()
        try:
            conn.cursor().execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            conn.close()

    def empty_database(self, name: str) -> str:
        """`name` with every row gone and its ids restarted (created if missing); the schema
        and the migration history are kept. Deleting rows is much faster than TRUNCATE or a
        new database for the few rows a test writes."""
        import psycopg2

        try:
            conn = self.connect(name)
        except psycopg2.OperationalError:
            return self.create_database(name)
        try:
            cur = conn.cursor()
            # a connection a failed test left open must not hold a lock on what we empty
            cur.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                        "WHERE datname = current_database() AND pid <> pg_backend_pid()")
            cur.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
                        "AND tablename <> 'schema_migration'")
            # the summaries last: emptying dossier runs its triggers (they fire under the
            # replica role too, migration 0011), which would leave counts behind, and emptying
            # dossier_tally runs dossier_backlog's (0021)
            last = {"dossier_tally": 1, "dossier_backlog": 2}
            tables = sorted((row[0] for row in cur.fetchall()), key=lambda t: last.get(t, 0))
            cur.execute("SELECT sequencename FROM pg_sequences WHERE schemaname = 'public'")
            sequences = [row[0] for row in cur.fetchall()]
            if tables:
                conn.autocommit = False
                cur.execute("SET LOCAL lock_timeout = '10s'; "
                            "SET LOCAL session_replication_role = replica; "  # no FK checks
                            + "".join(f'DELETE FROM "{t}"; ' for t in tables)
                            + "".join(f"SELECT setval('\"{q}\"', 1, false); "
                                      for q in sequences))
                conn.commit()
        finally:
            conn.close()
        return self.url(name)


def _pg_prerequisites() -> tuple[Path, list[str]]:
    """The binaries' directory and the command prefix that runs them as a non-root user."""
    try:
        import psycopg2  # noqa: F401
    except ImportError:
        raise PostgresUnavailable(
            "psycopg2 is not installed (pip install -e '.[test]')") from None
    bindir = find_pg_bindir()
    if bindir is None:
        raise PostgresUnavailable(
            "PostgreSQL server binaries (initdb, pg_ctl) not found on PATH, in "
            "/usr/lib/postgresql/*/bin, /usr/local/bin or $PG_BINDIR "
            "(apt-get install postgresql)")
    if os.geteuid() != 0:
        return bindir, []
    try:
        pwd.getpwnam("postgres")
    except KeyError:
        raise PostgresUnavailable(
            "running as root and there is no 'postgres' OS user to run initdb/pg_ctl as "
            "(they refuse root)") from None
    if shutil.which("runuser"):
        return bindir, ["runuser", "-u", "postgres", "--"]
    if shutil.which("su"):
        return bindir, ["su", "postgres", "-s", "/bin/sh", "-c"]
    raise PostgresUnavailable("running as root and neither runuser nor su is available")


def start_server(prefix: str = "counter-tui-pg-", durable: bool = False) -> PostgresServer:
    """A throwaway PostgreSQL on 127.0.0.1 in its own folder; skipped where the binaries are
    missing, a failure under CI, where they must be there."""
    try:
        bindir, as_user = _pg_prerequisites()
    except PostgresUnavailable as exc:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"PostgreSQL tests cannot run under CI: {exc}", pytrace=False)
        pytest.skip(f"PostgreSQL tests skipped: {exc}")
    root = Path(tempfile.mkdtemp(prefix=prefix))
    if as_user:
        entry = pwd.getpwnam("postgres")
        os.chown(root, entry.pw_uid, entry.pw_gid)
    server = PostgresServer(bindir=bindir, root=root, port=0, as_user=as_user, durable=durable)
    try:
        server.start()
    except Exception:
        shutil.rmtree(root, ignore_errors=True)
        raise
    return server


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PostgresServer]:
    server = start_server()
    try:
        yield server
    finally:
        server.stop()


# ---------------------------------------------------------------------------------------------
# The store on both engines


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def engine(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def database_url(engine: str, tmp_path: Path, request: pytest.FixtureRequest) -> str:
    if engine == "sqlite":
        return f"sqlite:///{tmp_path / 'data' / 'counter.db'}"  # make_config's default
    server: PostgresServer = request.getfixturevalue("pg_server")
    return server.empty_database(f"store_{os.getpid()}")


@pytest.fixture
def empty_database_url(engine: str, tmp_path: Path,
                       request: pytest.FixtureRequest) -> Iterator[str]:
    if engine == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.db'}"
        return
    server: PostgresServer = request.getfixturevalue("pg_server")
    name = server.new_name("empty")
    url = server.create_database(name)
    yield url
    server.drop_database(name)


def add_account(store: Any, username: str, full_name: str = "", roles: tuple[str, ...] = STAFF,
                *, pin: str = TEST_PIN, counters: tuple[int, ...] = (),
                must_change: bool = False) -> None:
    """An account in the store, as an administrator would have made it (no audit entry: the
    tests' own setting up). Already there: made again as asked."""
    from counter_tui.core.pins import hash_pin
    from counter_tui.db.models import Officer

    values = {"name": full_name or username, "roles": ",".join(roles), "role": roles[0],
              "counters": ",".join(map(str, counters)), "active": True,
              "pin_hash": hash_pin(pin, store.cfg.security.pin_cost), "must_change": must_change,
              "failed_attempts": 0, "retry_at": None, "locked_until": None}
    with store.write():
        Officer.insert(code=username, **values).on_conflict(
            conflict_target=[Officer.code], update=values).execute()


def sign_in_as(store: Any, username: str, full_name: str = "",
               roles: tuple[str, ...] = STAFF, counters: tuple[int, ...] = ()) -> Any:
    """The store acts as `username` (made with `roles` if missing), signed in by its PIN: the
    suite runs as a member of staff who holds every role (`STAFF`), the terminal's officer of
    the config (canbo1), unless a test signs in as someone else."""
    from counter_tui.db.models import Officer
    from counter_tui.services import accounts

    with store.read():
        known = Officer.get_or_none(Officer.code == username)
    if known is not None and known.service:  # made by staff_key: a key signs it in
        store.sign_in(accounts.actor_of(known))
        return store
    if known is None:
        add_account(store, username, full_name, roles, counters=counters)
    accounts.sign_in(store, username, TEST_PIN)
    return store


_STAFF_KEYS: dict[tuple[str, str], str] = {}


def staff_key(config: Path, username: str = "", *, home: dict[str, str] | None = None) -> str:
    """The key of a service account holding every staff role (`STAFF`) in the store `config`
    names, made on first use (the store is created, migrated and seeded as the command would):
    what the command-line tests pass in COUNTER_TUI_KEY, so a command acts as someone. The
    account is the config's terminal officer (canbo1), the officer every test expects on the
    records. "" when the store cannot be opened (the command's own test is about that).
    `home`: the HOME / XDG_* variables the command runs with, for a config whose data folder
    is the user's."""
    if home:
        from unittest import mock

        places = {k: v for k, v in home.items() if k == "HOME" or k.startswith("XDG_")}
        with mock.patch.dict(os.environ, places):
            return staff_key(config, username)
    from counter_tui.config import ConfigError, load
    from counter_tui.core.errors import UserError
    from counter_tui.core.pins import new_secret, secret_digest
    from counter_tui.db.models import Officer, database
    from counter_tui.services.store import open_store

    try:
        cfg = load(str(config), environ={})
    except ConfigError:
        return ""
    cached = _STAFF_KEYS.get((str(config), cfg.database.url))
    if cached:
        return cached
    saved = database.obj
    try:
        store = open_store(cfg)
    except UserError:
        database.initialize(saved)
        return ""
    key = new_secret()
    name = username or cfg.terminal.officer
    values = {"name": cfg.terminal.officer_name, "roles": ",".join(STAFF), "role": STAFF[0],
              "active": True, "service": True, "key_hash": secret_digest(key)}
    try:
        with store.write():
            Officer.insert(code=name, **values).on_conflict(
                conflict_target=[Officer.code], update=values).execute()
    finally:
        store.close()
        database.initialize(saved)
    _STAFF_KEYS[(str(config), cfg.database.url)] = key
    return key


def _unbind_models() -> None:
    from counter_tui.db.models import database

    database.initialize(None)


@pytest.fixture
def open_test_store(database_url: str, tmp_path: Path,
                    clock: Clock) -> Iterator[Callable[..., Any]]:
    from counter_tui.services.store import Store, open_store

    opened: list[Store] = []

    def opener(*, seed: bool = True, url: str | None = None, signed_in: bool = True,
               **overrides: Any) -> Store:
        database = dict(overrides.pop("database", None) or {})
        database.setdefault("url", url or database_url)
        cfg = _make_config(tmp_path, database=database, **overrides)
        store = open_store(cfg, clock=clock, seed=seed)
        opened.append(store)
        if signed_in:
            sign_in_as(store, cfg.terminal.officer, cfg.terminal.officer_name)
        return store

    yield opener
    for store in opened:
        store.close()
    _unbind_models()


@pytest.fixture
def store(open_test_store: Callable[..., Any]) -> Any:
    return open_test_store()
