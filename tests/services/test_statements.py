"""The counter's queue is read with statements built once (services.statements): each is
built once per key, and the key holds everything the statement depends on, so another
counter, its groups or the next day never get a statement built for another."""

from __future__ import annotations

from typing import Any

import pytest

from counter_tui.db.models import Ticket
from counter_tui.services import queue, statements
from tests.conftest import Clock
from tests.tickets import hand_out


def test_a_statement_is_built_once_per_key(store: Any) -> None:
    built: list[int] = []

    def build(n: int) -> Any:
        built.append(n)
        return Ticket.select().where(Ticket.number == n)

    first = statements.sql(store.db, ("test.number", 7), lambda: build(7))
    assert statements.sql(store.db, ("test.number", 7), lambda: build(7)) == first
    assert statements.sql(store.db, ("test.number", 8), lambda: build(8)) != first
    assert built == [7, 8]


def test_each_counter_and_each_day_reads_its_own(store: Any, clock: Clock) -> None:
    # counter 1 calls A and B, counter 2 calls B and C (the test config)
    for group in "ABC":
        hand_out(store, group)
    one = queue.overview(store, 1)
    two = queue.overview(store.as_terminal(2, "canbo2"), 2)
    assert [t.code for t in one.waiting] != [t.code for t in two.waiting]
    assert {t.group for t in one.waiting} <= set(one.counter.groups)
    assert {t.group for t in two.waiting} <= set(two.counter.groups)
    called = queue.call_next(store, 1)
    assert called is not None
    again = queue.overview(store, 1)
    assert again.current is not None and again.current.id == called.id
    assert called.id not in {t.id for t in again.waiting}
    clock.advance(days=1)  # a new day: nothing of yesterday's queue
    tomorrow = queue.overview(store, 1)
    assert tomorrow.waiting == () and tomorrow.current is None
    assert all(g.waiting == 0 for g in tomorrow.groups)


def test_times_come_back_as_times_on_every_engine(store: Any) -> None:
    """SQLite keeps a time as text: the rows of a built statement are converted as the ORM
    converts them (the display's last calls, a kiosk printer's time down)."""
    from counter_tui.services import display

    hand_out(store, "A")
    queue.call_next(store, 1)
    [call] = display.board(store).calls
    assert call.at == store.now()


def test_an_insert_written_once_stores_what_peewee_would(store: Any) -> None:
    """statements.insert_id (insert, and the new id) binds the fields given and gives every
    other field its default, as peewee's own insert does: the rows read back alike, on either
    engine."""
    now = store.now()
    given = {"day": now.date(), "series": "Z", "number": 1, "group": "Z", "priority": None,
             "state": "printing", "issued_at": now, "issued_by": 1, "ahead_at_issue": 3}
    with store.write():
        ours = statements.insert_id(store.db, Ticket, given)
        again = statements.insert_id(store.db, Ticket, {**given, "number": 2})
        theirs = Ticket.insert(**{**given, "number": 3}).execute()
    with store.read():
        rows = [Ticket.select().where(Ticket.id == i).dicts().get() for i in (ours, again, theirs)]
    assert [r["number"] for r in rows] == [1, 2, 3]
    alike = [{k: v for k, v in r.items() if k not in ("id", "number")} for r in rows]
    assert alike[0] == alike[1] == alike[2]
    assert alike[0]["origin"] == "" and alike[0]["recalls"] == 0  # the model's defaults


def test_a_default_computed_at_each_insert_must_be_given(store: Any) -> None:
    from counter_tui.db.models import Procedure

    with store.write(), pytest.raises(TypeError, match="updated_at"):
        statements.insert(store.db, Procedure, {"code": "X", "name": "x"})
