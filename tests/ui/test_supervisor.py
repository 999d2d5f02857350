"""The supervisor board (F12) as a supervisor uses it: the day's figures on screen, refreshed
as the day goes on, the day summary printed, and the reports exported to files read back.

A real CounterApp on its own SQLite file and printer file, at 09:00 on Tuesday 12 May 2026,
in a 120x36 terminal; figures are stored through the services, as the counters would.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual.widgets import Checkbox, DataTable, Input, RadioButton, Sparkline, Static

from counter_tui.core.intake import DocumentLine, DossierDraft
from counter_tui.services import intake, lifecycle, queue
from counter_tui.ui.app import CounterApp
from counter_tui.ui.screens.counter import CounterScreen
from counter_tui.ui.screens.supervisor import ExportScreen, SupervisorScreen
from tests.tickets import hand_out
from tests.ui.conftest import printer_output, screen_text, settle, wait_until

SIZE = (120, 36)


def receive(store: Any, channel: str, name: str) -> str:
    extra: dict[str, Any] = {}
    if channel == "online":
        extra = {"portal_code": "G22.99-260512-000123", "level": "toàn trình"}
    if channel == "post":
        extra = {"post_option": "1", "waybill": "EA123456789VN", "postal_charge": "25000"}
    return intake.receive(store, DossierDraft(
        channel=channel, procedure_code="HT-KS", applicant_name=name, phone="0912345678",
        documents=[DocumentLine("Tờ khai đăng ký khai sinh", 1, 0)], **extra)).dossier.code


def fill(store: Any) -> None:
    """09:00-09:30: three dossiers (walk-in, online, post); four tickets, two of them served."""
    codes = []
    for channel, name in (("walk_in", "Nguyễn Văn An"), ("online", "Trần Thị Bình"),
                          ("post", "Lê Văn Cường")):
        codes.append(receive(store, channel, name))
        store.clock.advance(minutes=1)
    for group in "AABC":
        hand_out(store, group)
    store.clock.advance(minutes=10)
    queue.call_next(store, 1)  # A001 waited 10 min
    store.clock.advance(minutes=5)
    queue.call_next(store, 1)  # A001 served 5 min; A002 waited 15 min
    store.clock.advance(minutes=3)
    queue.finish(store, 1)  # A002 served 3 min
    # the walk-in dossier's result is ready at once and taken away: one returned today
    lifecycle.result_ready(store, codes[0])
    lifecycle.return_result(store, codes[0], collected_by="Nguyễn Văn An",
                            id_number="001090012345")


def choose(dialog: Any, field: str, value: str) -> None:
    """Tick the option `value` of a choice field of the dialog."""
    button = next(b for b in dialog.query(f"#f-{field} RadioButton").results(RadioButton)
                  if b.name == value)
    button.value = True


def cell(app: CounterApp, table: str, row: str, column: int = 1) -> str:
    return str(app.screen.query_one(f"#{table}", DataTable).get_row(row)[column])


async def open_board(pilot: Any) -> SupervisorScreen:
    app = pilot.app
    await wait_until(pilot, lambda: isinstance(app.screen, CounterScreen)
                     and app.screen.overview is not None, what="the counter screen")
    await pilot.press("f12")
    await wait_until(pilot, lambda: isinstance(app.screen, SupervisorScreen)
                     and app.screen.board is not None, what="the board's figures")
    await settle(pilot)
    return app.screen


async def test_the_board_shows_the_day(make_app: Callable[..., CounterApp]) -> None:
    app = make_app(start_spooler=False)
    fill(app.store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_board(pilot)
        assert cell(app, "sup-dossiers", "received") == "3"
        assert [cell(app, "sup-dossiers", f"channel:{c}") for c in ("walk_in", "post",
                                                                   "online")] == ["1", "1", "1"]
        # same-day procedure: due 17:00 today, but for the one already returned
        assert cell(app, "sup-dossiers", "due") == "2"
        assert cell(app, "sup-dossiers", "overdue") == "0"
        levels = screen.query_one("#sup-levels", DataTable)
        assert {str(levels.get_row_at(i)[0]): str(levels.get_row_at(i)[1])
                for i in range(levels.row_count)} == {"toàn trình": "3"}
        # group A: issued 2, served 2, none waiting; wait 10 and 15 min, service 5 and 3 min
        row = [str(c) for c in screen.query_one("#sup-groups", DataTable).get_row("A")]
        assert row[0] == "A Hộ tịch" and row[2:] == ["2", "2", "0", "0", "0", "12.5 / 15",
                                                     "4 / 5"]
        total = [str(c) for c in screen.query_one("#sup-groups", DataTable).get_row("*")]
        assert total[2:5] == ["4", "2", "2"]
        assert cell(app, "sup-counters", "1", 1) == "2"  # counter 1 served two
        assert cell(app, "sup-officers", "canbo1", 2) == "3"  # received three dossiers
        assert cell(app, "sup-officers", "canbo1", 3) == "1"  # and returned one, as exported
        online = str(screen.query_one("#sup-online", Static).content)
        assert "33.3%" in online and "Chỉ tiêu 50%" in online
        tickets = screen.query_one("#sup-tickets-spark", Sparkline)
        assert list(tickets.data or []) == [0, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0]  # 07h .. 17h
        assert "cao nhất 09h: 4" in str(screen.query_one("#sup-tickets-axis", Static).content)
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, CounterScreen))


async def test_on_100_columns_every_figure_is_whole(
        make_app: Callable[..., CounterApp]) -> None:
    """Three boxes side by side leave each 28 columns: the busiest hour stays on its line
    (it was cut to "cao nhất 09h:" without its count) and the digitised shares keep the
    box's margin."""
    app = make_app(start_spooler=False)
    fill(app.store)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_board(pilot)
        lines = screen_text(app)
        assert any(line.rstrip().endswith("│ 07–17h · cao nhất 09h: 4   │") for line in lines)
        assert any("│ Hồ sơ giấy " in line for line in lines)
        assert not any("││Hồ sơ giấy" in line for line in lines)


async def test_the_board_refreshes_itself(make_app: Callable[..., CounterApp]) -> None:
    app = make_app(start_spooler=False, ui={"refresh_seconds": 0.2})
    async with app.run_test(size=SIZE) as pilot:
        await open_board(pilot)
        assert cell(app, "sup-dossiers", "received") == "0"
        receive(app.store, "walk_in", "Phạm Văn Dũng")  # another counter, meanwhile
        await wait_until(pilot, lambda: cell(app, "sup-dossiers", "received") == "1",
                         what="the new dossier on the board")


async def test_print_the_day_summary(make_app: Callable[..., CounterApp]) -> None:
    app = make_app()
    fill(app.store)
    async with app.run_test(size=SIZE) as pilot:
        await open_board(pilot)
        await pilot.press("p")
        await wait_until(pilot, lambda: "TỔNG HỢP NGÀY 12/05/2026" in "\n".join(
            printer_output(app).text), what="the summary at the printer")
        lines = "\n".join(printer_output(app).text).splitlines()
        summary = lines[lines.index("TỔNG HỢP NGÀY 12/05/2026"):]  # after the three receipts
        assert "Tiếp nhận: 3" in summary and "Quá hạn (đang giải quyết): 0" in summary


async def test_exports_from_the_board(make_app: Callable[..., CounterApp],
                                      tmp_path: Path) -> None:
    from openpyxl import load_workbook

    app = make_app(start_spooler=False)
    fill(app.store)
    async with app.run_test(size=SIZE) as pilot:
        await open_board(pilot)
        # E: the day board as CSV
        await pilot.press("e")
        await wait_until(pilot, lambda: isinstance(app.screen, ExportScreen))
        dialog = app.screen
        choose(dialog, "format", "csv")
        await pilot.pause()
        path = dialog.query_one("#f-path", Input)
        assert path.value.endswith("tinh-hinh-ngay-20260512.csv")
        path.value = str(tmp_path / "ngay.csv")
        path.focus()
        await pilot.press("enter")
        await wait_until(pilot, lambda: (tmp_path / "ngay.csv").exists(), what="the CSV")
        with open(tmp_path / "ngay.csv", encoding="utf-8-sig") as fh:
            rows = list(csv.reader(fh))
        assert rows[0] == ["Tình hình ngày 12/05/2026, UBND xã Minh Hòa - Bộ phận Một cửa"]
        assert rows[2] == ["Tiếp nhận", "3"]

        # B: the period report for May, by procedure, with last year, as XLSX
        await settle(pilot)
        await pilot.press("b")
        await wait_until(pilot, lambda: isinstance(app.screen, ExportScreen))
        dialog = app.screen
        assert dialog.query_one("#f-from", Input).value == "01/05/2026"
        assert dialog.query_one("#f-to", Input).value == "12/05/2026"
        choose(dialog, "by", "procedure")
        dialog.query_one("#f-compare", Checkbox).value = True
        dialog.query_one("#f-path", Input).value = str(tmp_path / "bc.xlsx")
        dialog.query_one("#f-to", Input).focus()
        await pilot.press("enter")
        await wait_until(pilot, lambda: (tmp_path / "bc.xlsx").exists(), what="the XLSX")
        book = load_workbook(tmp_path / "bc.xlsx", read_only=True)
        rows = list(book["II.06a"].iter_rows(values_only=True))
        assert rows[2][1] == "HT-KS - Đăng ký khai sinh" and rows[2][2] == 3
        assert rows[1][-10:-8] == ("Cùng kỳ năm trước: tổng nhận", "So với cùng kỳ: tổng nhận")
        book.close()

        # S: the register; a bad date is refused in the dialog, nothing is written
        await settle(pilot)
        await pilot.press("s")
        await wait_until(pilot, lambda: isinstance(app.screen, ExportScreen))
        dialog = app.screen
        dialog.query_one("#f-from", Input).value = "32/05/2026"
        dialog.query_one("#f-path", Input).value = str(tmp_path / "so.csv")
        choose(dialog, "format", "csv")
        dialog.query_one("#f-from", Input).focus()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ExportScreen)
        assert "32/05/2026" in str(dialog.query_one("#m-from", Static).content)
        dialog.query_one("#f-from", Input).value = "12/05/2026"
        await pilot.press("enter")
        await wait_until(pilot, lambda: (tmp_path / "so.csv").exists(), what="the register")
        with open(tmp_path / "so.csv", encoding="utf-8-sig") as fh:
            lines = list(csv.reader(fh))
        assert [line[3] for line in lines[2:]] == ["Nguyễn Văn An", "Trần Thị Bình",
                                                   "Lê Văn Cường"]
        assert isinstance(app.screen, SupervisorScreen)


async def test_in_the_command_palette(make_app: Callable[..., CounterApp]) -> None:
    app = make_app(start_spooler=False)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, CounterScreen))
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "Giám sát (lãnh đạo)" in titles
        assert dt.date(2026, 5, 12) == app.store.now().date()  # type: ignore[union-attr]


async def test_the_board_says_how_the_district_sync_stands(
        make_app: Callable[..., CounterApp]) -> None:
    """The sync line: hidden for an office that does not sync; else what waits and since when
    the link is down, as the sync process recorded it (read from the office's own store)."""
    from counter_tui.services.sync import outbox, runner

    plain = make_app(start_spooler=False)
    async with plain.run_test(size=SIZE) as pilot:
        screen = await open_board(pilot)
        assert not screen.query_one("#sup-sync", Static).display
    app = make_app(start_spooler=False,
                   sync={"url": "postgresql://counter@127.0.0.1:1/centre"})
    outbox.enable(app.store)
    hand_out(app.store, "A")
    runner.record_down(app.store, "connection refused")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_board(pilot)
        line = screen.query_one("#sup-sync", Static)
        text = await wait_until(pilot, lambda: "MẤT KẾT NỐI" in str(line.render()) and
                                str(line.render()), what="the link shown down")
        assert "09:00" in text and f"chờ gửi {outbox.waiting(app.store)}" in text


async def test_the_board_of_another_office_or_of_all(
        make_app: Callable[..., CounterApp]) -> None:
    """O: on a store that holds several offices (the district's centre), the board shows the
    one chosen, or all of them added up, and the export writes what is on screen."""
    from textual.widgets import OptionList

    from counter_tui.db.models import Office
    from counter_tui.ui.screens.office_choice import OfficeChoiceScreen

    app = make_app(start_spooler=False)
    fill(app.store)
    with app.store.write():
        Office.create(code="000.17.22.H99", name="UBND xã An Khê")
    own = app.store.cfg.office.name

    async def pick(index: int) -> None:
        await pilot.press("o")
        await wait_until(pilot, lambda: isinstance(app.screen, OfficeChoiceScreen))
        listed = app.screen.query_one("#office-list", OptionList)
        assert listed.option_count == 3  # this office, the other, all of them
        await pilot.press("home")
        for _ in range(index):
            await pilot.press("down")
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, SupervisorScreen))

    def title() -> str:
        return str(app.screen.query_one("#sup-title", Static).content)

    async with app.run_test(size=SIZE) as pilot:
        await open_board(pilot)
        assert own in title() and cell(app, "sup-dossiers", "received") == "3"
        await pick(1)
        await wait_until(pilot, lambda: "An Khê" in title(), what="the other office's board")
        assert cell(app, "sup-dossiers", "received") == "0"
        await pick(2)
        await wait_until(pilot, lambda: "Tất cả văn phòng" in title(), what="all offices")
        assert cell(app, "sup-dossiers", "received") == "3"
        await pick(0)
        await wait_until(pilot, lambda: own in title(), what="this office again")
        assert cell(app, "sup-dossiers", "received") == "3"


async def test_the_centres_board_says_when_an_office_overwrote_its_changes(
        make_app: Callable[..., CounterApp]) -> None:
    from counter_tui.db.models import SyncConflict

    app = make_app(start_spooler=False)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_board(pilot)
        line = screen.query_one("#sup-conflicts", Static)
        assert not line.display  # none: nothing said
        with app.store.write():
            SyncConflict.create(office=app.store.cfg.office.agency_code, tbl="dossier",
                                local_id=7, at=dt.datetime(2026, 5, 12, 8, 30),
                                centre_row="{}")
        await pilot.press("f5")
        await wait_until(pilot, lambda: line.display, what="the conflicts line")
        shown = str(line.content)
        assert "1 bản ghi" in shown and "12/05 08:30" in shown and "sync conflicts" in shown
