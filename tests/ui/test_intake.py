"""The intake screen (F4) driven by the keyboard, as an officer would: what is stored and printed,
what is shown next to each field, and that nothing typed is lost when saving fails."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from textual import events
from textual.pilot import Pilot
from textual.widgets import Checkbox, Input, RadioSet, Static

from counter_tui.core.errors import UserError
from counter_tui.core.views import DossierView
from counter_tui.services import dossiers, lookup, queue
from counter_tui.services import intake as intake_service
from counter_tui.ui.app import CounterApp
from counter_tui.ui.screens.counter import CounterScreen
from counter_tui.ui.screens.intake import ConfirmDiscard, IntakeScreen
from tests.tickets import hand_out
from tests.ui.conftest import printer_output, settle, wait_until

SIZE = (140, 45)
NAME = "Nguyễn Văn Bình"
CCCD = "001090012345"
PHONE = "0912 345 678"
MakeApp = Callable[..., CounterApp]


# --- helpers ---------------------------------------------------------------------------------


def recorded(app: CounterApp) -> list[str]:
    """Every notification the app shows from now on."""
    notes: list[str] = []
    notify = app.notify

    def recording(message: str, *args: Any, **kwargs: Any) -> None:
        notes.append(str(message))
        notify(message, *args, **kwargs)

    app.notify = recording  # type: ignore[method-assign]
    return notes


async def type_text(pilot: Pilot[Any], text: str, *, typing: bool = True) -> None:
    """Key by key, or (faster, for tests not about typing) as one paste into the focused
    field, as a terminal delivers pasted text."""
    if typing:
        await pilot.press(*text)
        return
    focused = pilot.app.screen.focused
    assert focused is not None
    focused.post_message(events.Paste(text))
    await pilot.pause()


def form(pilot: Pilot[Any]) -> IntakeScreen:
    screen = pilot.app.screen
    assert isinstance(screen, IntakeScreen), type(screen)
    return screen


def value(pilot: Pilot[Any], name: str) -> str:
    return form(pilot).query_one(f"#f-{name}", Input).value


def message(pilot: Pilot[Any], name: str) -> str:
    widget = form(pilot).query_one(f"#m-{name}", Static)
    return str(widget.render()) if widget.has_class("-error") else ""


async def open_form(pilot: Pilot[Any]) -> IntakeScreen:
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, CounterScreen)
                   and pilot.app.screen.overview is not None)
    await pilot.press("f4")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, IntakeScreen))
    screen = form(pilot)
    assert screen.focused is screen.query_one("#f-procedure")
    return screen


async def pick_procedure(pilot: Pilot[Any], typed: str = "dang ky khai sinh", *,
                         typing: bool = False) -> None:
    """Type a name without diacritics, wait for the matches, take the first with Enter."""
    screen = form(pilot)
    await type_text(pilot, typed, typing=typing)
    await wait_until(pilot, lambda: bool(screen.matches) and screen._searched == typed)
    await pilot.press("enter")
    await wait_until(pilot, lambda: screen.procedure is not None and bool(screen.documents))
    await settle(pilot)


async def fill(pilot: Pilot[Any], name: str, text: str) -> None:
    """Focus a field as Tab would, and paste into it (replacing what was selected)."""
    widget = form(pilot).query_one(f"#f-{name}")
    widget.focus()
    await pilot.pause()
    if isinstance(widget, Input):
        widget.value = ""
    await type_text(pilot, text, typing=False)


async def fill_applicant(pilot: Pilot[Any], *, name: str = NAME, cccd: str = CCCD,
                         phone: str = PHONE, address: str = "Thôn 3, xã Minh Hòa",
                         typing: bool = False) -> None:
    """From the name, Enter from field to field."""
    screen = form(pilot)
    if screen.focused is screen.query_one("#f-channel") and screen.channel == "walk_in":
        await pilot.press("tab")  # walk-in: the next field after the channel is the name
    else:
        screen.query_one("#f-applicant_name").focus()
        await pilot.pause()
    assert screen.focused is screen.query_one("#f-applicant_name")
    for text in (name, cccd, phone, address):
        await type_text(pilot, text, typing=typing)
        await pilot.press("enter")


def stored(store: Any, text: str) -> list[Any]:
    return list(lookup.find(store, text).items)


# --- tests -----------------------------------------------------------------------------------


async def test_walk_in_dossier_for_the_ticket_being_served(make_app: MakeApp) -> None:
    app = make_app()
    store, notes = app.store, recorded(app)
    ticket = hand_out(store, "A")
    queue.call_next(store)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, CounterScreen)
                       and app.screen.overview is not None
                       and app.screen.overview.current is not None)
        screen = await open_form(pilot)
        assert ticket.code in str(screen.query_one("#intake-title", Static).render())

        await pick_procedure(pilot, typing=True)
        assert screen.procedure is not None and screen.procedure.code == "HT-KS"
        info = str(screen.query_one("#procedure-info", Static).render())
        assert "Đăng ký khai sinh" in info and "17:00 12/05/2026" in info
        assert [d.doc_name for d in screen.documents] == [
            "Tờ khai đăng ký khai sinh", "Giấy chứng sinh (bản chính)",
            "Văn bản ủy quyền (nếu nộp thay)"]
        assert screen.focused is screen.query_one("#f-applicant_name")  # the name is next

        await fill_applicant(pilot, typing=True)
        assert value(pilot, "applicant_name") == NAME
        cccd_info = str(screen.query_one("#m-id_number", Static).render())
        assert "1990" in cccd_info and "Hà Nội" in cccd_info
        # the authorisation letter is needed only when someone submits on the applicant's
        # behalf: it starts unticked, the others with one original
        assert [(x.originals.value, x.copies.value) for x in screen.documents] == [
            ("1", "0"), ("1", "0"), ("0", "0")]
        await pilot.press("f10")
        await wait_until(pilot, lambda: isinstance(app.screen, CounterScreen))
        await settle(pilot)

    found = stored(store, "0912345678")
    assert len(found) == 1
    d: DossierView = dossiers.show(store, found[0].code)
    assert d.applicant_name == NAME and d.phone == "0912345678"
    assert d.channel == "walk_in" and d.procedure_code == "HT-KS" and d.status == 2
    assert d.ticket_id == ticket.id
    assert [(x.name, x.originals, x.copies) for x in d.documents] == [
        ("Tờ khai đăng ký khai sinh", 1, 0), ("Giấy chứng sinh (bản chính)", 1, 0)]
    assert any(f"Đã tiếp nhận hồ sơ {d.code}, hẹn trả 17:00 12/05/2026" in n for n in notes)
    # the receipt left for the printer as soon as the dossier was stored
    assert [j.state for j in d.print_jobs] == ["sent"]
    paper = printer_output(app)
    assert any(d.code in line for line in paper.text)
    assert d.code in paper.qr_payloads


async def test_bad_input_is_marked_next_to_its_field_and_nothing_is_stored(
        make_app: MakeApp) -> None:
    app = make_app()
    store, notes = app.store, recorded(app)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_form(pilot)
        await pick_procedure(pilot)
        await fill_applicant(pilot, cccd="0010900123", phone="12345")
        # leaving a field shows its problem at once
        assert "12 chữ số" in message(pilot, "id_number")
        assert "(có 5 chữ số)" in message(pilot, "phone")
        for item in screen.documents:
            item.originals.value = "0"
            item.copies.value = ""
        await pilot.press("f10")
        await settle(pilot)

        assert isinstance(app.screen, IntakeScreen)
        assert message(pilot, "id_number") and message(pilot, "phone")
        assert "Chưa đánh dấu giấy tờ nào" in message(pilot, "documents")
        assert any("Hồ sơ chưa lưu, còn 3 chỗ cần sửa" in n for n in notes)
        # focus goes to the first field to fix, in the order of the form
        assert screen.focused is screen.query_one("#f-id_number")
        # and every value typed is still there
        assert value(pilot, "applicant_name") == NAME
        assert value(pilot, "id_number") == "0010900123"
        assert value(pilot, "phone") == "12345"
        assert value(pilot, "address") == "Thôn 3, xã Minh Hòa"
        assert screen.procedure is not None and screen.procedure.code == "HT-KS"

        # fixing a field clears its message as soon as it is right
        await fill(pilot, "phone", "0912345678")
        assert message(pilot, "phone") == ""
    assert stored(store, "nguyen van binh") == []


async def test_missing_applicant_fields_are_listed_on_save(make_app: MakeApp) -> None:
    app = make_app()
    store = app.store
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_form(pilot)
        await pick_procedure(pilot)
        await pilot.press("tab", "tab", "tab")  # passing through empty fields: no reproach
        assert message(pilot, "applicant_name") == "" and message(pilot, "id_number") == ""
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "Chưa nhập họ tên" in message(pilot, "applicant_name")
        assert "Chưa nhập số điện thoại" in message(pilot, "phone")
        assert screen.focused is screen.query_one("#f-applicant_name")
    assert stored(store, "0912345678") == []


@pytest.mark.parametrize("failure", ["unexpected", "refused"])
async def test_a_failed_save_keeps_every_value(make_app: MakeApp, monkeypatch: pytest.MonkeyPatch,
                                               failure: str) -> None:
    def broken(*args: Any, **kwargs: Any) -> Any:
        if failure == "refused":
            raise UserError("store.unavailable", url="sqlite:///x", reason="disk I/O error")
        raise RuntimeError("the disk went away")

    app = make_app()
    store, notes = app.store, recorded(app)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_form(pilot)
        await pick_procedure(pilot)
        await fill_applicant(pilot)
        await fill(pilot, "email", "binh@example.VN")
        await fill(pilot, "note", "Nộp kèm ảnh")
        screen.documents[0].copies.value = "2"
        before = screen.draft()

        monkeypatch.setattr(intake_service, "receive", broken)
        await pilot.press("f10")
        await settle(pilot)
        assert isinstance(app.screen, IntakeScreen)
        assert notes and ("disk I/O error" in notes[-1] if failure == "refused"
                          else "lỗi không mong muốn" in notes[-1])
        assert screen.draft() == before
        assert screen.documents[0].copies.value == "2"

        # the form is not left locked: once the store is back, the same form saves
        monkeypatch.undo()
        await pilot.press("f10")
        await wait_until(pilot, lambda: isinstance(app.screen, CounterScreen))
    [found] = stored(store, "0912345678")
    d = dossiers.show(store, found.code)
    assert d.email == "binh@example.vn" and d.note == "Nộp kèm ảnh"
    assert d.documents[0].copies == 2


async def test_post_channel_with_waybill_and_delivery_address(make_app: MakeApp) -> None:
    app = make_app()
    store = app.store
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_form(pilot)
        await pick_procedure(pilot, "xac nhan tinh trang hon nhan")
        assert screen.procedure is not None and screen.procedure.code == "HT-XNHN"
        assert not screen.query_one("#post-fields").display
        await pilot.press("shift+tab", "right")  # back to the channel: walk-in -> post
        assert screen.channel == "post"
        assert screen.query_one("#post-fields").display
        assert not screen.query_one("#online-fields").display
        await pilot.press("tab", "3")  # postal option 3: dossier and result by post
        assert screen.query_one("#f-post_option", RadioSet).pressed_index == 2
        await pilot.press("tab")
        await type_text(pilot, "el 123456785 vn", typing=False)
        await pilot.press("enter")
        await type_text(pilot, "25.000", typing=False)
        await pilot.press("enter")
        await type_text(pilot, "Số 5 ngõ 2, phường Hòa Bình", typing=False)
        await pilot.press("enter")
        assert screen.focused is screen.query_one("#f-applicant_name")
        await fill_applicant(pilot, phone="0983 111 222")
        assert value(pilot, "fee") == "3.000"
        await pilot.press("f10")
        await wait_until(pilot, lambda: isinstance(app.screen, CounterScreen))
    [found] = stored(store, "0983111222")
    d = dossiers.show(store, found.code)
    assert d.channel == "post" and d.post_option == 3
    assert d.waybill == "EL123456785VN" and d.postal_charge_vnd == 25_000
    assert d.delivery_address == "Số 5 ngõ 2, phường Hòa Bình" and d.return_method == "post"
    assert d.fee_vnd == 3000


async def test_post_channel_needs_its_fields(make_app: MakeApp) -> None:
    app = make_app()
    store = app.store
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_form(pilot)
        await pick_procedure(pilot)
        await pilot.press("shift+tab", "right")
        await fill_applicant(pilot)
        await pilot.press("f10")
        await settle(pilot)
        assert isinstance(app.screen, IntakeScreen)
        assert "1, 2 hoặc 3" in message(pilot, "post_option")
        assert screen.focused is screen.query_one("#f-post_option")
        # an arrow takes the option shown first (1: the dossier came by post); then the
        # waybill is asked for
        await pilot.press("down")
        assert screen.query_one("#f-post_option", RadioSet).pressed_index == 0
        await pilot.press("f10")
        await settle(pilot)
        assert message(pilot, "post_option") == ""
        assert message(pilot, "waybill")
        assert screen.focused is screen.query_one("#f-waybill")
    assert stored(store, "0912345678") == []


async def test_online_channel_with_portal_code(make_app: MakeApp) -> None:
    app = make_app()
    store = app.store
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_form(pilot)
        await pick_procedure(pilot, "HT-XNHN")
        await pilot.press("shift+tab", "right", "right")  # walk-in -> post -> online
        assert screen.channel == "online"
        assert screen.query_one("#online-fields").display
        assert not screen.query_one("#post-fields").display
        assert value(pilot, "fee") == "0"  # the online fee of the procedure
        await pilot.press("tab")
        await type_text(pilot, "g22.99-260512-000123", typing=False)
        await pilot.press("enter")
        # level: the procedure's own (toàn trình) is taken; an arrow picks một phần
        assert screen.query_one("#f-level", RadioSet).pressed_index == 0
        await pilot.press("right")
        await pilot.press("tab", "space")  # VNeID
        assert screen.query_one("#f-vneid", Checkbox).value
        await pilot.press("tab")  # paid online stays unticked
        await fill_applicant(pilot, phone="0357 000 111")
        await pilot.press("f10")
        await wait_until(pilot, lambda: isinstance(app.screen, CounterScreen))
    [found] = stored(store, "0357000111")
    d = dossiers.show(store, found.code)
    assert d.channel == "online" and d.portal_code == "G22.99-260512-000123"
    assert d.level == "một phần" and d.vneid and not d.paid_online
    assert d.fee_vnd == 0


async def test_an_added_document_and_the_sets(make_app: MakeApp) -> None:
    app = make_app()
    store = app.store
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_form(pilot)
        await pick_procedure(pilot)
        await fill_applicant(pilot)
        await pilot.press("ctrl+n")
        await pilot.pause()
        extra = screen.documents[-1]
        assert screen.focused is extra.name_input
        await type_text(pilot, "Giấy xác nhận cư trú", typing=False)
        await pilot.press("enter", "enter")  # originals 1 (kept), then copies
        await type_text(pilot, "1")
        await fill(pilot, "sets", "2")
        await pilot.press("f10")
        await wait_until(pilot, lambda: isinstance(app.screen, CounterScreen))
    [found] = stored(store, "0912345678")
    d = dossiers.show(store, found.code)
    assert d.sets == 2
    assert (d.documents[-1].name, d.documents[-1].originals, d.documents[-1].copies) == (
        "Giấy xác nhận cư trú", 1, 1)


async def test_escape_asks_before_discarding_a_filled_form(make_app: MakeApp) -> None:
    app = make_app()
    store = app.store
    async with app.run_test(size=SIZE) as pilot:
        await open_form(pilot)
        await pilot.press("escape")  # an empty form just closes
        await wait_until(pilot, lambda: isinstance(app.screen, CounterScreen))

        await open_form(pilot)
        await pick_procedure(pilot)
        await fill_applicant(pilot)
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmDiscard))
        await pilot.press("escape")  # no: back to the form, nothing lost
        await wait_until(pilot, lambda: isinstance(app.screen, IntakeScreen))
        assert value(pilot, "applicant_name") == NAME
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmDiscard))
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, CounterScreen))
    assert stored(store, "0912345678") == []


async def test_leaving_the_search_keeps_the_chosen_procedure(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_form(pilot)
        await pick_procedure(pilot)
        await pilot.press("shift+tab", "shift+tab")  # from the name, past the channel
        assert screen.focused is screen.query_one("#f-procedure")
        await type_text(pilot, "khai tu", typing=False)
        await wait_until(pilot, lambda: screen._searched == "khai tu" and bool(screen.matches))
        await pilot.press("tab")  # moved on without taking a match
        await settle(pilot)
        assert screen.procedure is not None and screen.procedure.code == "HT-KS"
        assert value(pilot, "procedure") == "Đăng ký khai sinh"
        assert not screen.query_one("#procedure-matches").display
        # and ↑↓ Enter take another one
        await pilot.press("shift+tab")
        await type_text(pilot, "khai tu", typing=False)
        await wait_until(pilot, lambda: screen._searched == "khai tu" and bool(screen.matches))
        await pilot.press("down", "up", "enter")
        await wait_until(pilot, lambda: screen.procedure is not None
                         and screen.procedure.code == "HT-KT")
        await settle(pilot)
        assert value(pilot, "procedure") == "Đăng ký khai tử"
        assert screen.documents[0].doc_name == "Tờ khai đăng ký khai tử"


async def test_enter_before_the_matches_arrive_takes_the_best_one(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_form(pilot)
        await type_text(pilot, "ht-kt", typing=False)  # a code, typed fast
        await pilot.press("down", "enter")  # the arrow waits for the matches; Enter takes one
        await wait_until(pilot, lambda: screen.procedure is not None)
        await settle(pilot)
        assert screen.procedure is not None and screen.procedure.code == "HT-KT"
        assert screen.focused is screen.query_one("#f-applicant_name")
        assert not screen.query_one("#procedure-matches").display
