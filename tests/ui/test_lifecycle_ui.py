"""A dossier's whole life driven from the keyboard, as an officer would: the worklist (D) opens
it, F2 hands it over, F3 asks for supplements (Mẫu 02 printed), F4 takes them in (the due date
moves by the working time waited), F6 marks the result ready, F7 returns it with a rating. The
store and the printer output are checked at each step, not only the widgets."""

from __future__ import annotations

import datetime as dt
import io
import threading
from collections.abc import Callable
from typing import Any

import pytest
from rich.console import Console
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, RadioSet, SelectionList, Static

from counter_tui.core.intake import DocumentLine, DossierDraft
from counter_tui.db.models import Dossier, DossierEvent
from counter_tui.services import dossiers, intake, lifecycle
from counter_tui.services.store import Store
from counter_tui.ui.app import CounterApp
from counter_tui.ui.screens.counter import CounterScreen
from counter_tui.ui.screens.dossier import DossierScreen
from counter_tui.ui.screens.lifecycle import MoreSteps, StepForm
from counter_tui.ui.screens.worklists import WorklistScreen
from tests.ui.conftest import key_event, printer_output, settle, wait_until

SIZE = (140, 45)
PAPER = 15.0  # a slip on paper: generous, the suite runs two workers on two cores
NAME = "Nguyễn Văn Bình"
CCCD = "001090012345"
UNIT = "Công chức Tư pháp - Hộ tịch"
MakeApp = Callable[..., CounterApp]


def receive(store: Store, procedure: str = "HT-KS") -> str:
    draft = DossierDraft(procedure_code=procedure, applicant_name=NAME, id_number=CCCD,
                         phone="0912345678",
                         documents=[DocumentLine("Tờ khai đăng ký khai sinh", 1, 0)])
    return intake.receive(store, draft).dossier.code


def stored(store: Store, code: str) -> Dossier:
    with store.read():
        return Dossier.get(Dossier.code == code)


def printed(app: CounterApp) -> str:
    return " ".join(printer_output(app).text)


def text_of(widget: Static) -> str:
    """What a Static shows, as plain text (it may hold a Rich table)."""
    console = Console(width=SIZE[0], file=io.StringIO(), record=True)
    console.print(widget.content)
    return console.export_text()


async def type_into(pilot: Pilot[Any], field: str, text: str) -> None:
    """Focus a field of the open form and type, key by key."""
    form = pilot.app.screen
    assert isinstance(form, StepForm), type(form)
    widget = form.query_one(f"#f-{field}", Input)
    widget.focus()
    await pilot.pause()
    await pilot.press(*text)
    assert widget.value.endswith(text)


async def open_form(pilot: Pilot[Any], key: str) -> StepForm:
    await pilot.press(key)
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, StepForm), what=f"{key} form")
    await settle(pilot)
    form = pilot.app.screen
    assert isinstance(form, StepForm)
    return form


async def saved(pilot: Pilot[Any], screen: DossierScreen, status: int) -> None:
    await wait_until(pilot, lambda: pilot.app.screen is screen and screen.dossier is not None
                     and screen.dossier.status == status, what=f"status {status} on screen")
    await settle(pilot)


def footer_keys(screen: DossierScreen) -> set[str]:
    return {b.binding.action for b in screen.active_bindings.values()
            if b.enabled and b.binding.show and b.binding.action.startswith("lc_")}


async def test_a_whole_life_from_the_keyboard(make_app: MakeApp) -> None:
    # The store's clock jumps days between two keys: to the app that is an officer away for
    # days, and its idle lock (a 10 s timer) would lock the screen if it looked between the
    # jump and the next key. The lock has its own tests (test_signin); here it stays off.
    app = make_app(security={"idle_lock_minutes": 0})
    store: Store = app.store  # type: ignore[assignment]
    code = receive(store)  # same day: due 17:00 today, so it is on "due today"
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, CounterScreen)
                         and app.screen.overview is not None)
        await pilot.press("d")
        await wait_until(pilot, lambda: isinstance(app.screen, WorklistScreen)
                         and app.screen.result is not None, what="the worklists")
        worklist = app.screen
        assert isinstance(worklist, WorklistScreen)
        table = worklist.query_one("#wl-table", DataTable)
        assert table.row_count == 1 and str(table.get_row_at(0)[0]) == code
        await wait_until(pilot, lambda: worklist.counts.get("due_today") == 1)
        assert "1 Đến hạn hôm nay (1)" in text_of(worklist.query_one("#wl-tabs", Static))
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, DossierScreen)
                         and app.screen.dossier is not None, what="the dossier")
        screen = app.screen
        assert isinstance(screen, DossierScreen)
        await settle(pilot)
        assert footer_keys(screen) == {"lc_handover", "lc_supplements", "lc_ready",
                                       "lc_apology", "lc_more"}

        # F2: hand over to the unit (Mẫu 05 step): nobody named as receiver is refused
        form = await open_form(pilot, "f2")
        assert form.query_one("#f-given_by", Input).value == "Nguyễn Thị Lan"  # the officer
        await type_into(pilot, "to_unit", UNIT)
        await pilot.press("enter")
        await wait_until(pilot, lambda: form.query_one("#m-received_by").has_class("-error"))
        # the same words as the command line's refusal (the one validator in core)
        assert text_of(form.query_one("#m-received_by", Static)).strip() == (
            "Cần nhập họ tên người nhận")
        assert app.screen is form and form.focused is form.query_one("#f-received_by")
        assert stored(store, code).status == 2
        await type_into(pilot, "received_by", "Lê Văn Hùng")
        await pilot.press("enter")
        await saved(pilot, screen, 4)
        assert stored(store, code).holder == UNIT
        assert UNIT in text_of(screen.query_one("#dossier-facts", Static))
        # the control sheet prints at once, with room for both signatures
        await wait_until(pilot, lambda: "PHIẾU KIỂM SOÁT" in printed(app), timeout=PAPER)
        assert "Người nhận hồ sơ (ký, ghi rõ họ tên)" in printed(app)

        # F3: supplements, one document from the checklist and one typed; Mẫu 02 printed
        form = await open_form(pilot, "f3")
        checklist = form.query_one("#f-missing", SelectionList)
        assert form.focused is checklist
        await pilot.press("space")  # the first document of the procedure's checklist
        await wait_until(pilot, lambda: len(checklist.selected) == 1)
        await type_into(pilot, "other", "Ban sao CCCD cua me")
        await type_into(pilot, "deadline", "14/05/2026")
        await pilot.press("enter")  # the reason is missing: said under its field
        await wait_until(pilot, lambda: form.query_one("#m-reason").has_class("-error"))
        assert "Cần nhập lý do" in text_of(form.query_one("#m-reason", Static))
        assert app.screen is form and form.focused is form.query_one("#f-reason")
        await type_into(pilot, "reason", "Thieu giay to")
        await pilot.press("enter")
        await saved(pilot, screen, 5)
        d = stored(store, code)
        assert d.paused_at == dt.datetime(2026, 5, 12, 9, 0)
        assert d.supplement_deadline == dt.datetime(2026, 5, 14, 17, 0)
        await wait_until(pilot, lambda: "PHIẾU YÊU CẦU BỔ SUNG" in printed(app),
                         what="Mẫu 02 on paper", timeout=PAPER)
        text = printed(app)
        assert "Tờ khai đăng ký khai sinh" in text and "Ban sao CCCD cua me" in text
        assert "14/05/2026" in text
        assert footer_keys(screen) == {"lc_supplied", "lc_apology", "lc_more"}

        # two working days later, F4: the supplements are in, the due date moves by 16 h
        store.clock.now = dt.datetime(2026, 5, 14, 9, 0)  # type: ignore[attr-defined]
        # the documents asked for are a checklist: the first is ticked, nothing typed
        form = await open_form(pilot, "f4")
        received = form.query_one("#f-received", SelectionList)
        assert [str(received.get_option_at_index(i).prompt) for i in
                range(received.option_count)] == ["Tờ khai đăng ký khai sinh",
                                                  "Ban sao CCCD cua me"]
        assert form.focused is received
        await pilot.press("space")
        await wait_until(pilot, lambda: len(received.selected) == 1)
        await pilot.press("ctrl+s")
        await saved(pilot, screen, 4)
        with store.read():
            last = (DossierEvent.select().where(DossierEvent.action == "supplements_received")
                    .first())
        assert '"documents": ["Tờ khai đăng ký khai sinh"]' in last.data
        assert '"outstanding": ["Ban sao CCCD cua me"]' in last.data
        d = stored(store, code)
        assert (d.due_at, d.original_due_at, d.paused_at) == (
            dt.datetime(2026, 5, 14, 17, 0), dt.datetime(2026, 5, 12, 17, 0), None)
        await wait_until(pilot, lambda: "GIẤY TIẾP NHẬN HỒ SƠ BỔ SUNG" in printed(app),
                         timeout=PAPER)
        assert "HẸN TRẢ KẾT QUẢ 17:00 14/05/2026" in printed(app)
        facts = text_of(screen.query_one("#dossier-facts", Static))
        assert "17:00 14/05/2026" in facts and "17:00 12/05/2026" in facts  # new and original

        # F6: the result is back from the unit
        store.clock.now = dt.datetime(2026, 5, 14, 15, 0)  # type: ignore[attr-defined]
        form = await open_form(pilot, "f6")
        await pilot.press("enter")  # who brings it back is required
        await wait_until(pilot, lambda: form.query_one("#m-given_by").has_class("-error"))
        assert app.screen is form
        await type_into(pilot, "given_by", "Le Van Hung")
        await pilot.press("enter")
        await saved(pilot, screen, 9)
        await wait_until(pilot, lambda: "THÔNG BÁO ĐÃ CÓ KẾT QUẢ" in printed(app), timeout=PAPER)
        assert stored(store, code).resolved_at == dt.datetime(2026, 5, 14, 15, 0)
        assert footer_keys(screen) == {"lc_return", "lc_more"}

        # F7: returned at the counter, ID checked (never shown), rated 5 of 5
        form = await open_form(pilot, "f7")
        assert form.query_one("#f-collected_by", Input).value == NAME
        id_input = form.query_one("#f-id_number", Input)
        assert id_input.password
        await type_into(pilot, "id_number", CCCD)
        rating = form.query_one("#f-rating", RadioSet)
        rating.focus()
        await pilot.pause()
        await pilot.press("enter")  # the first choice: 5 Rất hài lòng
        await wait_until(pilot, lambda: rating.pressed_button is not None)
        await pilot.press("ctrl+s")
        await saved(pilot, screen, 10)
        await wait_until(pilot, lambda: "PHIẾU TRẢ KẾT QUẢ" in printed(app), timeout=PAPER)
        facts = text_of(screen.query_one("#dossier-facts", Static))
        assert f"{NAME} (0010******45)" in facts and CCCD not in facts
        assert "Đúng hạn" in facts
        assert footer_keys(screen) == {"lc_more"}

    d = stored(store, code)
    assert (d.status, d.rating, d.collected_by, d.collected_id) == (10, 5, NAME, CCCD)
    assert d.returned_at == dt.datetime(2026, 5, 14, 15, 0)
    with store.read():
        events = [(e.action, e.from_status, e.to_status, e.officer, e.counter) for e in
                  DossierEvent.select().where(DossierEvent.dossier == d.id)
                  .order_by(DossierEvent.id)]
    assert events == [
        ("receive", None, 2, "canbo1", 1), ("handover", 2, 4, "canbo1", 1),
        ("request_supplements", 4, 5, "canbo1", 1), ("supplements_received", 5, 4, "canbo1", 1),
        ("result_ready", 4, 9, "canbo1", 1), ("return_result", 9, 10, "canbo1", 1)]
    out = printer_output(app)
    text = " ".join(out.text)
    assert "Rất hài lòng" in text and "0010******45" in text and CCCD not in text
    # the receipt, Mẫu 05 at the hand-over, Mẫu 02, the supplements' receipt, the
    # result-ready notice and the result hand-over
    assert out.qr_payloads.count(code) == 6
    assert out.cuts == 6
    assert lifecycle.state(store, code).ontime == "on_time"


async def test_a_key_typed_while_a_step_saves_waits_for_the_new_status(
        make_app: MakeApp, monkeypatch: pytest.MonkeyPatch) -> None:
    """F6 typed with the Ctrl+S that takes the supplements in: until the dossier is shown
    processing again, F6 is not one of its keys (it is waiting for supplements). The key waits
    for the reload and opens its form; it does not vanish. The reload is held back until the
    key queue has either let F6 go (and lost it) or kept it waiting, so the test does not
    depend on how fast the store answers."""
    app = make_app()
    store: Store = app.store  # type: ignore[assignment]
    code = receive(store)
    lifecycle.handover(store, code, to_unit=UNIT, received_by="Lê Văn Hùng")
    lifecycle.request_supplements(store, code, missing=["Bản sao CCCD"], reason="Thiếu",
                                  deadline="14/05/2026")
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, CounterScreen))
        app.push_screen(DossierScreen(code))
        await wait_until(pilot, lambda: isinstance(app.screen, DossierScreen)
                         and app.screen.dossier is not None)
        screen = app.screen
        assert isinstance(screen, DossierScreen)
        await settle(pilot)
        assert "lc_ready" not in footer_keys(screen)
        form = await open_form(pilot, "f4")

        gate = threading.Event()
        show = dossiers.show

        def held_back(store: Store, code: str) -> Any:
            gate.wait(30)
            return show(store, code)

        monkeypatch.setattr(dossiers, "show", held_back)
        for key in ("space", "ctrl+s", "f6"):  # one burst, as a macro sends it
            event = key_event(key)
            event.set_sender(app)
            app.post_message(event)
        await wait_until(pilot, lambda: app.screen is screen and stored(store, code).status == 4
                         and (app.keys.idle or app.keys.held), what="the step stored")
        gate.set()
        await wait_until(pilot, lambda: isinstance(app.screen, StepForm)
                         and app.screen is not form, what="the F6 form")
        await settle(pilot)
        assert screen.dossier is not None and screen.dossier.status == 4
        assert app.screen.query_one("#f-given_by", Input).value == ""


async def test_more_steps_refuse_and_the_footer(make_app: MakeApp) -> None:
    app = make_app()
    store: Store = app.store  # type: ignore[assignment]
    code = receive(store)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, CounterScreen))
        app.push_screen(DossierScreen(code))
        await wait_until(pilot, lambda: isinstance(app.screen, DossierScreen)
                         and app.screen.dossier is not None)
        screen = app.screen
        assert isinstance(screen, DossierScreen)
        await pilot.press("f9")
        await wait_until(pilot, lambda: isinstance(app.screen, MoreSteps))
        more = app.screen
        assert isinstance(more, MoreSteps)
        assert more.steps == ["refuse", "withdraw", "stop", "control"]
        await pilot.press("enter")  # refuse
        form = await open_form_now(pilot)
        await type_into(pilot, "reason", "Khong thuoc tham quyen")
        await pilot.press("enter")
        await saved(pilot, screen, 3)
        await wait_until(pilot, lambda: "PHIẾU TỪ CHỐI" in printed(app), timeout=PAPER)
        assert "Khong thuoc tham quyen" in printed(app)
        assert footer_keys(screen) == {"lc_more"}
        assert form not in app.screen_stack
        facts = text_of(screen.query_one("#dossier-facts", Static))
        assert "Kết thúc lúc" in facts and "Có kết quả lúc" not in facts

        # a finished dossier: F9 offers only the control sheet (Mẫu 05), printed at once
        await pilot.press("f9")
        await wait_until(pilot, lambda: isinstance(app.screen, MoreSteps))
        assert app.screen.steps == ["control"]  # type: ignore[attr-defined]
        await pilot.press("enter")
        await wait_until(pilot, lambda: "PHIẾU KIỂM SOÁT" in printed(app), timeout=PAPER)
    assert stored(store, code).status == 3


async def open_form_now(pilot: Pilot[Any]) -> StepForm:
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, StepForm))
    await settle(pilot)
    form = pilot.app.screen
    assert isinstance(form, StepForm)
    return form


async def test_a_step_refused_by_another_terminal_keeps_the_form(make_app: MakeApp) -> None:
    app = make_app()
    store: Store = app.store  # type: ignore[assignment]
    code = receive(store)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, CounterScreen))
        app.push_screen(DossierScreen(code))
        await wait_until(pilot, lambda: isinstance(app.screen, DossierScreen)
                         and app.screen.dossier is not None)
        screen = app.screen
        form = await open_form(pilot, "f2")
        await type_into(pilot, "to_unit", "Phong Tu phap")
        await type_into(pilot, "received_by", "Le Van Hung")
        lifecycle.refuse(store.as_terminal(2, "canbo2"), code, reason="Khong du dieu kien")
        await pilot.press("enter")
        await wait_until(pilot, lambda: form.query_one("#m-form").has_class("-error")
                         or form.query_one("#m-to_unit").has_class("-error"))
        assert app.screen is form
        assert form.query_one("#f-to_unit", Input).value == "Phong Tu phap"
        message = " ".join(text_of(w) for w in form.query(".field-msg.-error").results(Static))
        assert "Từ chối tiếp nhận" in message
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is screen)
