"""Digitising from the keyboard, on SANE's simulated scanner: S on a dossier opens the scanning
dialog on its first document, Enter scans a sheet (twice: two pages), the preview says so, F10
keeps them and moves on to the next document, which is scanned and kept the same way; the
dossier screen then lists both, and the store holds both PDFs. F9 on the intake form saves and
opens the same dialog. The technician's scanner screen scans a test page.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from typing import Any

import pytest
from textual.widgets import DataTable, OptionList, Static

from counter_tui.core.intake import DocumentLine, DossierDraft
from counter_tui.db.models import Dossier, DossierFile
from counter_tui.services import intake
from counter_tui.ui.app import CounterApp
from counter_tui.ui.screens.dossier import DossierScreen
from counter_tui.ui.screens.scan import ScanDialog
from counter_tui.ui.screens.scanner import ScannerScreen
from tests.ui.conftest import settle, wait_until

pytestmark = pytest.mark.skipif(shutil.which("scanimage") is None and not os.environ.get("CI"),
                                reason="scanimage (sane-utils) is not installed")

SIZE = (140, 45)
FORM, BIRTH = "Tờ khai đăng ký khai sinh", "Giấy chứng sinh"
SCANNER = {"device": "test", "resolution": 100, "width_mm": 100, "height_mm": 140,
           "options": ["--test-picture", "Grid"], "timeout_seconds": 5}
MakeApp = Callable[..., CounterApp]


def receive(app: CounterApp) -> str:
    draft = DossierDraft(procedure_code="HT-KS", applicant_name="Nguyễn Văn Bình",
                         phone="0912345678", documents=[DocumentLine(FORM, 1, 0),
                                                        DocumentLine(BIRTH, 1, 0)])
    return intake.receive(app.store, draft).dossier.code


def files(app: CounterApp, code: str) -> list[tuple[str, int]]:
    with app.store.read():
        return [(f.document, f.pages) for f in DossierFile.select().join(Dossier)
                .where(Dossier.code == code).order_by(DossierFile.id)]


def preview(pilot: Any) -> str:
    return str(pilot.app.screen.query_one("#scan-preview", Static).content)


async def scan_and_keep(pilot: Any, sheets: int) -> None:
    for n in range(1, sheets + 1):
        await pilot.press("enter")
        await wait_until(pilot, lambda n=n: f"· {n} trang ·" in preview(pilot), timeout=20,
                         what=f"sheet {n}")
    await pilot.press("f10")
    await wait_until(pilot, lambda: "Chưa có trang nào chờ lưu" in preview(pilot), timeout=20,
                     what="kept")
    await settle(pilot)


async def test_s_on_a_dossier_scans_its_documents_one_after_the_other(
        make_app: MakeApp) -> None:
    app = make_app(scanner=SCANNER)
    async with app.run_test(size=SIZE) as pilot:
        code = receive(app)
        screen = DossierScreen(code)
        app.push_screen(screen)
        await wait_until(pilot, lambda: screen.dossier is not None, what="dossier")
        await pilot.press("s")
        await wait_until(pilot, lambda: isinstance(app.screen, ScanDialog), what="dialog")
        await settle(pilot)
        box = app.screen.query_one("#scan-documents", OptionList)
        assert box.highlighted == 0 and FORM in str(box.get_option_at_index(0).prompt)
        await scan_and_keep(pilot, 2)
        assert files(app, code) == [(FORM, 2)]
        assert box.highlighted == 1  # on to the next document
        await scan_and_keep(pilot, 1)
        assert files(app, code) == [(FORM, 2), (BIRTH, 1)]
        assert "đã số hóa 1 trang" in str(box.get_option_at_index(1).prompt)
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is screen, what="back")
        await settle(pilot)
        table = screen.query_one("#dossier-files", DataTable)
        rows = [table.get_row_at(i) for i in range(table.row_count)]
        assert [(r[0], r[2]) for r in rows] == [(FORM, 2), (BIRTH, 1)]
        assert all(r[4] == "canbo1" for r in rows)

        from counter_tui.ui.screens.supervisor import SupervisorScreen

        app.push_screen(SupervisorScreen())  # the day's ratio: the one dossier, digitised
        await wait_until(pilot, lambda: isinstance(app.screen, SupervisorScreen), what="board")

        def ratio() -> str:
            found = app.screen.query("#sup-digitised")
            return str(found.first(Static).content) if found else ""

        await wait_until(pilot, lambda: "100% (1/1)" in ratio(), what="ratio")


async def test_a_scanner_that_fails_says_what_to_do_and_keeps_nothing(
        make_app: MakeApp) -> None:
    app = make_app(scanner={**SCANNER, "device": "test:absent"})
    async with app.run_test(size=SIZE) as pilot:
        code = receive(app)
        app.push_screen(ScanDialog(code))
        await wait_until(pilot, lambda: isinstance(app.screen, ScanDialog), what="dialog")
        await settle(pilot)
        await pilot.press("enter")
        await wait_until(pilot, lambda: any("Không tìm thấy máy quét" in str(n.message)
                                            for n in app._notifications), timeout=20,
                         what="notice")
        assert files(app, code) == []


async def test_the_technicians_scanner_screen_scans_a_test_page(make_app: MakeApp) -> None:
    app = make_app(scanner=SCANNER)
    async with app.run_test(size=SIZE) as pilot:
        from tests.conftest import sign_in_as

        sign_in_as(app.store, "kythuat", roles=("technician",))
        app.push_screen(ScannerScreen())
        await wait_until(pilot, lambda: isinstance(app.screen, ScannerScreen), what="screen")
        await settle(pilot)
        await pilot.press("t")
        line = app.screen.query_one("#scanner-test", Static)
        await wait_until(pilot, lambda: "Quét thử được trên test" in str(line.content),
                         timeout=20, what="test page")


async def test_f9_on_the_intake_form_saves_then_scans_the_documents_received(
        make_app: MakeApp) -> None:
    from counter_tui.ui.screens.counter import CounterScreen
    from tests.ui.test_intake import fill_applicant, open_form, pick_procedure

    app = make_app(scanner=SCANNER)
    async with app.run_test(size=SIZE) as pilot:
        await open_form(pilot)
        await pick_procedure(pilot)
        await fill_applicant(pilot)
        await pilot.press("f9")
        await wait_until(pilot, lambda: isinstance(app.screen, ScanDialog), timeout=15,
                         what="the scanning dialog, once saved")
        await settle(pilot)
        code = app.screen.code
        with app.store.read():
            assert Dossier.get(Dossier.code == code).status == 2  # saved first
        await scan_and_keep(pilot, 1)
        await scan_and_keep(pilot, 1)
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, CounterScreen), what="counter")
    assert files(app, code) == [("Tờ khai đăng ký khai sinh", 1),
                                ("Giấy chứng sinh (bản chính)", 1)]
