"""Slips that did not print, or may have, as the officers at a printer see them: listed and
told on every counter at that printer (whoever queued them), decided in one dialog (it came
out, reprint, void), never sent again by themselves; and a saved dossier whose receipt did
not print says so at once, and on its screen, with what to do."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import DataTable, Static

from counter_tui.db.models import PrintJob
from counter_tui.printing.simulator import NetworkPrinter
from counter_tui.printing.transports import forget_printers
from counter_tui.services import dossiers, printjobs, queue
from counter_tui.ui.app import CounterApp
from counter_tui.ui.screens.counter import CounterScreen
from counter_tui.ui.screens.dossier import DossierScreen
from counter_tui.ui.screens.print_problem import PrintProblemScreen
from tests.ui.conftest import printer_output, settle, wait_until
from tests.ui.test_counter import (
    column,
    focus_table,
    press,
    printed,
    record_notices,
    ticket,
)
from tests.ui.test_intake import fill_applicant, open_form, pick_procedure, stored

SIZE = (120, 36)
MakeApp = Callable[..., CounterApp]
DROPPED = "Mất kết nối khi đang gửi: máy in đã nhận 100/327 byte"


def doubtful(store: Any, group: str, *, from_cli: bool = False) -> tuple[int, int]:
    """A ticket whose slip was cut off mid-job (it may be on paper); queued by the CLI (no
    counter) when `from_cli`. Returns (ticket id, job id)."""
    issued = queue.issue(store, group)
    job = issued.print_job
    assert printjobs.claim(store, job) is not None
    assert printjobs.failed(store, job, DROPPED, transient=True,
                            maybe_printed=True) == printjobs.UNSURE
    if from_cli:
        with store.write():
            PrintJob.update(counter=None).where(PrintJob.id == job).execute()
    return issued.ticket.id, job


def state_of(app: CounterApp, job: int) -> str:
    return printjobs.status(app.store, job)[0]  # type: ignore[arg-type]


async def test_a_slip_that_may_have_printed_is_told_and_the_officer_decides(
        make_app: MakeApp) -> None:
    app = make_app()
    store = app.store
    a001, job1 = doubtful(store, "A", from_cli=True)  # the CLI was killed while printing
    a002, job2 = doubtful(store, "A")
    notices = record_notices(app)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, CounterScreen)
                         and app.screen.overview is not None)
        await settle(pilot)
        # both are listed (the CLI's too: same printer), with what became of them, and told
        assert column(app, "problems") == ["A002", "A001"]
        assert column(app, "problems", 1) == [f"cần kiểm tra: {DROPPED}"] * 2
        assert ("error", "2 phiếu in cần xử lý: chọn ở mục 'Lỗi in' (P).") in notices
        assert queue.get(store, a001).state == "printing"  # not counted as handed out

        await focus_table(pilot, "problems")
        await press(pilot, "enter")
        dialog = app.screen
        assert isinstance(dialog, PrintProblemScreen)
        assert "A002 có thể đã in" in str(dialog.query_one(".box-title", Static).render())
        assert "số thứ tự · cần kiểm tra" in str(dialog.query_one("#problem-what").render())
        keys = str(dialog.query_one("#problem-keys", Static).render())
        assert keys.startswith("D: phiếu đã ra đủ") and "H: hủy số" in keys
        await press(pilot, "d")  # the officer saw A002 come out whole
        assert isinstance(app.screen, CounterScreen)
        await wait_until(pilot, lambda: column(app, "problems") == ["A001"])
        assert state_of(app, job2) == printjobs.SENT
        assert queue.get(store, a002).state == "waiting"
        assert not Path(app.cfg.printer.target).exists()  # and it was not printed again

        await focus_table(pilot, "problems")
        await press(pilot, "enter")
        await press(pilot, "i")  # A001 did not come out: reprint it
        await printed(pilot, app, "A001")
        await wait_until(pilot, lambda: state_of(app, job1) == printjobs.SENT)
        assert queue.get(store, a001).state == "waiting"
        await wait_until(pilot, lambda: not column(app, "problems"))
        assert not any("A002" in line for line in printer_output(app).text)


async def test_a_slip_failed_elsewhere_is_told_once_on_this_counter(make_app: MakeApp) -> None:
    app = make_app()
    store = app.store
    notices = record_notices(app)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, CounterScreen)
                         and app.screen.overview is not None)
        await settle(pilot)
        doubtful(store, "B", from_cli=True)  # meanwhile, at another terminal of this printer
        app.screen.refresh_queue()
        await wait_until(pilot, lambda: column(app, "problems") == ["B001"])
        told = [text for sev, text in notices if "B001" in text]
        assert told == [f"Phiếu B001 (số thứ tự) cần kiểm tra: {DROPPED}. "
                        "Chọn phiếu ở mục 'Lỗi in' (P) để xử lý."]
        app.screen.refresh_queue()
        await settle(pilot)
        assert len([text for sev, text in notices if "B001" in text]) == 1
        assert ticket(app, "B001").state == "printing"


@pytest.fixture
def net_printer(tmp_path: Path) -> Iterator[NetworkPrinter]:
    forget_printers()
    with NetworkPrinter(tmp_path / "sim", port=0) as sim:
        yield sim
    forget_printers()


def sim_printed(sim: NetworkPrinter) -> list[str]:
    return [(sim.folder / j["text"]).read_text("utf-8")
            for j in sorted(sim.jobs(), key=lambda j: j["number"]) if j["outcome"] == "printed"]


async def test_a_saved_dossier_says_its_receipt_did_not_print_and_r_prints_it_now(
        make_app: MakeApp, net_printer: NetworkPrinter, monkeypatch: pytest.MonkeyPatch) -> None:
    # the automatic retries come long after this test: whatever prints, R printed it
    monkeypatch.setattr(printjobs, "BACKOFF_SECONDS", (600, 600, 600))
    app = make_app(printer={"kind": "network", "target": net_printer.target,
                            "connect_timeout": 0.5, "send_timeout": 1.0})
    notices = record_notices(app)
    net_printer.set_faults("offline")
    async with app.run_test(size=(140, 45)) as pilot:
        await open_form(pilot)
        await pick_procedure(pilot)
        await fill_applicant(pilot)
        await pilot.press("f10")
        await wait_until(pilot, lambda: isinstance(app.screen, CounterScreen))
        await settle(pilot)
        code = stored(app.store, "0912345678")[0].code
        # the officer is told at once, with what to do, before anything else is typed
        told = [text for sev, text in notices if sev == "error" and code in text]
        assert told == [f"Hồ sơ {code} đã lưu, nhưng: Biên nhận chưa in (Máy in đang ngoại "
                        "tuyến (offline)); phiếu tự in lại khi máy in hoạt động. Sửa máy in "
                        "(F11), hoặc nhấn R trong hồ sơ để in ngay. Mở hồ sơ bằng F5."]

        app.push_screen(DossierScreen(code))
        await wait_until(pilot, lambda: isinstance(app.screen, DossierScreen)
                         and app.screen.dossier is not None)
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, DossierScreen)
        line = screen.query_one("#dossier-receipt", Static)
        assert line.display and "Biên nhận chưa in" in str(line.render())
        prints = screen.query_one("#dossier-prints", DataTable)
        assert [str(c) for c in prints.get_row_at(0)[1:4:2]] == ["biên nhận hồ sơ",
                                                                  "chờ in lại"]

        net_printer.set_faults("clear")  # fixed: R sends that receipt now, not a second one
        await press(pilot, "r")
        await wait_until(pilot, lambda: sim_printed(net_printer), what="the receipt")
        assert code in sim_printed(net_printer)[0]
        await wait_until(pilot, lambda: not screen.query_one("#dossier-receipt").display,
                         what="the receipt line to go")
        jobs = dossiers.show(app.store, code).print_jobs
        assert [j.state for j in jobs] == ["sent"]
        assert len(sim_printed(net_printer)) == 1
