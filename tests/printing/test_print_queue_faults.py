"""The print queue against the simulated network printer: each fault keeps the record, fails
the job with a clear reason after its automatic retries, and the reprint succeeds once the
fault clears; queued jobs survive a restart."""

from __future__ import annotations

import time
from functools import partial
from typing import Any

import pytest

from counter_tui.printing.simulator import NetworkPrinter
from counter_tui.printing.spooler import drain
from counter_tui.services import printjobs, queue
from counter_tui.services.printjobs import BACKOFF_SECONDS, FAILED, MAX_AUTO_RETRIES, QUEUED, SENT


def _printer(sim: NetworkPrinter) -> dict[str, Any]:
    return {"printer": {"kind": "network", "target": sim.target, "connect_timeout": 0.5,
                        "send_timeout": 1.0}}


def _drain(store: Any) -> int:
    return drain(partial(printjobs.claim, store), partial(printjobs.sent, store),
                 lambda job_id, reason, transient: printjobs.failed(
                     store, job_id, reason, transient=transient),
                 store.cfg.printer)


def _printed(sim: NetworkPrinter, count: int = 0) -> list[str]:
    """The decoded text of every printed job, once at least `count` of them are kept."""
    deadline = time.monotonic() + 10
    while sum(j["outcome"] == "printed" for j in sim.jobs()) < count:
        assert time.monotonic() < deadline, f"{count} printed jobs expected: {sim.jobs()}"
        time.sleep(0.02)
    jobs = sorted(sim.jobs(), key=lambda j: j["number"])  # numbered as they arrived
    return [(sim.folder / j["text"]).read_text(encoding="utf-8") for j in jobs
            if j["outcome"] == "printed"]


@pytest.mark.parametrize("engine", ["sqlite"], indirect=True)
@pytest.mark.parametrize(("fault", "words"), [
    ("paper_out", "hết giấy"),
    ("cover_open", "Nắp máy in đang mở"),
    ("offline", "ngoại tuyến"),
    ("drop=64", "ngắt kết nối giữa chừng"),
])
def test_a_fault_fails_the_slip_not_the_ticket_and_the_reprint_prints(
        open_test_store: Any, net_printer: NetworkPrinter, fault: str, words: str) -> None:
    store = open_test_store(**_printer(net_printer))
    net_printer.set_faults(fault)
    issued = queue.issue(store, "A")
    job = issued.print_job

    for attempt in range(MAX_AUTO_RETRIES + 1):
        assert _drain(store) == 1
        state, error = printjobs.status(store, job)
        assert words in error
        if attempt < MAX_AUTO_RETRIES:
            assert state == QUEUED  # retried automatically, after a back-off
            assert _drain(store) == 0  # not before its time
            store.clock.advance(seconds=BACKOFF_SECONDS[attempt])
    assert printjobs.status(store, job)[0] == FAILED
    assert [p.label for p in printjobs.problems(store)] == ["A001"]
    overview = queue.overview(store, 1)
    assert overview.waiting == ()  # the ticket is kept, but nobody holds its slip yet
    assert queue.get(store, issued.ticket.id).state == "printing"
    assert _printed(net_printer) == []

    net_printer.set_faults("clear")
    printjobs.retry(store, job)
    assert _drain(store) == 1
    assert printjobs.status(store, job) == (SENT, "")
    [text] = _printed(net_printer, 1)
    assert "A001" in text and "SỐ THỨ TỰ" in text
    assert [t.code for t in queue.overview(store, 1).waiting] == ["A001"]


def test_queued_slips_survive_a_restart_and_half_sent_ones_are_not_resent_blindly(
        open_test_store: Any, net_printer: NetworkPrinter) -> None:
    store = open_test_store(**_printer(net_printer))
    net_printer.set_faults("paper_out")
    first = queue.issue(store, "A").print_job
    second = queue.issue(store, "B").print_job
    assert _drain(store) == 1  # the first fails, the second waits behind it
    assert printjobs.status(store, second) == (QUEUED, "")
    assert printjobs.claim(store, second) is not None  # being sent when the power goes
    store.close()

    store = open_test_store(seed=False, **_printer(net_printer))  # the app starts again
    assert printjobs.recover_interrupted(store) == 1
    state, error = printjobs.status(store, second)
    assert state == FAILED and "gián đoạn" in error
    net_printer.set_faults("clear")
    store.clock.advance(seconds=BACKOFF_SECONDS[0])
    assert _drain(store) == 1
    assert printjobs.status(store, first)[0] == SENT
    printjobs.retry(store, second)
    assert _drain(store) == 1
    texts = _printed(net_printer, 2)
    assert ["A001" in texts[0], "B001" in texts[1]] == [True, True]


@pytest.mark.parametrize("engine", ["sqlite"], indirect=True)
def test_jobs_leave_in_order_when_the_first_one_had_to_wait(
        open_test_store: Any, net_printer: NetworkPrinter) -> None:
    store = open_test_store(**_printer(net_printer))
    net_printer.set_faults("cover_open")
    jobs = [queue.issue(store, "A").print_job for _ in range(3)]
    _drain(store)
    net_printer.set_faults("clear")
    assert _drain(store) == 0  # the oldest waits for its retry: none may overtake it
    store.clock.advance(seconds=BACKOFF_SECONDS[0])
    assert _drain(store) == 3
    assert [printjobs.status(store, j)[0] for j in jobs] == [SENT] * 3
    assert ["A00" + str(i) in text for i, text in enumerate(_printed(net_printer, 3), 1)] == [
        True] * 3
