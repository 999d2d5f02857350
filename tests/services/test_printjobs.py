"""The print queue as rows, on both engines: claiming, sending, failing with retries and
backoff, manual retry, recovery after a crash, voided tickets; and the spooler end to end with
a file printer."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import Any

import pytest

from counter_tui.core.errors import UserError
from counter_tui.core.layout import Cut, Slip, Text
from counter_tui.db.models import PrintJob
from counter_tui.services import printjobs, queue
from counter_tui.services.printjobs import (
    BACKOFF_SECONDS,
    FAILED,
    MAX_AUTO_RETRIES,
    QUEUED,
    SENDING,
    SENT,
    UNSURE,
    VOID,
)
from tests.tickets import gone_process, hand_out, slip_out


def slip(text: str) -> Slip:
    return Slip("test", (Text(text), Cut()))


def enqueue(store: Any, text: str, **links: Any) -> int:
    with store.write():
        return printjobs.enqueue(store, slip(text), **links)


def job(store: Any, job_id: int) -> PrintJob:
    with store.read():
        return PrintJob.get_by_id(job_id)


def test_enqueue_belongs_to_the_callers_transaction(store: Any) -> None:
    with pytest.raises(RuntimeError), store.write():
        printjobs.enqueue(store, slip("rolled back"))
        raise RuntimeError("the record failed")
    with store.read():
        assert PrintJob.select().count() == 0
    first = enqueue(store, "một")
    stored = job(store, first)
    assert (stored.state, stored.attempts, stored.counter, stored.officer, stored.kind) == (
        QUEUED, 0, 1, "canbo1", "test")
    assert printjobs.slip_of(store, first) == slip("một")


def test_claim_takes_the_oldest_job_of_this_terminal(store: Any) -> None:
    first, second = enqueue(store, "1"), enqueue(store, "2")
    other = enqueue(store.as_terminal(2, "canbo2"), "quầy 2")
    kiosk = enqueue(store.as_terminal(None, "kiosk"), "kiosk")

    claimed = printjobs.claim(store)
    assert claimed == (first, slip("1"))
    stored = job(store, first)
    assert (stored.state, stored.attempts) == (SENDING, 1)
    assert printjobs.claim(store) == (second, slip("2"))
    assert printjobs.claim(store) is None  # counter 2's and the kiosk's jobs are not ours
    assert printjobs.claim(store.as_terminal(2, "canbo2")) == (other, slip("quầy 2"))
    assert printjobs.claim(store.as_terminal(None, "kiosk")) == (kiosk, slip("kiosk"))


def test_a_claimed_job_cannot_be_claimed_again(store: Any) -> None:
    first = enqueue(store, "1")
    assert printjobs.claim(store, first) is not None
    assert printjobs.claim(store, first) is None
    assert printjobs.claim(store) is None
    assert printjobs.claim(store.as_terminal(2, "x"), first) is None
    assert job(store, first).attempts == 1
    printjobs.sent(store, first)
    assert printjobs.claim(store, first) is None


def test_claim_by_id_ignores_the_terminal(store: Any) -> None:
    other = enqueue(store.as_terminal(3, "canbo3"), "3")
    assert printjobs.claim(store, other) == (other, slip("3"))


def test_sent_records_the_time(store: Any) -> None:
    first = enqueue(store, "1")
    printjobs.claim(store)
    store.clock.advance(seconds=3)
    printjobs.sent(store, first)
    stored = job(store, first)
    assert (stored.state, stored.sent_at, stored.error) == (SENT, store.clock.now, "")
    assert printjobs.status(store, first) == (SENT, "")


def test_transient_failures_retry_with_backoff_then_fail(store: Any) -> None:
    first = enqueue(store, "1")
    assert MAX_AUTO_RETRIES == 3
    for attempt in range(1, MAX_AUTO_RETRIES + 1):
        assert printjobs.claim(store) == (first, slip("1"))
        assert printjobs.failed(store, first, f"offline {attempt}", transient=True) == QUEUED
        stored = job(store, first)
        delay = dt.timedelta(seconds=BACKOFF_SECONDS[attempt - 1])
        assert (stored.state, stored.attempts, stored.error) == (
            QUEUED, attempt, f"offline {attempt}")
        assert stored.next_try_at == store.clock.now + delay
        store.clock.advance(seconds=delay.total_seconds() - 1)
        assert printjobs.claim(store) is None  # not yet due
        store.clock.advance(seconds=1)
    assert printjobs.claim(store) == (first, slip("1"))
    assert printjobs.failed(store, first, "máy in tắt", transient=True) == FAILED
    stored = job(store, first)
    assert (stored.state, stored.attempts, stored.error, stored.next_try_at) == (
        FAILED, MAX_AUTO_RETRIES + 1, "máy in tắt", None)
    store.clock.advance(hours=1)
    assert printjobs.claim(store) is None
    assert printjobs.status(store, first) == (FAILED, "máy in tắt")


def test_a_permanent_failure_fails_at_once(store: Any) -> None:
    first = enqueue(store, "1")
    printjobs.claim(store)
    assert printjobs.failed(store, first, "x" * 900, transient=False) == FAILED
    assert job(store, first).error == "x" * 500
    [problem] = printjobs.problems(store)
    assert (problem.id, problem.state, problem.attempts, problem.label) == (
        first, FAILED, 1, f"#{first}")


def test_retry_puts_a_failed_job_back(store: Any) -> None:
    first = enqueue(store.as_terminal(2, "canbo2"), "1")
    printjobs.claim(store, first)
    printjobs.failed(store, first, "hết giấy", transient=False)
    printjobs.retry(store, first)  # from counter 1: the job now prints here
    stored = job(store, first)
    assert (stored.state, stored.next_try_at, stored.counter) == (QUEUED, None, 1)
    assert printjobs.claim(store) == (first, slip("1"))
    printjobs.sent(store, first)

    with pytest.raises(UserError) as info:
        printjobs.retry(store, first)
    assert info.value.key == "print.not_failed"
    assert str(first) in str(info.value) and "'đã in'" in str(info.value)  # not "sent"
    with pytest.raises(UserError) as info:
        printjobs.retry(store, 99999)
    assert info.value.key == "print.no_job"


def test_a_reprint_is_not_held_back_by_an_older_slip_waiting_for_its_retry(
        store: Any) -> None:
    """Jobs leave in order; an explicit reprint makes the older slips of this terminal that
    wait out their retry due now too, so the reprint goes at once (after them)."""
    older, failed = enqueue(store, "1"), enqueue(store, "2")
    printjobs.claim(store, failed)
    printjobs.failed(store, failed, "hết giấy", transient=False)
    printjobs.claim(store, older)
    assert printjobs.failed(store, older, "offline", transient=True) == QUEUED
    assert printjobs.claim(store) is None  # the older one waits for its retry
    printjobs.retry(store, failed)
    assert printjobs.claim(store) == (older, slip("1"))
    assert printjobs.claim(store) == (failed, slip("2"))


def _claimed_by(store: Any, job_id: int, process: str, minutes_ago: float = 0) -> None:
    with store.write():
        PrintJob.update(claimed_by=process, claimed_at=store.clock.now - dt.timedelta(
            minutes=minutes_ago)).where(PrintJob.id == job_id).execute()


def test_recovery_finds_every_interrupted_job_of_the_printer(store: Any) -> None:
    """Jobs left "sending" by any process that stopped, the CLI's and a kiosk's included,
    become unsure (they may have printed); a job a live process is sending is left alone."""
    import socket
    import subprocess
    import sys

    mine, queued = enqueue(store, "1"), enqueue(store, "2")
    kiosk = queue.issue(store.as_terminal(None, "kiosk"), "A")
    other = enqueue(store.as_terminal(2, "canbo2"), "quầy 2")
    live, far, far_stale = (enqueue(store.as_terminal(3, "canbo3"), n) for n in "345")
    for job_id in (mine, kiosk.print_job, other, live, far, far_stale):
        assert printjobs.claim(store, job_id) is not None
    host = socket.gethostname()
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        for job_id in (mine, kiosk.print_job, other):
            _claimed_by(store, job_id, gone_process())  # the process was killed
        _claimed_by(store, live, f"{host}:{sleeper.pid}")  # still sending
        _claimed_by(store, far, "other-host:123", minutes_ago=1)  # another machine, just now
        _claimed_by(store, far_stale, "other-host:123", minutes_ago=11)
        assert printjobs.recover_interrupted(store) == 4
        assert printjobs.recover_interrupted(store) == 0
    finally:
        sleeper.kill()
        sleeper.wait()
    states = {j: job(store, j).state for j in (mine, queued, kiosk.print_job, other, live, far,
                                                far_stale)}
    assert states == {mine: UNSURE, queued: QUEUED, kiosk.print_job: UNSURE, other: UNSURE,
                      live: SENDING, far: SENDING, far_stale: UNSURE}
    assert "có thể đã in" in job(store, mine).error
    assert {p.id for p in printjobs.problems(store)} == {mine, kiosk.print_job, other,
                                                         far_stale}
    assert {p.id for p in printjobs.recent(store, failed_only=True)} == {
        mine, kiosk.print_job, other, far_stale}
    assert queue.get(store, kiosk.ticket.id).state == "printing"  # not counted until checked


def test_an_officer_chooses_for_a_job_that_may_have_printed(store: Any) -> None:
    came_out, reprint, lost = (queue.issue(store, "A") for _ in range(3))
    for issued in (came_out, reprint, lost):
        printjobs.claim(store, issued.print_job)
        _claimed_by(store, issued.print_job, "gone:1", minutes_ago=30)
    assert printjobs.recover_interrupted(store) == 3

    printjobs.mark_printed(store, came_out.print_job)  # the slip is in the tray, whole
    assert job(store, came_out.print_job).state == SENT
    assert queue.get(store, came_out.ticket.id).state == "waiting"
    printjobs.retry(store, reprint.print_job)  # cut short: print it again
    assert job(store, reprint.print_job).state == QUEUED
    queue.void(store, lost.ticket.id)  # the citizen left
    assert job(store, lost.print_job).state == VOID
    assert printjobs.problems(store) == []
    with pytest.raises(UserError) as info:
        printjobs.mark_printed(store, reprint.print_job)
    assert info.value.key == "print.not_unsure"


def test_every_counter_on_a_printer_sees_its_failed_slips_wherever_they_came_from(
        store: Any) -> None:
    """A kiosk's ticket (no counter) or another counter's slip that failed on this counter's
    printer is shown here too; one that failed on another printer is not."""
    kiosk = store.as_terminal(None, "kiosk")
    counter2 = store.as_terminal(2, "canbo2")
    elsewhere = replace(store, cfg=replace(store.cfg, printer=replace(
        store.cfg.printer, kind="network", target="192.168.1.50")))
    jobs = [queue.issue(kiosk, "A").print_job, queue.issue(counter2, "B").print_job,
            queue.issue(elsewhere.as_terminal(3, "canbo3"), "C").print_job]
    for job_id in jobs:
        printjobs.claim(store, job_id)
        printjobs.failed(store, job_id, "hết giấy", transient=False)

    here = [j.label for j in printjobs.problems(store)]
    assert here == ["B001", "A001"]  # newest first
    assert [j.label for j in printjobs.problems(counter2)] == ["B001", "A001"]
    assert [j.counter for j in queue.overview(store, 1).failed_jobs] == [2, None]
    # the printer at 192.168.1.50, written with its default port or not, is one printer
    far = replace(elsewhere.cfg.printer, target="192.168.1.50:9100")
    assert [j.label for j in printjobs.problems(replace(
        store, cfg=replace(store.cfg, printer=far)).as_terminal(3, "canbo3"))] == ["C001"]


def test_void_for_ticket_spares_what_was_printed(store: Any) -> None:
    issued = queue.issue(store, "A")
    reprint = enqueue(store, "in lại", ticket=issued.ticket.id)
    printed = enqueue(store, "đã in", ticket=issued.ticket.id)
    other = queue.issue(store, "A")
    printjobs.claim(store, printed)
    printjobs.sent(store, printed)
    printjobs.claim(store, reprint)
    printjobs.failed(store, reprint, "kẹt giấy", transient=False)
    with store.write():
        printjobs.void_for_ticket(issued.ticket.id)
    assert job(store, issued.print_job).state == VOID
    assert job(store, reprint).state == VOID
    assert job(store, printed).state == SENT
    assert job(store, other.print_job).state == QUEUED
    assert printjobs.claim(store) == (other.print_job, printjobs.slip_of(store, other.print_job))


def test_problem_labels_show_the_printed_number(store: Any) -> None:
    for _ in range(2):
        queue.issue(store, "A")
    ticket = hand_out(store, "A", "elderly")
    copy = enqueue(store, "A003 bản in lại", ticket=ticket.id)  # a second copy asked for
    printjobs.claim(store, copy)
    printjobs.failed(store, copy, "offline", transient=False)
    assert [p.label for p in printjobs.problems(store)] == ["A003"]
    queue.call_next(store, 1)
    queue.transfer(store, to_group="C", counter=1)  # it waits in C, the slip still says A003
    assert [p.label for p in printjobs.problems(store)] == ["A003"]
    assert queue.overview(store, 1).failed_jobs[0].label == "A003"


def test_a_ticket_whose_slip_did_not_print_is_neither_queued_nor_counted(store: Any) -> None:
    """Domain rule (§8): a failed print is never silently counted as handed out. The ticket
    waits for its slip; reprinted it joins the queue, voided it never does."""
    unlucky = queue.issue(store, "A")
    printjobs.claim(store, unlucky.print_job)
    printjobs.failed(store, unlucky.print_job, "hết giấy", transient=False)
    lost = queue.issue(store, "A")
    printjobs.claim(store, lost.print_job)
    printjobs.failed(store, lost.print_job, "kẹt giấy", transient=False)
    store.clock.advance(minutes=1)
    later = hand_out(store, "A")
    assert later.ahead == 0  # nobody holds a slip ahead of this one

    overview = queue.overview(store, 1)
    assert (overview.groups[0].waiting, [t.code for t in overview.waiting]) == (1, ["A003"])
    assert {j.label for j in overview.failed_jobs} == {"A001", "A002"}
    assert queue.get(store, unlucky.ticket.id).state == "printing"

    printjobs.retry(store, unlucky.print_job)  # the officer reprints A001: it prints
    slip_out(store, unlucky.print_job)
    queue.void(store, lost.ticket.id, "kẹt giấy")  # and voids A002
    # A001 joins the queue at its place (issued first); A002 never does
    assert [t.code for t in queue.overview(store, 1).waiting] == ["A001", "A003"]
    assert queue.call_next(store, 1).code == "A001"
    assert queue.call_next(store, 1).code == "A003"
    assert queue.call_next(store, 1) is None


def test_the_day_board_counts_only_tickets_whose_slip_is_out(store: Any) -> None:
    """The supervisor's board, `report day` and the printed summary read one count."""
    from counter_tui.services import reports

    hand_out(store, "A")
    unprinted = queue.issue(store, "A")
    failed = queue.issue(store, "B")
    printjobs.claim(store, failed.print_job)
    printjobs.failed(store, failed.print_job, "hết giấy", transient=False)
    board = reports.day_board(store)
    groups = {g.letter: g for g in board.groups}
    assert board.tickets_issued == 1 and sum(board.tickets_per_hour) == 1
    assert (groups["A"].issued, groups["A"].waiting, groups["B"].issued) == (1, 1, 0)

    slip_out(store, unprinted.print_job)
    assert reports.day_board(store).tickets_issued == 2


# ---------------------------------------------------------------------------------------------
# The spooler with a file printer


def _drain(store: Any) -> int:
    from counter_tui.printing.spooler import drain

    return drain(partial(printjobs.claim, store), partial(printjobs.sent, store),
                 lambda job_id, reason, transient, maybe_printed: printjobs.failed(
                     store, job_id, reason, transient=transient, maybe_printed=maybe_printed),
                 store.cfg.printer)


def test_spooler_prints_an_issued_ticket_to_the_file_printer(store: Any) -> None:
    target = Path(store.cfg.printer.target)
    assert not target.exists()
    first = queue.issue(store, "A")
    second = queue.issue(store, "B", "elderly")
    assert _drain(store) == 2
    assert printjobs.status(store, first.print_job) == (SENT, "")
    assert printjobs.status(store, second.print_job) == (SENT, "")
    assert job(store, first.print_job).sent_at == store.clock.now
    data = target.read_bytes()
    assert data.startswith(b"\x1b@")  # every job starts with ESC @
    assert data.count(b"\x1b@") >= 2
    assert _drain(store) == 0

    decode = pytest.importorskip("counter_tui.printing.decode").decode
    decoded = decode(data, profile=store.cfg.printer.profile)
    text = "\n".join(decoded.text)
    for words in ("A001", "B001", "Hộ tịch", "Chứng thực", "SỐ THỨ TỰ",
                  "ƯU TIÊN: Người cao tuổi", store.cfg.office.name):
        assert words in text
    assert decoded.cuts == 2


def test_spooler_records_a_printer_that_cannot_be_written(open_test_store: Any,
                                                          tmp_path: Path) -> None:
    blocked = tmp_path / "not-a-file"
    blocked.mkdir()
    store = open_test_store(printer={"target": str(blocked)})
    issued = queue.issue(store, "A")
    assert _drain(store) == 1
    state, error = printjobs.status(store, issued.print_job)
    assert state == FAILED
    assert "Không ghi được vào tệp máy in" in error
    assert [p.label for p in printjobs.problems(store)] == ["A001"]
    assert _drain(store) == 0  # a permanent failure is not retried on its own
