"""The officer's worklists on both engines: which dossier is on which list, in which order, with
the on-time class of the one rule, and only this office's dossiers."""

from __future__ import annotations

import datetime as dt

from counter_tui.core.lifecycle import WORKLISTS
from counter_tui.db.models import Dossier, Office
from counter_tui.services import lifecycle, worklists
from counter_tui.services.store import Store
from tests.services.test_lifecycle import CCCD, NAME, UNIT, receive

TAKER = "Lê Văn Hùng"  # who receives a hand-over (Mẫu 05)


def codes(store: Store, name: str) -> list[str]:
    return [i.code for i in worklists.worklist(store, name).items]


def test_each_dossier_on_its_lists(store: Store) -> None:
    # Tue 12/5 08:00: a same-day dossier (due 17:00 today) and 3-day ones (due Fri 15/5)
    today = receive(store, "HT-KS")
    later = receive(store)
    waiting = receive(store)
    lifecycle.handover(store, waiting, to_unit=UNIT, received_by=TAKER)
    lifecycle.request_supplements(store, waiting, missing=["Tờ khai"], reason="Thiếu",
                                  deadline="14/05/2026")
    ready = receive(store)
    lifecycle.result_ready(store, ready, given_by=TAKER)
    returned = receive(store)
    lifecycle.result_ready(store, returned, given_by=TAKER)
    store.clock.advance(minutes=30)
    lifecycle.return_result(store, returned, collected_by=NAME, id_number=CCCD)
    refused = receive(store, "HT-KS")
    lifecycle.refuse(store, refused, reason="Không thuộc thẩm quyền")

    assert codes(store, "due_today") == [today]
    assert codes(store, "overdue") == []
    assert codes(store, "supplements") == [waiting]
    assert codes(store, "ready") == [ready]
    assert codes(store, "returned_today") == [returned]
    # every one received on paper today and none scanned yet, but the refused one
    assert codes(store, "undigitised") == [today, later, waiting, ready, returned]
    assert worklists.counts(store) == {"due_today": 1, "overdue": 0, "supplements": 1,
                                       "ready": 1, "returned_today": 1, "undigitised": 5}

    store.clock.now = dt.datetime(2026, 5, 13, 8, 0)  # the next morning
    assert codes(store, "due_today") == []
    assert codes(store, "overdue") == [today]
    overdue = worklists.worklist(store, "overdue").items[0]
    assert (overdue.ontime, overdue.ontime_label) == ("overdue", "Quá hạn")
    assert codes(store, "returned_today") == []
    assert codes(store, "supplements") == [waiting]  # paused: in time, not overdue
    assert worklists.worklist(store, "supplements").items[0].supplement_deadline == \
        dt.datetime(2026, 5, 14, 17, 0)
    store.clock.now = dt.datetime(2026, 5, 15, 9, 0)
    assert codes(store, "due_today") == [later]


def test_an_apology_moves_the_day_a_dossier_is_due_but_not_its_lateness(store: Store) -> None:
    code = receive(store, "HT-KS")  # due 17:00 today
    store.clock.now = dt.datetime(2026, 5, 12, 16, 0)
    lifecycle.apologise(store, code, reason="Cần xác minh", new_due="14/05/2026")
    assert codes(store, "due_today") == [code]  # still due today by law
    store.clock.now = dt.datetime(2026, 5, 14, 8, 0)
    assert codes(store, "due_today") == [code]  # and today is the new appointment
    item = worklists.worklist(store, "due_today").items[0]
    assert item.appointment_at == dt.datetime(2026, 5, 14, 17, 0)
    assert item.due_at == dt.datetime(2026, 5, 12, 17, 0)
    assert codes(store, "overdue") == [code]  # an apology does not make it on time


def test_a_dossier_paused_after_its_due_date_is_overdue(store: Store) -> None:
    code = receive(store, "HT-KS")
    store.clock.now = dt.datetime(2026, 5, 13, 9, 0)
    lifecycle.request_supplements(store, code, missing=["x"], reason="y", deadline="20/05/2026")
    assert codes(store, "overdue") == [code]
    assert codes(store, "supplements") == [code]
    counted = worklists.counts(store)  # its own partial index, named to SQLite's planner
    assert (counted["overdue"], counted["supplements"]) == (1, 1)


def test_order_of_the_lists(store: Store) -> None:
    first = receive(store, "HT-XNHN")  # due Fri 15/5
    second = receive(store, "CTR-TH")  # 5 days: due Tue 19/5
    third = receive(store, "HT-KS")  # due today
    fourth = receive(store, "HT-KS")  # due today too, then paused when already late
    # each status is its own index walk
    lifecycle.handover(store, second, to_unit=UNIT, received_by=TAKER)
    store.clock.now = dt.datetime(2026, 5, 13, 8, 0)
    lifecycle.request_supplements(store, fourth, missing=["x"], reason="y",
                                  deadline="29/05/2026")
    store.clock.now = dt.datetime(2026, 5, 25, 8, 0)
    assert codes(store, "overdue") == [third, fourth, first, second]  # oldest due first
    page = worklists.worklist(store, "overdue", limit=3)
    assert ([i.code for i in page.items], page.has_more) == ([third, fourth, first], True)
    lifecycle.supplements_received(store, fourth)
    for code in (second, first):
        lifecycle.result_ready(store, code, given_by=TAKER)
        store.clock.advance(minutes=5)
    assert codes(store, "ready") == [second, first]  # waiting longest first
    for code in (second, first):
        lifecycle.return_result(store, code, collected_by=NAME, id_number=CCCD)
        store.clock.advance(minutes=5)
    assert codes(store, "returned_today") == [first, second]  # latest first


def test_only_this_office(store: Store) -> None:
    code = receive(store, "HT-KS")
    with store.write():
        other = Office.create(code="000.00.00.X99", name="Xã khác")
        Dossier.update(office=other.id).where(Dossier.code == code).execute()
    assert all(worklists.worklist(store, name).items == () for name in WORKLISTS)
    assert set(worklists.counts(store).values()) == {0}


def test_limit_says_there_is_more(store: Store) -> None:
    for _ in range(3):
        receive(store, "HT-KS")
    page = worklists.worklist(store, "due_today", limit=2)
    assert (len(page.items), page.has_more) == (2, True)
    assert worklists.worklist(store, "due_today", limit=3).has_more is False


def test_each_count_is_its_lists_length(store: Store) -> None:
    """The counts are summed from separate index ranges; each dossier is still counted once,
    due today by law or by an apology's new date."""
    moved = receive(store, "HT-KS")  # due 17:00 today
    kept = receive(store, "HT-KS")
    paused = receive(store, "HT-KS")
    ready = receive(store)
    lifecycle.result_ready(store, ready)
    store.clock.now = dt.datetime(2026, 5, 12, 16, 0)
    lifecycle.apologise(store, moved, reason="Cần xác minh", new_due="14/05/2026")
    store.clock.now = dt.datetime(2026, 5, 13, 9, 0)
    lifecycle.request_supplements(store, paused, missing=["x"], reason="y",
                                  deadline="20/05/2026")
    seen = {}
    for now in (dt.datetime(2026, 5, 12, 16, 30), dt.datetime(2026, 5, 13, 9, 30),
                dt.datetime(2026, 5, 14, 9, 0)):
        store.clock.now = now
        sizes = {name: len(worklists.worklist(store, name, limit=1000).items)
                 for name in WORKLISTS}
        assert worklists.counts(store) == sizes, now
        seen[now.day] = set(codes(store, "due_today"))
    assert seen == {12: {moved, kept}, 13: set(), 14: {moved}}
