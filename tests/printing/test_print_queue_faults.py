"""The print queue against the simulated network printer: each fault keeps the record, fails
the job with a clear reason after its automatic retries, and the reprint succeeds once the
fault clears; queued jobs survive a restart."""

from __future__ import annotations

import re
import time
from functools import partial
from typing import Any

import pytest

from counter_tui.db.models import PrintJob
from counter_tui.printing.render import render
from counter_tui.printing.simulator import NetworkPrinter
from counter_tui.printing.spooler import Spooler, drain
from counter_tui.services import printjobs, queue
from counter_tui.services.printjobs import (
    BACKOFF_SECONDS,
    FAILED,
    MAX_AUTO_RETRIES,
    QUEUED,
    SENT,
    UNSURE,
)
from tests.printing.simhelp import wait_for_jobs
from tests.tickets import gone_process


def _printer(sim: NetworkPrinter) -> dict[str, Any]:
    return {"printer": {"kind": "network", "target": sim.target, "connect_timeout": 0.5,
                        "send_timeout": 1.0}}


def _drain(store: Any) -> int:
    return drain(partial(printjobs.claim, store), partial(printjobs.sent, store),
                 lambda job_id, reason, transient, maybe_printed: printjobs.failed(
                     store, job_id, reason, transient=transient, maybe_printed=maybe_printed),
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


@pytest.mark.parametrize("engine", ["sqlite"], indirect=True)
@pytest.mark.parametrize("mode", ["tcvn3", "raster"])
def test_a_connection_dropped_mid_job_is_never_resent_by_itself(
        open_test_store: Any, net_printer: NetworkPrinter, mode: str) -> None:
    """A printer that resets the connection once it has part of the slip may have printed
    part or all of it: one attempt, the bytes the printer took (not what was written) in the
    reason, and the job waits for an officer's choice instead of printing again and again."""
    if mode == "raster":
        pytest.importorskip("PIL")
    store = open_test_store(printer={**_printer(net_printer)["printer"], "text_mode": mode,
                                     "ticket_qr": True})
    net_printer.set_faults("drop=100")
    issued = queue.issue(store, "A")
    job = issued.print_job
    total = len(render(printjobs.slip_of(store, job), store.cfg.printer))

    assert _drain(store) == 1
    state, error = printjobs.status(store, job)
    assert state == UNSURE and "ngắt kết nối giữa chừng" in error
    [dropped] = wait_for_jobs(net_printer, 1)
    assert dropped["outcome"] == "dropped"
    taken = int(re.search(r"đã nhận (\d+)", error).group(1))  # type: ignore[union-attr]
    assert f"/{total} byte" in error and "có thể đã in" in error
    assert 0 < taken <= dropped["bytes"] <= total  # never more than the printer got
    if dropped["bytes"] < 1000:  # one segment: what it acknowledged is all it kept
        assert taken == dropped["bytes"]
    store.clock.advance(minutes=5)
    assert _drain(store) == 0  # not sent again by itself
    assert len(net_printer.jobs()) == 1
    assert [p.id for p in printjobs.problems(store)] == [job]
    assert queue.get(store, issued.ticket.id).state == "printing"

    net_printer.set_faults("clear")  # the officer saw half a slip and reprints it
    printjobs.retry(store, job)
    assert _drain(store) == 1 and printjobs.status(store, job)[0] == SENT
    [reprinted] = _printed(net_printer, 1)
    assert mode == "raster" or "A001" in reprinted


def test_queued_slips_survive_a_restart_and_half_sent_ones_are_not_resent_blindly(
        open_test_store: Any, net_printer: NetworkPrinter) -> None:
    store = open_test_store(**_printer(net_printer))
    net_printer.set_faults("paper_out")
    first = queue.issue(store, "A").print_job
    second = queue.issue(store, "B").print_job
    assert _drain(store) == 1  # the first fails, the second waits behind it
    assert printjobs.status(store, second) == (QUEUED, "")
    assert printjobs.claim(store, second) is not None  # being sent when the power goes
    with store.write():  # by a process that is gone at the next start
        PrintJob.update(claimed_by=gone_process()).where(
            PrintJob.id == second).execute()
    store.close()

    store = open_test_store(seed=False, **_printer(net_printer))  # the app starts again
    assert printjobs.recover_interrupted(store) == 1
    state, error = printjobs.status(store, second)
    assert state == UNSURE and "gián đoạn" in error
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


@pytest.mark.parametrize("engine", ["sqlite"], indirect=True)
@pytest.mark.parametrize("how", ["kick", "send_now"])
def test_a_reprint_after_the_fault_is_cleared_goes_at_once(
        open_test_store: Any, net_printer: NetworkPrinter, how: str) -> None:
    """The printer was down long enough for its back-off to reach 30 s; the technician fixes
    it and the officer reprints: the slip goes now, not when the back-off runs out."""
    store = open_test_store(**_printer(net_printer))
    now = [1000.0]
    spooler = Spooler(partial(printjobs.claim, store), partial(printjobs.sent, store),
                      lambda job_id, reason, transient, maybe: printjobs.failed(
                          store, job_id, reason, transient=transient, maybe_printed=maybe),
                      store.cfg.printer, clock=lambda: now[0])
    net_printer.set_faults("paper_out")
    job = queue.issue(store, "A").print_job
    assert spooler.run_once() == 1
    for _ in range(4):
        spooler.probe()
    assert spooler.offline and spooler.health.retry_at == now[0] + 30
    assert printjobs.claim(store, job) is not None  # the officer gave up waiting: failed
    printjobs.failed(store, job, "hết giấy", transient=False)

    net_printer.set_faults("clear")  # the technician put paper in
    printjobs.retry(store, job)
    if how == "kick":
        spooler.kick()
        assert spooler.run_once() == 1
    else:
        spooler.send_now(job)
    assert printjobs.status(store, job) == (SENT, "")
    assert "A001" in _printed(net_printer, 1)[0]
    assert not spooler.offline
