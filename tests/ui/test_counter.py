"""The counter screen as an officer uses it: keys in, then what the store holds and what the
printer received, not only what the widgets show.

Every test drives a real CounterApp (thread workers, the print spooler) on its own temporary
SQLite file and printer file, at a fixed 09:00 on a Tuesday, in a 120x36 terminal.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.command import CommandPalette
from textual.widgets import DataTable, Digits, OptionList

from counter_tui.core import queue_rules
from counter_tui.core.errors import UserError
from counter_tui.services import printjobs, queue
from counter_tui.ui.app import CounterApp
from counter_tui.ui.screens.counter import CounterScreen
from counter_tui.ui.screens.help import HelpScreen
from counter_tui.ui.screens.issue_ticket import IssueTicketScreen
from counter_tui.ui.screens.print_problem import PrintProblemScreen
from counter_tui.ui.screens.transfer import TransferScreen
from tests.ui.conftest import printer_output, settle, wait_until

SIZE = (120, 36)
Pilot = Any


# --- helpers ------------------------------------------------------------------------------


def record_notices(app: CounterApp) -> list[tuple[str, str]]:
    """Every notification the app shows from now on, as (severity, text)."""
    seen: list[tuple[str, str]] = []
    show = app.notify

    def notify(message: str, **kwargs: Any) -> None:
        seen.append((kwargs.get("severity", "information"), str(message)))
        show(message, **kwargs)

    app.notify = notify  # type: ignore[method-assign]
    return seen


def counter_screen(app: CounterApp) -> CounterScreen:
    screen = app.screen
    assert isinstance(screen, CounterScreen), f"expected the counter screen, got {screen!r}"
    return screen


def column(app: CounterApp, table_id: str, index: int = 0) -> list[str]:
    table = app.screen.query_one(f"#{table_id}", DataTable)
    return [str(table.get_row_at(row)[index]) for row in range(table.row_count)]


def shown_number(app: CounterApp) -> str:
    return str(app.screen.query_one("#current-number", Digits).value)


def ticket(app: CounterApp, code: str) -> Any:
    """The stored ticket `code` of today, whatever its state, through the services."""
    assert app.store is not None
    ov = queue.overview(app.store)
    for view in (ov.current, *ov.waiting, *ov.absent):
        if view is not None and view.code == code:
            return queue.get(app.store, view.id)
    ticket_id = 1
    while True:  # done, void or in another counter's groups: look at every ticket
        try:
            view = queue.get(app.store, ticket_id)
        except UserError:
            raise AssertionError(f"{code} is not in the store") from None
        if view.code == code:
            return view
        ticket_id += 1


def job_of(app: CounterApp, ticket_id: int) -> Any:
    assert app.store is not None
    jobs = [j for j in printjobs.recent(app.store) if j.ticket_id == ticket_id]
    assert len(jobs) == 1, jobs
    return jobs[0]


async def press(pilot: Pilot, *keys: str) -> None:
    await pilot.press(*keys)
    await settle(pilot)


async def issue(pilot: Pilot, *keys: str) -> None:
    """F2, then the keys typed in the modal (digits for a priority, the group's letter)."""
    await press(pilot, "f2")
    assert isinstance(pilot.app.screen, IssueTicketScreen)
    await press(pilot, *keys)
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, CounterScreen),
                     what="the issue modal to close")
    await settle(pilot)


async def printed(pilot: Pilot, app: CounterApp, text: str) -> list[str]:
    """Wait (bounded) until the printer file shows `text`; its decoded lines."""
    def lines() -> list[str] | None:
        out = printer_output(app).text
        return out if any(text in line for line in out) else None

    return await wait_until(pilot, lines, timeout=8, what=f"{text!r} on the printer")


async def focus_table(pilot: Pilot, table_id: str) -> None:
    """Tab through the screen until the table has the focus, as an officer would."""
    for _ in range(8):
        focused = pilot.app.focused
        if focused is not None and focused.id == table_id:
            return
        await pilot.press("tab")
    raise AssertionError(f"Tab never reached #{table_id} (focus: {pilot.app.focused!r})")


# --- issuing ------------------------------------------------------------------------------


async def test_f2_then_a_issues_a001_and_prints_its_slip(app: CounterApp) -> None:
    notices = record_notices(app)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await issue(pilot, "a")

        stored = ticket(app, "A001")
        assert (stored.group, stored.state, stored.priority) == ("A", "waiting", None)
        assert stored.issued_at.strftime("%H:%M") == "09:00"
        assert column(app, "waiting") == ["A001"]
        assert ("information", "Đang in số A001 (Hộ tịch); 0 người chờ trước") in notices

        lines = await printed(pilot, app, "A001")
        assert "Hộ tịch" in lines
        assert "UBND xã Minh Hòa - Bộ phận Một cửa" in lines
        assert printer_output(app).cuts == 1
        await wait_until(pilot, lambda: job_of(app, stored.id).state == printjobs.SENT,
                         what="the job to be marked sent")
        assert column(app, "groups")[0] == "A Hộ tịch"
        assert column(app, "groups", 1)[0] == "1"


async def test_escape_in_the_issue_modal_issues_nothing(app: CounterApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "f2", "escape")
        assert isinstance(app.screen, CounterScreen)
        assert app.store is not None
        assert queue.overview(app.store).waiting == ()
        assert printjobs.recent(app.store) == []


async def test_a_key_typed_right_after_the_group_reaches_the_counter(app: CounterApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f2", "a", "f3")  # as fast as the keyboard goes
        await wait_until(pilot, lambda: app.store is not None
                         and ticket(app, "A001").state == "called", what="A001 called")
        assert isinstance(app.screen, CounterScreen)


async def test_a_refused_ticket_closes_the_dialog_and_says_why(
        app: CounterApp, monkeypatch: pytest.MonkeyPatch) -> None:
    from counter_tui.core.errors import UserError
    from counter_tui.ui import services
    from counter_tui.ui.screens.issue_ticket import IssueTicketScreen

    def refuse(*_: Any, **__: Any) -> None:
        raise UserError("store.unavailable", url="sqlite:///x", reason="disk full")

    monkeypatch.setattr(services.queue, "issue", refuse)
    notices = record_notices(app)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "f2")
        await wait_until(pilot, lambda: isinstance(app.screen, IssueTicketScreen),
                         what="the dialog")
        await press(pilot, "a", "a")  # a second A while the first is under way: no 2nd ticket
        await wait_until(pilot, lambda: isinstance(app.screen, CounterScreen),
                         what="the dialog to close")
        assert [n for n in notices if n[0] == "error" and "disk full" in n[1]]
        assert len([n for n in notices if "disk full" in n[1]]) == 1


async def test_a_priority_ticket_is_called_before_an_earlier_one(app: CounterApp) -> None:
    kind = queue_rules.PRIORITIES[1]
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await issue(pilot, "a")
        assert app.store is not None
        app.store.clock.advance(minutes=3)  # type: ignore[attr-defined]
        await issue(pilot, "2", "b")

        b001 = ticket(app, "B001")
        assert (b001.group, b001.priority, b001.state) == ("B", kind, "waiting")
        assert column(app, "waiting") == ["B001", "A001"]  # call order: priority first
        lines = await printed(pilot, app, "B001")
        slip = lines[lines.index("B001") - 4:]  # the second slip, from its office line
        assert "Chứng thực" in slip
        assert f"ƯU TIÊN: {queue_rules.priority_label(kind)}" in slip
        assert "Số người chờ trước: 0" in slip  # nobody with priority ahead of B001

        await press(pilot, "f3")
        assert shown_number(app) == "B001"
        called = queue.get(app.store, b001.id)
        assert (called.state, called.counter) == ("called", 1)
        assert ticket(app, "A001").state == "waiting"
        assert column(app, "waiting") == ["A001"]


async def test_a_group_letter_digits_cannot_draw_is_shown_whole(
        make_app: Callable[..., CounterApp]) -> None:
    """Textual's Digits draws 0-9 and A-F only; a K001 once showed as a tiny K by a big 001."""
    app = make_app(groups=[{"letter": "A", "name": "Hộ tịch"}, {"letter": "K", "name": "Khác"}],
                   counters=[{"number": 1, "name": "Quầy 1", "groups": ["A", "K"]}])
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await issue(pilot, "k")
        await issue(pilot, "a")
        screen = counter_screen(app)
        digits, code = screen.query_one("#current-number"), screen.query_one("#current-code")

        await press(pilot, "f3")
        assert ticket(app, "K001").state == "called"
        assert not digits.display and code.display
        assert str(code.render()) == "K001"

        await press(pilot, "f3")  # A001: big digits again
        assert digits.display and not code.display
        assert shown_number(app) == "A001"

        await press(pilot, "f8")
        assert digits.display and not code.display
        assert shown_number(app) == "----"


# --- serving one citizen ------------------------------------------------------------------


async def test_call_recall_serve_done(app: CounterApp) -> None:
    notices = record_notices(app)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await issue(pilot, "a")
        await press(pilot, "f3")
        a001 = ticket(app, "A001")
        assert (a001.state, a001.counter, a001.recalls) == ("called", 1, 0)
        assert ("information", "Mời số A001 đến Quầy 1") in notices

        await press(pilot, "f6")
        await press(pilot, "f6")
        assert ticket(app, "A001").recalls == 2
        assert notices.count(("information", "Mời số A001 đến Quầy 1")) == 3

        await press(pilot, "f7")
        serving = ticket(app, "A001")
        assert serving.state == "serving" and serving.serving_at is not None
        info = str(counter_screen(app).query_one("#current-info").render())
        assert queue_rules.State.SERVING.label in info

        await press(pilot, "f8")
        assert ticket(app, "A001").state == "done"
        assert shown_number(app) == "----"
        assert column(app, "groups", 4)[0] == "1"  # A: one done

        # With nobody at the counter the per-ticket keys are off, not errors.
        before = len(notices)
        await press(pilot, "f6", "f7", "f8", "f9")
        assert notices[before:] == []
        assert ticket(app, "A001").state == "done"


async def test_absent_then_r_puts_the_ticket_back(app: CounterApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await issue(pilot, "a")
        await press(pilot, "f3", "f9")
        assert ticket(app, "A001").state == "absent"
        assert column(app, "absent") == ["A001"]
        assert column(app, "waiting") == []
        assert shown_number(app) == "----"

        await press(pilot, "r")
        back = ticket(app, "A001")
        assert (back.state, back.counter) == ("waiting", None)
        assert column(app, "absent") == []
        assert column(app, "waiting") == ["A001"]

        await press(pilot, "f3")  # the citizen is called again
        assert shown_number(app) == "A001"


async def test_transfer_to_group_c(app: CounterApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await issue(pilot, "b")
        await press(pilot, "f3")
        assert shown_number(app) == "B001"

        await press(pilot, "t")
        assert isinstance(app.screen, TransferScreen)
        targets = app.screen.query_one(OptionList)
        offered = [targets.get_option_at_index(i).id for i in range(targets.option_count)]
        assert "g:B" not in offered and "c:1" not in offered  # its own group, this counter
        for _ in range(targets.option_count + 1):  # arrow down to "Sang nhóm C — Cư trú"
            highlighted = targets.highlighted
            if highlighted is not None and targets.get_option_at_index(highlighted).id == "g:C":
                break
            await pilot.press("down")
        await press(pilot, "enter")
        assert isinstance(app.screen, CounterScreen)

        moved = ticket(app, "B001")
        assert (moved.group, moved.state, moved.counter) == ("C", "waiting", None)
        assert moved.issued_at.strftime("%H:%M") == "09:00"  # keeps its place
        assert shown_number(app) == "----"
        assert column(app, "waiting") == []  # counter 1 calls A and B only
        waiting = dict(zip(column(app, "groups"), column(app, "groups", 1), strict=True))
        assert waiting["C Cư trú"] == "1" and waiting["B Chứng thực"] == "0"

        await press(pilot, "f3")
        assert shown_number(app) == "----"


async def test_f3_with_nobody_waiting_warns(app: CounterApp) -> None:
    notices = record_notices(app)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "f3")
        assert ("warning", "Không còn ai chờ ở các nhóm của quầy này") in notices
        assert isinstance(app.screen, CounterScreen)
        assert shown_number(app) == "----"
        assert app.is_running
        await press(pilot, "ctrl+q")
    assert app.return_code == 0


# --- a printer that fails -----------------------------------------------------------------


def broken_printer(tmp_path: Path) -> tuple[Path, dict[str, Any]]:
    """A printer file under a regular file: the directory cannot be created until it goes."""
    blocker = tmp_path / "spool"
    blocker.write_text("not a directory")
    return blocker, {"printer": {"target": str(blocker / "printer.out")}}


async def issue_with_failed_slip(pilot: Pilot, app: CounterApp) -> Any:
    await settle(pilot)
    await issue(pilot, "a")
    a001 = ticket(app, "A001")
    await wait_until(pilot, lambda: job_of(app, a001.id).state == printjobs.FAILED,
                     timeout=8, what="the slip to fail")
    await wait_until(pilot, lambda: column(app, "problems"), what="the 'Lỗi in' list")
    return a001


async def test_failed_slip_is_listed_then_reprinted(make_app: Callable[..., CounterApp],
                                                    tmp_path: Path) -> None:
    blocker, overrides = broken_printer(tmp_path)
    app = make_app(**overrides)
    notices = record_notices(app)
    async with app.run_test(size=SIZE) as pilot:
        a001 = await issue_with_failed_slip(pilot, app)

        # the ticket is stored whatever the printer does, and waits for its slip
        assert a001.state == "printing"
        job = job_of(app, a001.id)
        assert "Không ghi được vào tệp máy in" in job.error
        assert counter_screen(app).query_one("#problems-box").display
        assert column(app, "problems") == ["A001"]
        assert column(app, "problems", 1) == [f"lỗi in: {job.error}"]
        await wait_until(pilot, lambda: any(sev == "error" and "In lỗi (A001)" in text
                                            for sev, text in notices), what="the error notice")

        blocker.unlink()  # the technician fixes the printer
        await focus_table(pilot, "problems")
        await press(pilot, "enter")
        assert isinstance(app.screen, PrintProblemScreen)
        assert "A001" in str(app.screen.query_one(".box-title").render())
        await press(pilot, "i")
        assert isinstance(app.screen, CounterScreen)

        assert "Hộ tịch" in await printed(pilot, app, "A001")
        await wait_until(pilot, lambda: job_of(app, a001.id).state == printjobs.SENT,
                         what="the reprint to be marked sent")
        await wait_until(pilot, lambda: not column(app, "problems"), what="the list to empty")
        assert not counter_screen(app).query_one("#problems-box").display
        assert ticket(app, "A001").state == "waiting"


async def test_failed_slip_voids_its_ticket(make_app: Callable[..., CounterApp],
                                            tmp_path: Path) -> None:
    blocker, overrides = broken_printer(tmp_path)
    app = make_app(**overrides)
    async with app.run_test(size=SIZE) as pilot:
        a001 = await issue_with_failed_slip(pilot, app)

        await press(pilot, "p")
        assert isinstance(app.screen, PrintProblemScreen)
        await press(pilot, "h")
        assert isinstance(app.screen, CounterScreen)

        voided = ticket(app, "A001")
        assert voided.state == "void" and voided.finished_at is not None
        assert job_of(app, a001.id).state == printjobs.VOID
        assert column(app, "problems") == []
        assert column(app, "waiting") == []

        blocker.unlink()  # even with the printer back, a void slip never prints
        app.kick_printer()
        await pilot.pause(0.3)
        await settle(pilot)
        assert job_of(app, a001.id).state == printjobs.VOID
        assert not Path(app.cfg.printer.target).exists()

        await press(pilot, "f3")
        assert shown_number(app) == "----"


# --- finding the keys ---------------------------------------------------------------------


async def test_command_palette_lists_and_runs_the_screens_actions(app: CounterApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await issue(pilot, "a")
        await press(pilot, "ctrl+p")
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*"Gọi")

        def offered() -> list[str]:
            options = app.screen.query_one(OptionList)
            return [str(options.get_option_at_index(i).prompt)
                    for i in range(options.option_count)]

        found = await wait_until(pilot, lambda: [p for p in offered() if "Gọi số tiếp" in p],
                                 what="'Gọi số tiếp' in the palette")
        assert any("Gọi lại" in p for p in offered())
        assert len(found) == 1

        for _ in range(10):  # highlight it and run it, as with the keyboard
            options = app.screen.query_one(OptionList)
            current = options.highlighted
            if current is not None and "Gọi số tiếp" in str(
                    options.get_option_at_index(current).prompt):
                break
            await pilot.press("down")
        await press(pilot, "enter")
        await wait_until(pilot, lambda: isinstance(app.screen, CounterScreen))
        await settle(pilot)
        assert ticket(app, "A001").state == "called"
        assert shown_number(app) == "A001"


async def test_f1_shows_every_key(app: CounterApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "f1")
        assert isinstance(app.screen, HelpScreen)
        keys = dict(zip(column(app, "keys"), column(app, "keys", 1), strict=True))
        assert keys["F2"] == "Cấp số"
        assert keys["F3"] == "Gọi số tiếp"
        assert keys["F6"] == "Gọi lại"
        assert keys["F7"] == "Bắt đầu phục vụ"
        assert keys["F8"] == "Xong"
        assert keys["F9"] == "Vắng mặt"
        assert keys["T"] == "Chuyển"
        assert keys["R"] == "Đưa lại hàng chờ"
        assert keys["P"] == "Lỗi in"
        hint = str(app.screen.query_one(".hint").render())
        assert "Ctrl+P" in hint and "Ctrl+Q" in hint

        await press(pilot, "escape")
        assert isinstance(app.screen, CounterScreen)


async def test_a_table_fits_its_rows_before_it_is_drawn_again() -> None:
    """A DataTable measures new rows only when it next idles and keeps what it draws
    meanwhile: the counter's tables are fitted at once, so a ticket shown while the dialog
    closes is never drawn cut ("A0" for A001)."""
    from textual.app import App, ComposeResult
    from textual.widgets import DataTable

    from counter_tui.ui.screens.counter import fit_columns

    class OneTable(App[None]):
        def compose(self) -> ComposeResult:
            yield DataTable()

    async with OneTable().run_test() as pilot:
        table = pilot.app.query_one(DataTable)
        code = table.add_column("Số", key="code")
        await pilot.pause()
        table.add_row("A001")
        assert table.columns[code].content_width == 2  # Textual's own: not measured yet
        fit_columns(table)
        assert table.columns[code].content_width == 4
        table.clear()
        table.add_row("B1")
        fit_columns(table)
        assert table.columns[code].content_width == 2  # the label's: widths follow the rows
