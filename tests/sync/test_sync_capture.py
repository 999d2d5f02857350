"""Capture turned on while another terminal of a PostgreSQL office is writing.

The first sync pass notes the office's history and turns the triggers on, in one transaction.
A terminal's transaction that wrote a row before that commit, and commits after it, is seen by
neither: its trigger found capture off, and the history read cannot see uncommitted rows. Its
row would never reach the centre (an audit entry missing there, or a ticket whose events then
wait for it for ever). These tests hold such transactions open, deterministically, with plain
connections of their own. (On SQLite the write lock already puts the two one after the other.)
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import pytest

from counter_tui.db.models import SyncOutbox
from counter_tui.services.sync import outbox

pytestmark = pytest.mark.postgres

AUDIT_ROW = ("INSERT INTO audit_log (at, officer, counter, action, subject, seq, prev_hash, "
             "hash, dossiers) VALUES (now(), 'canbo1', 1, 'test', '', %s, '', '', '') "
             "RETURNING id")


@pytest.fixture
def engine() -> str:
    return "postgres"


def _dbname(store: Any) -> str:
    return str(store.db.database)


def _waiting_on_locks(server: Any, dbname: str) -> int:
    conn = server.connect(dbname)
    try:
        cur = conn.cursor()
        cur.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = %s "
                    "AND wait_event_type = 'Lock'", (dbname,))
        return int(cur.fetchone()[0])
    finally:
        conn.close()


def _until(done: Callable[[], bool]) -> None:
    """Wait for a state the test needs before its next step (not a timing assertion: the
    steps' outcome is checked afterwards, whichever way this ends)."""
    ends = time.monotonic() + 30
    while not done() and time.monotonic() < ends:
        time.sleep(0.05)


def _entries(store: Any, table: str, row_id: int) -> int:
    with store.read():
        return int(SyncOutbox.select().where(SyncOutbox.tbl == table,
                                             SyncOutbox.row_id == row_id).count())


def test_rows_written_while_capture_is_turned_on_are_each_noted_once(
        open_test_store: Callable[..., Any], pg_server: Any) -> None:
    store = open_test_store()
    dbname = _dbname(store)
    # a terminal wrote a row while capture was off, and has not committed yet
    early = pg_server.connect(dbname)
    early.autocommit = False
    cur = early.cursor()
    cur.execute(AUDIT_ROW, (900001,))  # numbers of its own: the chain's are unique
    early_id = int(cur.fetchone()[0])

    noted: list[int] = []
    enabling = threading.Thread(target=lambda: noted.append(outbox.enable(store)))
    enabling.start()
    _until(lambda: not enabling.is_alive() or _waiting_on_locks(pg_server, dbname) >= 1)

    # another terminal writes while capture is being turned on
    late_id: list[int] = []

    def write_late() -> None:
        conn = pg_server.connect(dbname)  # autocommit: the row commits with its statement
        try:
            c = conn.cursor()
            c.execute(AUDIT_ROW, (900002,))
            late_id.append(int(c.fetchone()[0]))
        finally:
            conn.close()

    late = threading.Thread(target=write_late)
    late.start()
    _until(lambda: not late.is_alive() or _waiting_on_locks(pg_server, dbname) >= 2)

    early.commit()
    early.close()
    enabling.join(30)
    late.join(30)
    assert not enabling.is_alive() and not late.is_alive()
    assert noted and noted[0] > 0
    assert outbox.state(store).enabled
    # each row is noted exactly once: the early one by the history, the late one by its trigger
    assert _entries(store, "audit_log", early_id) == 1
    assert _entries(store, "audit_log", late_id[0]) == 1


def test_a_write_after_capture_is_on_is_noted_by_its_trigger(
        open_test_store: Callable[..., Any], pg_server: Any) -> None:
    store = open_test_store()
    outbox.enable(store)
    conn = pg_server.connect(_dbname(store))
    try:
        cur = conn.cursor()
        cur.execute(AUDIT_ROW, (900001,))
        row_id = int(cur.fetchone()[0])
    finally:
        conn.close()
    assert _entries(store, "audit_log", row_id) == 1



def test_capture_found_off_is_decided_again_in_the_next_transaction(
        open_test_store: Callable[..., Any], pg_server: Any) -> None:
    """The trigger notes capture as off for the rest of a transaction (migration 0020); the
    connection's next transaction, after capture was turned on, is captured again."""
    store = open_test_store()
    conn = pg_server.connect(_dbname(store))
    conn.autocommit = False
    try:
        cur = conn.cursor()
        cur.execute(AUDIT_ROW, (900001,))
        off_id = int(cur.fetchone()[0])
        cur.execute(AUDIT_ROW, (900002,))  # the same transaction: the note answers
        conn.commit()
        noted = outbox.enable(store)
        cur.execute(AUDIT_ROW, (900003,))
        on_id = int(cur.fetchone()[0])
        conn.commit()
    finally:
        conn.close()
    assert noted > 0
    assert _entries(store, "audit_log", off_id) == 1  # noted by the history
    assert _entries(store, "audit_log", on_id) == 1  # noted by its trigger


def test_a_transaction_that_wrote_with_capture_off_and_turns_it_on_captures_its_next_rows(
        open_test_store: Callable[..., Any]) -> None:
    store = open_test_store()
    with store.db.connection_context(), store.db.atomic():
        first = int(store.db.execute_sql(AUDIT_ROW, (900001,)).fetchone()[0])
        outbox.enable(store)  # a savepoint of this transaction
        second = int(store.db.execute_sql(AUDIT_ROW, (900002,)).fetchone()[0])
    assert _entries(store, "audit_log", first) == 1  # by the history
    assert _entries(store, "audit_log", second) == 1  # by its trigger, though the note said off
