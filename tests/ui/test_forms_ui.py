"""The legal forms from the screens: A on a dossier asks which of its forms, "1" sends Mẫu 01
to the office printer (a folder here) through the print queue, and the technician screen shows
that job's first page as text and saves its PNG; forms the dossier's steps cannot fill are not
offered."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from textual.widgets import Static

from counter_tui.core.intake import DocumentLine, DossierDraft
from counter_tui.db.models import PrintJob
from counter_tui.services import intake, lifecycle
from counter_tui.services.store import Store
from counter_tui.ui.app import CounterApp
from counter_tui.ui.screens.counter import CounterScreen
from counter_tui.ui.screens.dossier import DossierScreen
from counter_tui.ui.screens.form_choice import FormChoiceScreen
from counter_tui.ui.screens.technician import TechnicianScreen
from tests.ui.conftest import wait_until

SIZE = (140, 45)
NAME = "Đặng Thị Ngọc Ánh"


def receive(store: Store) -> str:
    draft = DossierDraft(procedure_code="HT-KS", applicant_name=NAME, id_number="001090012345",
                         phone="0912345678",
                         documents=[DocumentLine("Tờ khai đăng ký khai sinh", 1, 0)])
    return intake.receive(store, draft).dossier.code


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils is not installed")
async def test_a_prints_mau01_and_the_technician_previews_it(
        make_app: Callable[..., CounterApp], tmp_path: Path) -> None:
    folder = tmp_path / "forms"
    app = make_app(forms={"output": "folder", "target": str(folder)})
    store: Store = app.store  # type: ignore[assignment]
    code = receive(store)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, CounterScreen))
        app.push_screen(DossierScreen(code))
        await wait_until(pilot, lambda: isinstance(app.screen, DossierScreen)
                         and app.screen.dossier is not None)
        await pilot.press("a", "1")  # in one burst, as a fast officer types them
        await wait_until(pilot, lambda: len(list(folder.glob("*.pdf"))) == 1, timeout=20,
                         what="Mẫu 01 in the forms folder")
        with store.read():
            job = PrintJob.select().where(PrintJob.kind == "form01").get()
            assert job.state == "sent"
        app.push_screen(TechnicianScreen())
        await wait_until(pilot, lambda: isinstance(app.screen, TechnicianScreen))
        tech = app.screen
        assert isinstance(tech, TechnicianScreen)
        await wait_until(pilot, lambda: tech.shown_job is not None)
        tech.show_decoded(job.id)
        await wait_until(pilot, lambda: "GIẤY TIẾP NHẬN HỒ SƠ" in (tech.decoded_text or ""),
                         timeout=20, what="the form's first page as text")
        assert NAME in tech.decoded_text
        tech.shown_job = job.id
        await pilot.press("v")
        png = Path(app.cfg.path.parent if app.cfg.path else Path.cwd()) / "data" / "previews"
        await wait_until(pilot, lambda: (png / f"job-{job.id}.png").is_file(), timeout=20,
                         what="the PNG")
        await wait_until(pilot, lambda: f"job-{job.id}.png" in str(
            tech.query_one("#tech-png", Static).content), what="the PNG's path shown")


async def test_a_offers_only_the_forms_the_dossier_can_fill(
        make_app: Callable[..., CounterApp], tmp_path: Path) -> None:
    folder = tmp_path / "forms"
    app = make_app(forms={"output": "folder", "target": str(folder)})
    store: Store = app.store  # type: ignore[assignment]
    code = receive(store)
    lifecycle.handover(store, code, to_unit="Phòng Tư pháp", received_by="Lê Văn Tài")
    lifecycle.request_supplements(store, code, missing=["Tờ khai"], reason="Thiếu chữ ký",
                                  deadline="31/12/2030")
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, CounterScreen))
        app.push_screen(DossierScreen(code))
        await wait_until(pilot, lambda: isinstance(app.screen, DossierScreen)
                         and app.screen.dossier is not None)
        await pilot.press("a")
        await wait_until(pilot, lambda: isinstance(app.screen, FormChoiceScreen))
        choice = app.screen
        assert isinstance(choice, FormChoiceScreen)
        assert [f.value for f in choice.forms] == ["01", "02", "05"]
        await pilot.press("3")  # no refusal: Mẫu 03 is not offered and nothing happens
        await pilot.pause()
        assert app.screen is choice
        await pilot.press("2")
        await wait_until(pilot, lambda: len(list(folder.glob("*.pdf"))) == 1, timeout=20,
                         what="Mẫu 02 in the forms folder")
        with store.read():
            assert [j.kind for j in PrintJob.select().where(PrintJob.kind.startswith("form"))] \
                == ["form02"]
