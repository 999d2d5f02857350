"""The link to the district's central store: a PostgreSQL connection of its own, beside the
office's store (the models stay bound to the office's), that never hangs.

A link that is cut shows as an error at once; one that stalls (a router that drops packets, a
proxy that stops forwarding) shows as nothing at all: libpq would wait for an answer for ever,
and TCP keepalives do not help while a middle box still acknowledges. So every exchange has a
deadline: past it, a watchdog shuts the connection's socket, the waiting call fails, the
transaction on the centre is rolled back (nothing half-applied), and the pass is tried again
later. The server side is told the same: a session idle inside a transaction (its client gone)
or waiting on a lock is ended by the server itself, so it cannot hold a batch's lock.
"""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Iterator

from peewee import PostgresqlDatabase

from counter_tui.core.errors import UserError
from counter_tui.db.connection import postgres_params

SERVER_OPTIONS = ("-c statement_timeout=60000 -c lock_timeout=15000 "
                  "-c idle_in_transaction_session_timeout=20000")


class LinkDown(Exception):
    """The centre cannot be reached or stopped answering: try again later."""


def shown(url: str) -> str:
    """The centre's URL without its password, for screens and messages."""
    if "@" in url and "://" in url:
        scheme, rest = url.split("://", 1)
        user = rest.split("@", 1)[0].split(":", 1)[0]
        return f"{scheme}://{user}@{rest.split('@', 1)[1]}"
    return url


def open_centre(url: str) -> PostgresqlDatabase:
    try:
        import psycopg2  # noqa: F401
    except ImportError:
        raise UserError("sync.driver") from None
    name, params = postgres_params(url)
    # keepalives: a link that drops without a word is found out in seconds, not hours
    return PostgresqlDatabase(name, autoconnect=False, keepalives=1, keepalives_idle=10,
                              keepalives_interval=3, keepalives_count=3, options=SERVER_OPTIONS,
                              application_name="counter-tui sync", **params)


@contextlib.contextmanager
def deadline(db: PostgresqlDatabase, seconds: float) -> Iterator[None]:
    """Run the block within `seconds` or have its connection cut under it (LinkDown)."""
    fired = threading.Event()

    def cut() -> None:
        fired.set()
        with contextlib.suppress(Exception):
            conn = db.connection()
            sock = socket.socket(fileno=conn.fileno())
            try:
                sock.shutdown(socket.SHUT_RDWR)
            finally:
                sock.detach()  # the socket is libpq's: shut it, never close its descriptor

    timer = threading.Timer(seconds, cut)
    timer.daemon = True
    timer.start()
    try:
        yield
    except Exception as exc:
        if fired.is_set():
            raise LinkDown("timeout") from exc
        raise
    finally:
        timer.cancel()
    if fired.is_set():
        raise LinkDown("timeout")


def connect(db: PostgresqlDatabase, seconds: float) -> None:
    """Open the connection (a fresh one after a failure), within `seconds`."""
    import psycopg2

    drop(db)
    try:
        db.connect()
    except Exception as exc:
        if isinstance(exc, psycopg2.Error) or type(exc).__module__.startswith("peewee"):
            raise LinkDown(first_line(exc)) from exc
        raise
    with deadline(db, seconds):
        db.execute_sql("SELECT 1")


def drop(db: PostgresqlDatabase) -> None:
    """Forget the connection, whatever state it is in."""
    with contextlib.suppress(Exception):
        if not db.is_closed():
            db.close()
    with contextlib.suppress(Exception):
        db._state.reset()  # type: ignore[attr-defined]


def first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return (text.splitlines()[0] if text else type(exc).__name__)[:200]


def has_sync_tables(db: PostgresqlDatabase) -> bool:
    cursor = db.execute_sql("SELECT to_regclass('sync_map') IS NOT NULL")
    return bool(cursor.fetchone()[0])
