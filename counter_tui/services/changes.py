"""The change feed: every terminal learns that another one committed, without polling the state.

An office runs one store and many screens (counters, the supervisor's board, the waiting-room
display, the kiosk). Reloading every screen's figures on a timer costs the store a query set
per terminal per tick, and still shows a called number as waiting until the next tick. Here
each committed write announces itself, and a screen reloads only when told:

- PostgreSQL: `Store.write` sends `pg_notify` inside the write transaction (`announce`), so a
  notification is delivered exactly when, and only if, the change is committed. Each terminal
  holds one extra connection that LISTENs and sleeps in `select()`: an idle terminal sends the
  server nothing at all (TCP keepalives notice a server that went away).
- SQLite (terminals sharing one file on one machine): `PRAGMA data_version` on a connection of
  the feed's own changes whenever any other connection commits. Reading it costs a look at the
  shared WAL index, no I/O, so it is polled a few times a second.

The feed calls `on_change()` from its own thread `settle` after the first commit it hears
(an action is often a few commits in a row: a ticket issued, its slip claimed, sent), at most
once per `min_interval` (a burst of commits is one reload, and the last commit of a burst is
never missed), and `on_status(live)`
when the store goes away or comes back; after coming back it also reports a change, for what
was committed meanwhile.
"""

from __future__ import annotations

import contextlib
import logging
import os
import select
import sqlite3
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from peewee import Database

from counter_tui.db import connection

log = logging.getLogger(__name__)

CHANNEL = "counter_tui"
SQLITE_POLL_SECONDS = 0.05  # 20 cheap reads a second: a commit is seen within 50 ms
RETRY_SECONDS = (0.5, 1.0, 2.0, 5.0)  # waits between attempts to reach a store that went away


def announce(db: Database, payload: str = "") -> None:
    """Inside a write transaction: tell every listening terminal once it is committed.
    (SQLite needs nothing: its data_version moves by itself.) The payload is small and holds
    no personal data: which process and counter wrote, for diagnosis."""
    if connection.is_sqlite(db):
        return
    # only a transaction that wrote has a transaction id: one that found nothing to do (F3
    # with nobody waiting) wakes nobody
    db.execute_sql("SELECT pg_notify(%s, %s) WHERE txid_current_if_assigned() IS NOT NULL",
                   (CHANNEL, payload[:100]))


def payload(counter: int | None) -> str:
    return f"{os.getpid()}:{counter if counter is not None else '-'}"


class ChangeFeed:
    """One listening thread per terminal (see the module doc)."""

    def __init__(self, db: Database, on_change: Callable[[], None], *,
                 on_status: Callable[[bool], None] | None = None,
                 min_interval: float = 0.1, settle: float = 0.03,
                 poll_seconds: float = SQLITE_POLL_SECONDS) -> None:
        self._db = db
        self._on_change = on_change
        self._on_status = on_status
        self._min_interval = min_interval
        self._settle = settle
        self._due = 0.0
        self._poll = poll_seconds
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.live = False
        self.changes = 0  # how many times on_change was called (benchmarks, tests)
        self.wakeups = 0  # how many times the store was read or heard from (the feed's cost)
        self._last_fire = 0.0
        self._pending = False

    # --- life ---------------------------------------------------------------------------------

    def start(self) -> ChangeFeed:
        target = self._run_sqlite if connection.is_sqlite(self._db) else self._run_postgres
        self._thread = threading.Thread(target=self._guarded, args=(target,),
                                        name="change-feed", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout=5)

    def _guarded(self, target: Callable[[], None]) -> None:
        try:
            target()
        except Exception:  # a bug in the feed must not pass silently, nor kill the app
            log.exception("change feed stopped")
            self._set_live(False)

    # --- what the terminal is told ---------------------------------------------------------

    def _set_live(self, live: bool) -> None:
        if live == self.live:
            return
        self.live = live
        if self._on_status is not None:
            self._on_status(live)

    def _changed(self) -> None:
        """A commit was seen: report it once the burst it may start has settled."""
        if not self._pending:
            self._pending = True
            self._due = max(time.monotonic() + self._settle,
                            self._last_fire + self._min_interval)
        self._flush()

    def _flush(self) -> None:
        if self._pending and time.monotonic() >= self._due:
            self._pending = False
            self._last_fire = time.monotonic()
            self.changes += 1
            self._on_change()

    def _wait(self) -> float:
        """How long the loop may sleep: until a held-back change is due, or a poll."""
        if self._pending:
            return max(0.0, self._due - time.monotonic())
        return 1.0

    def _pause(self, attempt: int) -> None:
        self._stop.wait(RETRY_SECONDS[min(attempt, len(RETRY_SECONDS) - 1)])

    # --- SQLite -------------------------------------------------------------------------------

    def _run_sqlite(self) -> None:
        uri = f"{Path(str(self._db.database)).resolve().as_uri()}?mode=ro"
        attempt = 0
        while not self._stop.is_set():
            try:
                # read-only, never creating: a store that went away must not come back empty
                conn = sqlite3.connect(uri, uri=True, timeout=1.0, check_same_thread=False)
                try:
                    seen = conn.execute("PRAGMA data_version").fetchone()[0]
                    # data_version moves only for others' commits: a first query proves the
                    # file is a store, and from here on every change is reported
                    conn.execute("SELECT 1 FROM sqlite_master LIMIT 1").fetchall()
                    if attempt:
                        self._changed()
                    self._set_live(True)
                    attempt = 0
                    while not self._stop.wait(min(self._poll, self._wait())):
                        self.wakeups += 1
                        version = conn.execute("PRAGMA data_version").fetchone()[0]
                        if version != seen:
                            seen = version
                            self._changed()
                        self._flush()
                finally:
                    conn.close()
            except sqlite3.Error as exc:
                log.warning("change feed: store unavailable (%s)", exc)
                self._set_live(False)
                attempt += 1
                self._pause(attempt)

    # --- PostgreSQL --------------------------------------------------------------------------

    def _pg_connect(self) -> Any:
        import psycopg2

        params = dict(getattr(self._db, "connect_params", {}))
        conn = psycopg2.connect(dbname=self._db.database, keepalives=1, keepalives_idle=5,
                                keepalives_interval=2, keepalives_count=2, **params)
        conn.autocommit = True
        with conn.cursor() as cur:
            cur.execute(f"LISTEN {CHANNEL}")
        return conn

    def _run_postgres(self) -> None:
        import psycopg2

        attempt = 0
        while not self._stop.is_set():
            try:
                conn = self._pg_connect()
            except psycopg2.Error as exc:
                log.warning("change feed: store unavailable (%s)", str(exc).strip()[:200])
                self._set_live(False)
                attempt += 1
                self._pause(attempt)
                continue
            try:
                if attempt:
                    self._changed()  # what was committed while we were away
                self._set_live(True)
                attempt = 0
                self._listen(conn)
            except (psycopg2.Error, OSError, ValueError) as exc:
                log.warning("change feed: lost the store (%s)", str(exc).strip()[:200])
                self._set_live(False)
                attempt = 1
                self._pause(0)
            finally:
                with contextlib.suppress(psycopg2.Error):
                    conn.close()

    def _listen(self, conn: Any) -> None:
        while not self._stop.is_set():
            readable, _, _ = select.select([conn], [], [], min(0.5, self._wait()))
            if readable:
                self.wakeups += 1
                conn.poll()
                if conn.notifies:
                    conn.notifies.clear()
                    self._changed()
            if conn.closed:
                raise OSError("connection closed")
            self._flush()
