"""The change feed on both engines: a commit is heard by a listening terminal, a rolled-back
transaction is not, and a feed that loses the store says so and comes back by itself."""

from __future__ import annotations

import threading
from typing import Any

import pytest

from counter_tui.core.errors import UserError
from counter_tui.db.models import Ticket
from counter_tui.services import changes, queue
from counter_tui.services.changes import ChangeFeed
from tests.tickets import hand_out

WAIT = 10.0  # generous: a bound for a hang, not a measure of speed (tests/perf measures)


class Heard:
    def __init__(self) -> None:
        self.changed = threading.Event()
        self.live = threading.Event()
        self.lost = threading.Event()

    def change(self) -> None:
        self.changed.set()

    def status(self, live: bool) -> None:
        (self.live if live else self.lost).set()
        if live:
            self.lost.clear()
        else:
            self.live.clear()


@pytest.fixture
def heard(store: Any) -> Any:
    h = Heard()
    feed = ChangeFeed(store.db, h.change, on_status=h.status).start()
    assert h.live.wait(WAIT), "the feed never reached the store"
    h.feed = feed  # type: ignore[attr-defined]
    yield h
    feed.stop()


def test_a_commit_is_heard(store: Any, heard: Any) -> None:
    assert not heard.changed.is_set()
    hand_out(store, "A")
    assert heard.changed.wait(WAIT)
    heard.changed.clear()
    queue.call_next(store, 1)
    assert heard.changed.wait(WAIT)
    assert heard.feed.changes >= 2


def _marks(store: Any, pg_server: Any) -> Any:
    """A way to count what a listening terminal is told: PostgreSQL notifications on a
    connection of the test's own; SQLite's data_version as another connection sees it."""
    if store.db.database.endswith(".db"):
        import sqlite3

        conn = sqlite3.connect(store.db.database)
        return conn, lambda: conn.execute("PRAGMA data_version").fetchone()[0]
    import select

    conn = pg_server.connect(store.db.database)
    conn.cursor().execute(f"LISTEN {changes.CHANNEL}")
    heard: list[str] = []

    def count() -> int:
        while select.select([conn], [], [], 0.2)[0]:
            conn.poll()
            heard.extend(n.payload for n in conn.notifies)
            conn.notifies.clear()
        return len(heard)

    return conn, count


def test_reading_tells_nobody(store: Any, request: pytest.FixtureRequest) -> None:
    """A screen's own reloads never wake the other terminals; each commit does."""
    hand_out(store, "A")
    pg = request.getfixturevalue("pg_server") if not store.db.database.endswith(".db") \
        else None
    conn, mark = _marks(store, pg)
    try:
        before = mark()
        for _ in range(5):
            queue.overview(store, 1)
        assert mark() == before
        queue.call_next(store, 1)  # one transaction
        after = mark()
        assert after != before
        if pg is not None:
            assert after == before + 1  # one notification per committed transaction
    finally:
        conn.close()


@pytest.mark.postgres
@pytest.mark.parametrize("engine", ["postgres"], indirect=True)
def test_postgres_notifies_in_the_transaction_only_on_commit(store: Any,
                                                             pg_server: Any) -> None:
    name = store.db.database
    listener = pg_server.connect(name)
    try:
        listener.cursor().execute(f"LISTEN {changes.CHANNEL}")
        with pytest.raises(UserError), store.write():
            Ticket.update(recalls=1).execute()
            raise UserError("queue.no_current", counter=1)  # rolled back
        queue.issue(store, "A")  # one transaction
        import select

        # notifications come in commit order: one from the rolled-back write would be first
        assert select.select([listener], [], [], WAIT)[0], "no notification"
        listener.poll()
        seen = [n.payload for n in listener.notifies]
        assert len(seen) == 1
        assert all(len(p) <= 100 and ":" in p for p in seen)  # small: pid and counter
    finally:
        listener.close()


@pytest.mark.postgres
@pytest.mark.parametrize("engine", ["postgres"], indirect=True)
def test_postgres_feed_comes_back_after_losing_the_server(store: Any, heard: Any,
                                                          pg_server: Any) -> None:
    admin = pg_server.connect(store.db.database)
    try:
        cur = admin.cursor()
        cur.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE query LIKE %s AND pid <> pg_backend_pid()",
                    (f"LISTEN {changes.CHANNEL}%",))
        assert cur.fetchall(), "the feed's connection was not found"
    finally:
        admin.close()
    assert heard.lost.wait(WAIT), "the feed did not notice"
    heard.changed.clear()
    assert heard.live.wait(WAIT), "the feed did not come back"
    assert heard.changed.wait(WAIT), "coming back is a change (commits may have been missed)"
    heard.changed.clear()
    hand_out(store, "C")
    assert heard.changed.wait(WAIT)

