"""The lookup screen (F5) and the dossier screen: a scanned receipt opens its dossier at once,
a phone, ID number or name lists the matches newest first a page at a time, and the receipt
can be printed again."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

from rich.console import Console
from textual import events
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Static

from counter_tui.core.intake import DocumentLine, DossierDraft
from counter_tui.core.views import DossierView
from counter_tui.services import dossiers
from counter_tui.services import intake as intake_service
from counter_tui.ui.app import CounterApp
from counter_tui.ui.screens.counter import CounterScreen
from counter_tui.ui.screens.dossier import DossierScreen
from counter_tui.ui.screens.lookup import LookupScreen, when
from tests.ui.conftest import printer_output, settle, wait_until

SIZE = (140, 45)
MakeApp = Callable[..., CounterApp]


def receive(store: Any, name: str, phone: str, cccd: str = "") -> DossierView:
    """A walk-in dossier stored through the service, one minute after the previous one."""
    store.clock.advance(minutes=1)
    return intake_service.receive(store, DossierDraft(
        procedure_code="HT-KS", applicant_name=name, phone=phone, id_number=cccd,
        address="Thôn 1, xã Minh Hòa", documents=[DocumentLine("Tờ khai đăng ký khai sinh", 1, 0),
                                                  DocumentLine("Giấy chứng sinh", 1, 0)],
    )).dossier


async def open_lookup(pilot: Pilot[Any]) -> LookupScreen:
    app = pilot.app
    await wait_until(pilot, lambda: isinstance(app.screen, CounterScreen))
    await pilot.press("f5")
    await wait_until(pilot, lambda: isinstance(app.screen, LookupScreen))
    screen = app.screen
    assert isinstance(screen, LookupScreen)
    assert screen.focused is screen.query_one("#lookup-query", Input)
    return screen


async def search(pilot: Pilot[Any], text: str) -> None:
    screen = pilot.app.screen
    assert isinstance(screen, LookupScreen)
    before = screen.result
    await pilot.press(*text, "enter")
    await wait_until(pilot, lambda: screen.result is not before and screen.result is not None
                     and screen.result.query != "" and not any(
                         w.is_running for w in pilot.app.workers))
    await settle(pilot)


def rows(screen: LookupScreen) -> list[list[str]]:
    table = screen.query_one("#lookup-results", DataTable)
    return [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]


def text_of(widget: Static) -> str:
    """What a Static shows, as plain text (it may hold a Rich table)."""
    console = Console(width=SIZE[0], file=io.StringIO(), record=True)
    console.print(widget.content)
    return console.export_text()


def info(screen: LookupScreen) -> str:
    return str(screen.query_one("#lookup-info", Static).render())


async def test_a_scanned_code_opens_the_dossier_and_its_receipt_prints_again(
        make_app: MakeApp) -> None:
    app = make_app()
    store = app.store
    d = receive(store, "Nguyễn Văn Bình", "0912345678", cccd="001090012345")
    async with app.run_test(size=SIZE) as pilot:
        await open_lookup(pilot)
        # a scanner types the code (here in lower case) and Enter, and some add a line feed
        await pilot.press(*d.code.lower(), "enter", "ctrl+j")
        await wait_until(pilot, lambda: isinstance(app.screen, DossierScreen)
                         and app.screen.dossier is not None)
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, DossierScreen)
        title = str(screen.query_one("#dossier-title", Static).render())
        assert d.code in title and "Đã tiếp nhận" in title
        facts = text_of(screen.query_one("#dossier-facts", Static))
        assert "0010******45" in facts and "001090012345" not in facts
        assert "Đăng ký khai sinh" in facts and "17:00 12/05/2026" in facts
        docs = screen.query_one("#dossier-documents", DataTable)
        assert [str(docs.get_row_at(i)[0]) for i in range(docs.row_count)] == [
            "Tờ khai đăng ký khai sinh", "Giấy chứng sinh"]
        assert screen.query_one("#dossier-events", DataTable).row_count == 1
        await wait_until(pilot, lambda: printer_output(app).qr_payloads.count(d.code) == 1,
                         what="the first receipt")

        await pilot.press("r")
        await wait_until(pilot, lambda: printer_output(app).qr_payloads.count(d.code) == 2,
                         what="the reprinted receipt")
        await wait_until(pilot, lambda: screen.dossier is not None
                         and [j.state for j in screen.dossier.print_jobs] == ["sent", "sent"])
        prints = screen.query_one("#dossier-prints", DataTable)
        assert prints.row_count == 2
        assert [str(c) for c in prints.get_row_at(1)[1:4:2]] == ["biên nhận hồ sơ", "đã in"]
        events_table = screen.query_one("#dossier-events", DataTable)
        assert events_table.row_count == 2
        assert "In lại biên nhận" in str(events_table.get_row_at(1)[1])

        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, LookupScreen))
        lookup = app.screen
        query = lookup.query_one("#lookup-query", Input)
        assert lookup.focused is query and query.selected_text == query.value
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, CounterScreen))
    assert [j.state for j in dossiers.show(store, d.code).print_jobs] == ["sent", "sent"]


async def test_pasted_code_with_line_ends(make_app: MakeApp) -> None:
    app = make_app()
    d = receive(app.store, "Lê Thị Hoa", "0987654321")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_lookup(pilot)
        screen.query_one("#lookup-query", Input).post_message(events.Paste(f" {d.code}\r\n"))
        await pilot.pause()
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, DossierScreen))
        assert app.screen.code == d.code  # type: ignore[attr-defined]


async def test_an_unknown_code_is_said_so(make_app: MakeApp) -> None:
    app = make_app()
    receive(app.store, "Lê Thị Hoa", "0987654321")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_lookup(pilot)
        await search(pilot, "000.17.22.H56-260512-0999")
        assert isinstance(app.screen, LookupScreen)
        assert rows(screen) == []
        assert "Không tìm thấy" in info(screen) and "mã hồ sơ" in info(screen)


async def test_by_phone_newest_first_and_enter_opens_the_chosen_row(make_app: MakeApp) -> None:
    app = make_app()
    store = app.store
    first = receive(store, "Phạm Văn Đức", "0912345678")
    receive(store, "Hoàng Thị Mai", "0977000111")
    second = receive(store, "Phạm Văn Đức", "0912345678")
    third = receive(store, "Phạm Thị Lan", "0912345678")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_lookup(pilot)
        await search(pilot, "0912 345 678")
        assert [r[0] for r in rows(screen)] == [third.code, second.code, first.code]
        assert rows(screen)[0][1:5] == ["Phạm Thị Lan", "0912345678", "Đăng ký khai sinh",
                                        "Đã tiếp nhận"]
        assert rows(screen)[0][5] == when(third.received_at)
        assert "số điện thoại: 3 hồ sơ" in info(screen)
        # the arrows move through the rows while typing stays in the box; Enter opens
        await pilot.press("down")
        assert screen.focused is screen.query_one("#lookup-query", Input)
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, DossierScreen)
                         and app.screen.dossier is not None)
        assert app.screen.code == second.code  # type: ignore[attr-defined]


async def test_by_name_without_diacritics_and_by_id_number(make_app: MakeApp) -> None:
    app = make_app()
    store = app.store
    an = receive(store, "Nguyễn Văn An", "0912000001", cccd="079195001234")
    anh = receive(store, "Nguyễn Văn Anh", "0912000002")
    receive(store, "Trần Thị Bích", "0912000003")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_lookup(pilot)
        await search(pilot, "nguyen van an")
        assert sorted(r[0] for r in rows(screen)) == sorted([an.code, anh.code])
        assert "họ tên" in info(screen)

        screen.query_one("#lookup-query", Input).value = ""
        await search(pilot, "079 195 001 234")
        assert [r[0] for r in rows(screen)] == [an.code]
        assert "số định danh" in info(screen)

        # a row is opened with Enter in the table too
        screen.query_one("#lookup-results", DataTable).focus()
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, DossierScreen))
        assert app.screen.code == an.code  # type: ignore[attr-defined]


async def test_paging_through_many_dossiers(make_app: MakeApp) -> None:
    app = make_app()
    store = app.store
    made = [receive(store, f"Vũ Văn Nam {chr(ord('A') + i)}", "0905123456") for i in range(25)]
    newest_first = [d.code for d in reversed(made)]
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_lookup(pilot)
        await search(pilot, "0905123456")
        assert [r[0] for r in rows(screen)] == newest_first[:20]
        assert "trang 1" in info(screen) and "PgDn" in info(screen)
        assert screen.result is not None and screen.result.has_more

        async def page(key: str, number: int) -> None:
            await pilot.press(key)
            await wait_until(pilot, lambda: screen.result is not None
                             and screen.result.page == number)
            await settle(pilot)

        await page("pagedown", 1)
        assert [r[0] for r in rows(screen)] == newest_first[20:]
        assert "trang 2" in info(screen)
        await pilot.press("pagedown")  # no page after the last: nothing happens
        await settle(pilot)
        assert screen.result is not None and screen.result.page == 1
        await page("pageup", 0)
        assert [r[0] for r in rows(screen)] == newest_first[:20]

        # n / p in the table (in the box they are letters of a name)
        screen.query_one("#lookup-results", DataTable).focus()
        await page("n", 1)
        assert [r[0] for r in rows(screen)] == newest_first[20:]
        await page("p", 0)
        assert [r[0] for r in rows(screen)] == newest_first[:20]


async def test_a_narrow_terminal_shows_each_dossier_on_two_lines(make_app: MakeApp) -> None:
    app = make_app()
    d = receive(app.store, "Đặng Thị Thu Trang", "0912345678")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_lookup(pilot)
        await search(pilot, "dang thi thu")
        [row] = rows(screen)
        assert len(row) == 3  # nothing beyond the right edge
        assert row[0].splitlines() == [d.code, "Đã tiếp nhận"]
        assert row[1].splitlines() == ["Đặng Thị Thu Trang · 0912345678", "Đăng ký khai sinh"]
        assert row[2].splitlines() == [when(d.received_at), when(d.due_at)]
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, DossierScreen))
