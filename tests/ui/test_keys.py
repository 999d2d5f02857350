"""Keys at an officer's real speed: a barcode scanner, a macro or a fast typist sends a whole
burst of keys before the app has handled the first. Every key must land where it would have
landed typed slowly, in order: none lost, none in another field, none taken by the screen a
form was opened from (issue: what a day at the counter found, items 1-3).

`burst` hands every key to the app at once, as the terminal's reader does; what was stored is
checked in the store, not only in the widgets."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Input

from counter_tui.core.views import DossierView
from counter_tui.db.models import Dossier
from counter_tui.services import dossiers, lookup, queue
from counter_tui.services.store import Store
from counter_tui.ui.app import CounterApp
from counter_tui.ui.screens.counter import CounterScreen
from counter_tui.ui.screens.intake import IntakeScreen
from counter_tui.ui.screens.supervisor import ExportScreen, SupervisorScreen
from tests.ui.conftest import burst, settle, wait_until

SIZE = (140, 45)
MakeApp = Callable[..., CounterApp]
NAME = "Nguyễn Văn Bình"
CCCD = "001090012345"
PHONE = "0912345678"
ADDRESS = "Thôn 3, xã Minh Hòa"


async def counter_ready(pilot: Pilot[Any]) -> None:
    app = pilot.app
    await wait_until(pilot, lambda: isinstance(app.screen, CounterScreen)
                     and app.screen.overview is not None, what="the counter screen")
    await settle(pilot)


def stored_by_phone(store: Store, phone: str) -> tuple[DossierView, Any]:
    [found] = lookup.find(store, phone).items
    view = dossiers.show(store, found.code)
    with store.read():
        row = Dossier.get(Dossier.code == found.code)
    return view, row


async def saved(pilot: Pilot[Any], store: Store, phone: str) -> None:
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, CounterScreen)
                     and lookup.find(store, phone).items, timeout=10, what="the dossier stored")
    await settle(pilot)


async def test_after_choosing_a_procedure_the_name_has_the_focus(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await counter_ready(pilot)
        await pilot.press("f4")
        await wait_until(pilot, lambda: isinstance(app.screen, IntakeScreen))
        screen = app.screen
        assert isinstance(screen, IntakeScreen)
        await pilot.press(*"dang ky khai sinh")
        await wait_until(pilot, lambda: bool(screen.matches), what="the matches")
        await pilot.press("enter")
        await wait_until(pilot, lambda: bool(screen.documents), what="the checklist")
        await settle(pilot)
        assert screen.focused is screen.query_one("#f-applicant_name")


async def test_keys_typed_before_the_form_is_up_are_kept_in_order(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await counter_ready(pilot)
        # "d", "t" and "r" are keys of the counter screen: none may reach it
        await burst(pilot, "f4", *"dang ky khai tu")
        await wait_until(pilot, lambda: isinstance(app.screen, IntakeScreen))
        await settle(pilot)
        screen = app.screen
        assert screen.query_one("#f-procedure", Input).value == "dang ky khai tu"
        assert screen.focused is screen.query_one("#f-procedure")


async def test_a_whole_walk_in_intake_as_one_burst(make_app: MakeApp) -> None:
    app = make_app()
    store = app.store
    async with app.run_test(size=SIZE) as pilot:
        await counter_ready(pilot)
        await burst(pilot, "f4", *"dang ky khai sinh", "enter", *NAME, "tab", *CCCD, "tab",
                    *PHONE, "tab", *ADDRESS, "f10")
        await saved(pilot, store, PHONE)
    view, row = stored_by_phone(store, PHONE)
    assert (view.procedure_code, view.channel) == ("HT-KS", "walk_in")
    assert (row.applicant_name, row.id_number, row.phone, row.address) == (
        NAME, CCCD, PHONE, ADDRESS)


async def test_online_channel_tab_and_space_in_one_burst(make_app: MakeApp) -> None:
    """Shift+Tab back to the channel, 3 (online), the portal code, 2 (một phần), Space on VNeID:
    the first letter of the name after the last Tab was once lost."""
    app = make_app()
    store = app.store
    name = "Lê Thị Hồng Nhung"
    async with app.run_test(size=SIZE) as pilot:
        await counter_ready(pilot)
        await burst(pilot, "f4", *"xac nhan tinh trang hon nhan", "enter", "shift+tab", "3",
                    "tab", *"g22.99-260512-000123", "tab", "2", "tab", "space", "tab", "tab",
                    *name, "tab", *CCCD, "tab", *PHONE, "f10")
        await saved(pilot, store, PHONE)
    view, row = stored_by_phone(store, PHONE)
    assert (view.procedure_code, view.channel) == ("HT-XNHN", "online")
    assert (view.portal_code, view.level, view.vneid, view.paid_online) == (
        "G22.99-260512-000123", "một phần", True, False)
    assert (row.applicant_name, row.id_number, row.phone) == (name, CCCD, PHONE)


async def test_the_period_dialog_keeps_every_character_of_a_date(make_app: MakeApp) -> None:
    app = make_app(start_spooler=False)
    async with app.run_test(size=SIZE) as pilot:
        await counter_ready(pilot)
        await pilot.press("f12")
        await wait_until(pilot, lambda: isinstance(app.screen, SupervisorScreen)
                         and app.screen.board is not None, what="the board")
        await settle(pilot)
        await burst(pilot, "b", *"01/06/2025", "tab", *"30/06/2025")
        await wait_until(pilot, lambda: isinstance(app.screen, ExportScreen))
        await settle(pilot)
        dialog = app.screen
        assert dialog.query_one("#f-from", Input).value == "01/06/2025"
        assert dialog.query_one("#f-to", Input).value == "30/06/2025"


async def test_keys_after_a_ticket_wait_for_it(make_app: MakeApp) -> None:
    """F2 A F3 F7 at once: the ticket is issued, called, then served (F7 needs the call's
    result on screen to be allowed)."""
    app = make_app()
    store = app.store
    async with app.run_test(size=SIZE) as pilot:
        await counter_ready(pilot)
        await burst(pilot, "f2", "a", "f3", "f7")
        await wait_until(pilot, lambda: queue.overview(store).current is not None
                         and queue.overview(store).current.state == "serving",  # type: ignore[union-attr]
                         timeout=10, what="A001 being served")
        assert isinstance(app.screen, CounterScreen)
        current = queue.overview(store).current
        assert current is not None and current.code == "A001"


async def test_the_new_ticket_dialog_takes_its_letter_as_it_arrives(make_app: MakeApp) -> None:
    """A group's letter is answered by the dialog the moment the key queue takes it (the
    ticket starts before the dialog has finished drawing), unless a key handed on before it
    is not handled yet: then it goes behind that key, the usual way."""
    from textual import events

    from counter_tui.core import queue_rules
    from counter_tui.ui.screens.issue_ticket import IssueTicketScreen

    app = make_app()
    store = app.store
    async with app.run_test(size=SIZE) as pilot:
        await counter_ready(pilot)
        await pilot.press("f2")
        await wait_until(pilot, lambda: isinstance(app.screen, IssueTicketScreen)
                         and app.screen.is_mounted, what="the dialog")
        dialog = app.screen
        assert isinstance(dialog, IssueTicketScreen)
        earlier = events.Key("2", "2")  # a priority's digit, not handled yet
        dialog._message_queue.put_nowait(earlier)
        assert app.keys.take(events.Key("b", "b"))
        assert not dialog._taken  # queued behind the digit, not answered before it
        await wait_until(pilot, lambda: queue.overview(store).waiting != (), timeout=10,
                         what="B001 issued")
        [b001] = queue.overview(store).waiting
        assert (b001.code, b001.priority) == ("B001", queue_rules.PRIORITIES[1])
        await settle(pilot)
        await pilot.press("f2")
        await wait_until(pilot, lambda: isinstance(app.screen, IssueTicketScreen)
                         and app.screen.is_mounted, what="the dialog again")
        dialog = app.screen
        assert isinstance(dialog, IssueTicketScreen)
        assert app.keys.take(events.Key("a", "a"))
        assert dialog._taken  # answered at once: the ticket is under way
        assert app.keys._queue.empty()
        assert app.keys.take(events.Key("a", "a"))
        assert app.keys._queue.qsize() == 1  # a second one waits (the ticket holds it)
        await wait_until(pilot, lambda: len(queue.overview(store).waiting) == 2, timeout=10,
                         what="A001 issued")
        await settle(pilot)
        assert [t.code for t in queue.overview(store).waiting] == ["B001", "A001"]
