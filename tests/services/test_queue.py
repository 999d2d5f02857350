"""The queue desk against the store, on both engines: numbering, call order, every transition
with its event, transfers, voids, refusals and the counter screen's overview.

The shipped config: groups A Hộ tịch, B Chứng thực, C Cư trú, D Bưu chính công ích; counter 1
calls A and B, counter 2 B and C, counter 3 C and D; this terminal is counter 1, officer canbo1.
"""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest

from counter_tui.core.errors import UserError
from counter_tui.core.i18n import set_language
from counter_tui.db.models import PrintJob, Sequence, Ticket, TicketEvent
from counter_tui.services import queue
from counter_tui.services.printjobs import QUEUED, VOID
from tests.tickets import hand_out


def issue(store: Any, group: str, priority: str | None = None) -> Any:
    """A ticket issued one minute after the previous one, its slip printed."""
    store.clock.advance(minutes=1)
    return hand_out(store, group, priority)


def call(store: Any, counter: int) -> Any:
    store.clock.advance(minutes=1)
    return queue.call_next(store, counter)


def waiting(store: Any, group: str) -> int:
    """How many of the group wait, as the counter screen's tally shows it."""
    return next(g.waiting for g in queue.overview(store, 1).groups if g.letter == group)


def events(store: Any, ticket_id: int) -> list[tuple[Any, ...]]:
    with store.read():
        rows = (TicketEvent.select().where(TicketEvent.ticket == ticket_id)
                .order_by(TicketEvent.id))
        return [(e.action, e.from_state, e.to_state, e.counter, e.officer) for e in rows]


def row(store: Any, ticket_id: int) -> Ticket:
    with store.read():
        return Ticket.get_by_id(ticket_id)


# ---------------------------------------------------------------------------------------------
# Issuing


def test_numbers_run_per_group(store: Any) -> None:
    codes = [issue(store, g).code for g in "AABAbC"]
    assert codes == ["A001", "A002", "B001", "A003", "B002", "C001"]


def test_numbering_restarts_the_next_day(store: Any) -> None:
    assert [issue(store, "A").code for _ in range(3)] == ["A001", "A002", "A003"]
    store.clock.advance(days=1)
    first = issue(store, "A")
    assert first.code == "A001"
    assert first.issued_at.date() == store.clock.now.date()
    assert issue(store, "A").code == "A002"
    with store.read():
        days = {s.day: s.value for s in Sequence.select().where(Sequence.scope == "ticket:A")}
    assert days == {store.clock.now.date() - timedelta(days=1): 3, store.clock.now.date(): 2}
    # yesterday's waiting tickets are not called today
    assert call(store, 1).code == "A001"
    assert call(store, 1).code == "A002"
    assert call(store, 1) is None


def test_issued_ticket_is_stored_with_its_event_and_print_job(store: Any) -> None:
    store.clock.advance(minutes=7)
    issued = queue.issue(store, "a")
    ticket = issued.ticket
    assert (ticket.code, ticket.group, ticket.group_name, ticket.state) == (
        "A001", "A", "Hộ tịch", "printing")
    assert ticket.issued_at == store.clock.now
    assert (ticket.priority, ticket.ahead, ticket.counter) == (None, 0, None)
    stored = row(store, ticket.id)
    assert (stored.day, stored.series, stored.number, stored.issued_by) == (
        store.clock.now.date(), "A", 1, 1)
    assert events(store, ticket.id) == [("issue", None, "printing", 1, "canbo1")]

    with store.read():
        job = PrintJob.get_by_id(issued.print_job)
    assert (job.state, job.kind, job.ticket_id, job.counter, job.officer) == (
        QUEUED, "ticket", ticket.id, 1, "canbo1")
    assert job.created_at == store.clock.now
    slip = json.loads(job.slip)
    assert slip["kind"] == "ticket"
    texts = [b.get("text", "") + b.get("value", "") for b in slip["blocks"]]
    assert "A001" in texts
    assert "Hộ tịch" in texts
    assert any("Quầy 1" in t for t in texts)  # the counters that call group A
    assert "12/05/2026" in json.dumps(slip, ensure_ascii=False)


def test_priority_ticket_says_so_on_the_slip(store: Any) -> None:
    issued = queue.issue(store, "B", "elderly")
    assert issued.ticket.priority == "elderly"
    with store.read():
        slip = PrintJob.get_by_id(issued.print_job).slip
    assert "ƯU TIÊN: Người cao tuổi" in slip


def test_ahead_counts_who_waits_before(store: Any) -> None:
    assert [issue(store, "A").ahead for _ in range(3)] == [0, 1, 2]
    assert issue(store, "B").ahead == 0  # per group
    assert issue(store, "A", "pregnant").ahead == 0  # only priority tickets go before it
    assert issue(store, "A", "elderly").ahead == 1
    assert issue(store, "A").ahead == 5
    call(store, 1)  # takes a priority ticket
    assert issue(store, "A").ahead == 5
    assert waiting(store, "A") == 6


# ---------------------------------------------------------------------------------------------
# Calling


def test_call_next_takes_priority_first_then_the_oldest(store: Any) -> None:
    a1, a2 = issue(store, "A"), issue(store, "A")
    b1 = issue(store, "B")
    a3 = issue(store, "A", "disabled")
    b2 = issue(store, "B", "merit")
    order = [call(store, 1) for _ in range(5)]
    assert [t.code for t in order] == [a3.code, b2.code, a1.code, a2.code, b1.code]
    assert call(store, 1) is None
    called = order[0]
    assert (called.state, called.counter, called.priority) == ("called", 1, "disabled")
    assert called.called_at is not None and called.called_at > called.issued_at


def test_a_counter_only_calls_its_groups(store: Any) -> None:
    c1, d1 = issue(store, "C"), issue(store, "D")
    assert call(store, 1) is None  # counter 1: A and B
    assert call(store, 2).code == c1.code  # counter 2: B and C
    assert call(store, 2) is None
    assert call(store, 3).code == d1.code


def test_calling_next_closes_the_current_ticket(store: Any) -> None:
    a1, a2 = issue(store, "A"), issue(store, "A")
    call(store, 1)
    call(store, 1)
    first = row(store, a1.id)
    assert first.state == "done"
    assert first.finished_at == row(store, a2.id).called_at
    assert [e[0] for e in events(store, a1.id)] == ["issue", "printed", "call", "done"]
    assert row(store, a2.id).state == "called"


def test_recall_repeats_the_call(store: Any) -> None:
    a1 = issue(store, "A")
    call(store, 1)
    queue.recall(store, 1)
    again = queue.recall(store)  # this terminal is counter 1
    assert (again.code, again.state, again.recalls) == (a1.code, "called", 2)
    assert [e[:3] for e in events(store, a1.id)][-2:] == [
        ("recall", "called", "called"), ("recall", "called", "called")]


def test_serve_then_done_keeps_the_times(store: Any) -> None:
    a1 = issue(store, "A")
    called = call(store, 1)
    store.clock.advance(minutes=2)
    serving = queue.start_serving(store, 1)
    assert (serving.state, serving.serving_at) == ("serving", store.clock.now)
    store.clock.advance(minutes=9)
    done = queue.finish(store, 1)
    assert (done.state, done.finished_at) == ("done", store.clock.now)
    assert done.called_at == called.called_at
    assert done.issued_at == a1.issued_at
    assert [e[:3] for e in events(store, a1.id)] == [
        ("issue", None, "printing"), ("printed", "printing", "waiting"),
        ("call", "waiting", "called"),
        ("serve", "called", "serving"), ("done", "serving", "done")]
    with pytest.raises(UserError) as info:
        queue.finish(store, 1)
    assert info.value.key == "queue.no_current"
    assert "Quầy 1 chưa gọi số nào" in str(info.value)


def test_absent_then_requeued_keeps_its_place(store: Any) -> None:
    a1, a2 = issue(store, "A"), issue(store, "A")
    call(store, 1)
    absent = queue.mark_absent(store, 1)
    assert (absent.code, absent.state) == (a1.code, "absent")
    assert absent.finished_at == store.clock.now
    overview = queue.overview(store, 1)
    assert [t.code for t in overview.absent] == [a1.code]
    assert overview.current is None

    store.clock.advance(minutes=3)
    back = queue.requeue(store, a1.id)
    assert (back.state, back.counter, back.called_at, back.finished_at) == (
        "waiting", None, None, None)
    assert back.issued_at == a1.issued_at
    assert call(store, 1).code == a1.code  # before A002, issued later
    assert call(store, 1).code == a2.code
    assert [e[0] for e in events(store, a1.id)] == [
        "issue", "printed", "call", "absent", "requeue", "call", "done"]


def test_absent_while_serving(store: Any) -> None:
    issue(store, "B")
    call(store, 2)
    queue.start_serving(store, 2)
    assert queue.mark_absent(store, 2).state == "absent"


# ---------------------------------------------------------------------------------------------
# Transfers


def test_transfer_to_a_group_keeps_the_number(store: Any) -> None:
    for _ in range(14):
        issue(store, "A")
    a15 = issue(store, "A", "elderly")
    assert a15.code == "A015"
    assert call(store, 1).code == "A015"
    queue.start_serving(store, 1)

    moved = queue.transfer(store, to_group="c", counter=1)
    assert (moved.code, moved.group, moved.group_name, moved.state) == (
        "A015", "C", "Cư trú", "waiting")
    assert (moved.counter, moved.called_at, moved.serving_at) == (None, None, None)
    assert moved.issued_at == a15.issued_at
    stored = row(store, a15.id)
    assert (stored.series, stored.number, stored.group, stored.target_counter) == (
        "A", 15, "C", None)
    assert events(store, a15.id)[-1] == ("transfer", "serving", "waiting", 1, "canbo1")
    with store.read():
        note = TicketEvent.select().order_by(TicketEvent.id.desc()).first().note
    assert note == "-> C"

    assert queue.overview(store, 1).current is None
    assert call(store, 1).code == "A001"  # counter 1 no longer sees it
    taken = call(store, 2)  # counter 2 serves C
    assert (taken.code, taken.group, taken.counter) == ("A015", "C", 2)
    assert waiting(store, "C") == 0


def test_transfer_to_a_counter_only_that_counter_gets_it(store: Any) -> None:
    a1, a2 = issue(store, "A"), issue(store, "A")
    call(store, 1)
    moved = queue.transfer(store, to_counter=3, counter=1)
    assert (moved.code, moved.group, moved.state) == (a1.code, "A", "waiting")
    assert row(store, a1.id).target_counter == 3
    assert [t.code for t in queue.overview(store, 3).waiting] == [a1.code]
    assert [t.code for t in queue.overview(store, 1).waiting] == [a2.code]

    assert call(store, 2) is None  # counter 2 does not serve A
    assert call(store, 1).code == a2.code  # counter 1 serves A, but it was sent to counter 3
    assert call(store, 1) is None
    taken = call(store, 3)  # counter 3 does not serve A, but it was sent there
    assert (taken.code, taken.counter) == (a1.code, 3)
    assert row(store, a1.id).target_counter is None


def test_transfer_needs_another_place(store: Any) -> None:
    a1 = issue(store, "A")
    call(store, 1)
    for kwargs in ({}, {"to_group": "A"}, {"to_counter": 1}):
        with pytest.raises(UserError) as info:
            queue.transfer(store, counter=1, **kwargs)
        assert info.value.key == "queue.transfer_target"
        assert a1.code in str(info.value)
    with pytest.raises(UserError) as info:
        queue.transfer(store, to_group="Z", counter=1)
    assert info.value.key == "queue.unknown_group"
    with pytest.raises(UserError) as info:
        queue.transfer(store, to_counter=42, counter=1)
    assert info.value.key == "queue.unknown_counter"
    assert row(store, a1.id).state == "called"
    with pytest.raises(UserError) as info:
        queue.transfer(store, to_group="B", counter=2)
    assert info.value.key == "queue.no_current"


# ---------------------------------------------------------------------------------------------
# Void and refusals


def test_void_takes_the_ticket_and_its_slip_out(store: Any) -> None:
    issued = queue.issue(store, "A")
    store.clock.advance(minutes=1)
    voided = queue.void(store, issued.ticket.id, note="kẹt giấy")
    assert (voided.state, voided.finished_at) == ("void", store.clock.now)
    with store.read():
        assert PrintJob.get_by_id(issued.print_job).state == VOID
        event = TicketEvent.select().order_by(TicketEvent.id.desc()).first()
    assert (event.action, event.from_state, event.to_state, event.note) == (
        "void", "printing", "void", "kẹt giấy")
    assert call(store, 1) is None
    assert queue.overview(store, 1).groups[0].waiting == 0


@pytest.mark.parametrize("language", ["vi", "en"])
def test_refused_transitions_name_the_ticket(store: Any, language: str) -> None:
    set_language(language)
    a1 = issue(store, "A")
    cases = [
        (lambda: queue.requeue(store, a1.id), "waiting"),
    ]
    call(store, 1)
    queue.start_serving(store, 1)
    cases += [
        (lambda: queue.start_serving(store, 1), "serving"),
        (lambda: queue.recall(store, 1), "serving"),
        (lambda: queue.requeue(store, a1.id), "serving"),
    ]
    for action, _state in cases:
        before = events(store, a1.id)
        with pytest.raises(UserError) as info:
            action()
        assert info.value.key == "queue_rules.refused"
        assert "A001" in str(info.value)
        assert events(store, a1.id) == before  # nothing written
    queue.finish(store, 1)
    for action in (lambda: queue.void(store, a1.id), lambda: queue.requeue(store, a1.id)):
        with pytest.raises(UserError) as info:
            action()
        assert "A001" in str(info.value)
    message = str(info.value)
    if language == "vi":
        assert message.startswith("Số A001 đang ở trạng thái 'đã xong', không thể")
    else:
        assert message.startswith("Ticket A001 is 'done': cannot")
    assert row(store, a1.id).state == "done"


@pytest.mark.parametrize(("call_it", "key", "words"), [
    pytest.param(lambda s: queue.issue(s, "Z"), "queue.unknown_group",
                 ["'Z'", "A (Hộ tịch)", "D (Bưu chính công ích)"], id="issue-unknown-group"),
    pytest.param(lambda s: queue.issue(s, "AB"), "queue.unknown_group", ["'AB'"],
                 id="issue-two-letters"),
    pytest.param(lambda s: queue.issue(s, ""), "queue.unknown_group", ["Các nhóm"],
                 id="issue-empty"),
    pytest.param(lambda s: queue.issue(s, "A", "vip"), "queue.unknown_priority",
                 ["'vip'", "elderly", "merit"], id="issue-unknown-priority"),
    pytest.param(lambda s: queue.call_next(s, 99), "queue.unknown_counter",
                 ["99", "1, 2, 3"], id="call-unknown-counter"),
    pytest.param(lambda s: queue.overview(s, 7), "queue.unknown_counter", ["7"],
                 id="overview-unknown-counter"),
    pytest.param(lambda s: queue.recall(s, 4), "queue.unknown_counter", ["4"],
                 id="recall-unknown-counter"),
    pytest.param(lambda s: queue.requeue(s, 12345), "queue.no_ticket", ["12345"],
                 id="requeue-unknown-ticket"),
    pytest.param(lambda s: queue.void(s, 12345), "queue.no_ticket", ["12345"],
                 id="void-unknown-ticket"),
    pytest.param(lambda s: queue.get(s, 12345), "queue.no_ticket", ["12345"],
                 id="get-unknown-ticket"),
])
def test_unknown_things_are_user_errors(store: Any, call_it: Any, key: str,
                                        words: list[str]) -> None:
    with pytest.raises(UserError) as info:
        call_it(store)
    assert info.value.key == key
    for word in words:
        assert word in str(info.value)
    with store.read():
        assert Ticket.select().count() == 0
        assert PrintJob.select().count() == 0


def test_unknown_group_names_the_field(store: Any) -> None:
    with pytest.raises(UserError) as info:
        queue.issue(store, "Q")
    assert info.value.field == "group"
    with pytest.raises(UserError) as info:
        queue.issue(store, "A", "vip")
    assert info.value.field == "priority"


# ---------------------------------------------------------------------------------------------
# The record and the overview


def test_every_action_is_an_event_with_counter_and_officer(store: Any) -> None:
    counter2 = store.as_terminal(2, "canbo2")
    counter3 = store.as_terminal(3, "canbo3")
    b1 = issue(store, "B")
    call(counter2, 2)
    queue.recall(counter2)
    queue.start_serving(counter2)
    queue.transfer(counter2, to_counter=3)
    call(counter3, 3)
    queue.mark_absent(counter3)
    queue.requeue(counter3, b1.id)
    queue.void(store, b1.id)
    assert events(store, b1.id) == [
        ("issue", None, "printing", 1, "canbo1"),
        ("printed", "printing", "waiting", 1, "canbo1"),
        ("call", "waiting", "called", 2, "canbo2"),
        ("recall", "called", "called", 2, "canbo2"),
        ("serve", "called", "serving", 2, "canbo2"),
        ("transfer", "serving", "waiting", 2, "canbo2"),
        ("call", "waiting", "called", 3, "canbo3"),
        ("absent", "called", "absent", 3, "canbo3"),
        ("requeue", "absent", "waiting", 3, "canbo3"),
        ("void", "waiting", "void", 1, "canbo1"),
    ]
    with store.read():
        times = [e.at for e in TicketEvent.select().order_by(TicketEvent.id)]
    assert times == sorted(times)
    assert row(store, b1.id).officer == "canbo3"  # who called it last


def test_overview_counts_and_lists(store: Any) -> None:
    a1, a2, a3 = issue(store, "A"), issue(store, "A"), issue(store, "A")
    b1, b2 = issue(store, "B"), issue(store, "B")
    c1, d1 = issue(store, "C"), issue(store, "D")
    b3 = issue(store, "B", "small_children")
    assert call(store, 1).code == b3.code
    queue.finish(store, 1)
    assert call(store, 1).code == a1.code
    queue.start_serving(store, 1)
    assert call(store, 2).code == b1.code
    queue.mark_absent(store, 2)
    assert call(store, 3).code == c1.code

    overview = queue.overview(store, 1)
    assert overview.counter.number == 1 and overview.counter.groups == ("A", "B")
    counts = {g.letter: (g.waiting, g.called, g.serving, g.done, g.absent)
              for g in overview.groups}
    assert counts == {"A": (2, 0, 1, 0, 0), "B": (1, 0, 0, 1, 1), "C": (0, 1, 0, 0, 0),
                      "D": (1, 0, 0, 0, 0)}
    assert [g.name for g in overview.groups] == ["Hộ tịch", "Chứng thực", "Cư trú",
                                                 "Bưu chính công ích"]
    assert overview.current is not None
    assert (overview.current.code, overview.current.state) == (a1.code, "serving")
    assert [(t.code, t.ahead) for t in overview.waiting] == [
        (a2.code, 0), (a3.code, 1), (b2.code, 2)]
    assert [t.code for t in overview.absent] == [b1.code]
    assert overview.failed_jobs == ()
    assert [t.code for t in queue.overview(store, 3).waiting] == [d1.code]
    assert queue.overview(store, 3).current.code == c1.code  # type: ignore[union-attr]
    assert [t.code for t in queue.overview(store, 1, limit=1).waiting] == [a2.code]

    # tomorrow the board starts empty
    store.clock.advance(days=1)
    tomorrow = queue.overview(store, 1)
    assert all(g.waiting == g.done == 0 for g in tomorrow.groups)
    assert tomorrow.current is None and tomorrow.waiting == ()


def test_get_returns_the_view(store: Any) -> None:
    a1 = issue(store, "A")
    assert queue.get(store, a1.id) == a1


def test_the_centres_counter_works_only_on_its_own_tickets(store: Any) -> None:
    """On the district's centre the offices' tickets come in by sync, with the same numbers
    and counters as the centre's own: its counter screen, its calls, its display and its
    ticket commands leave them alone (they are the offices' figures, not its queue)."""
    from counter_tui.services import display

    now = store.now()
    with store.write():
        theirs = Ticket.create(day=now.date(), series="A", number=1, group="A",
                               state="waiting", issued_at=now - timedelta(minutes=30),
                               origin="000.17.22.H99")
        Ticket.create(day=now.date(), series="A", number=2, group="A", state="called",
                      counter=1, called_at=now - timedelta(minutes=5), issued_at=now,
                      origin="000.17.22.H99")
    seen = queue.overview(store, 1)
    assert seen.current is None and seen.waiting == ()
    assert {g.letter: g.waiting for g in seen.groups}["A"] == 0
    assert queue.call_next(store, 1) is None  # nothing of its own waits
    board = display.board(store)
    assert all(c.code is None for c in board.counters)
    assert dict((g, n) for g, _, n in board.waiting)["A"] == 0
    with pytest.raises(UserError):
        queue.void(store, theirs.id)
    ours = hand_out(store, "A")
    assert ours.code == "A001"  # its own numbering, beside the office's A001
    assert queue.call_next(store, 1).code == "A001"
    with store.read():
        assert Ticket.get_by_id(theirs.id).state == "waiting"
