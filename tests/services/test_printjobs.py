"""The print queue as rows, on both engines: claiming, sending, failing with retries and
backoff, manual retry, recovery after a crash, voided tickets; and the spooler end to end with
a file printer."""

from __future__ import annotations

import datetime as dt
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
    VOID,
)


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
    assert str(first) in str(info.value) and "sent" in str(info.value)
    with pytest.raises(UserError) as info:
        printjobs.retry(store, 99999)
    assert info.value.key == "print.no_job"


def test_recover_interrupted_fails_half_sent_jobs_of_this_terminal(store: Any) -> None:
    mine, queued = enqueue(store, "1"), enqueue(store, "2")
    theirs = enqueue(store.as_terminal(2, "canbo2"), "3")
    printjobs.claim(store, mine)
    printjobs.claim(store, theirs)
    assert printjobs.recover_interrupted(store) == 1
    stored = job(store, mine)
    assert stored.state == FAILED
    assert "gián đoạn" in stored.error
    assert job(store, queued).state == QUEUED
    assert job(store, theirs).state == SENDING
    assert printjobs.recover_interrupted(store) == 0
    assert [p.id for p in printjobs.problems(store)] == [mine]
    assert [p.id for p in printjobs.recent(store)] == [theirs, queued, mine]


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
    issued = queue.issue(store, "A", "elderly")
    printjobs.claim(store, issued.print_job)
    printjobs.failed(store, issued.print_job, "offline", transient=False)
    assert [p.label for p in printjobs.problems(store)] == ["A003"]
    queue.call_next(store, 1)
    queue.transfer(store, to_group="C", counter=1)  # it waits in C, the slip still says A003
    assert [p.label for p in printjobs.problems(store)] == ["A003"]
    assert queue.overview(store, 1).failed_jobs[0].label == "A003"


# ---------------------------------------------------------------------------------------------
# The spooler with a file printer


def _drain(store: Any) -> int:
    from counter_tui.printing.spooler import drain

    return drain(partial(printjobs.claim, store), partial(printjobs.sent, store),
                 lambda job_id, reason, transient: printjobs.failed(
                     store, job_id, reason, transient=transient),
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
