"""Work done ahead while nobody types (ui.ahead): F4's form is built off screen after a pause,
is the form F4 then shows, looks exactly as one built at the key, serves the ticket called
meanwhile, stores a dossier like any other, and follows a change of language; the full
collection frees what died since the last one."""

from __future__ import annotations

import gc
import weakref
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Static

from counter_tui.services import dossiers, queue
from counter_tui.ui import ahead
from counter_tui.ui.app import CounterApp
from counter_tui.ui.screens.counter import CounterScreen
from counter_tui.ui.screens.intake import IntakeScreen
from tests.tickets import hand_out
from tests.ui.conftest import settle, wait_until
from tests.ui.test_intake import (
    NAME,
    MakeApp,
    fill_applicant,
    open_form,
    pick_procedure,
    stored,
)


@pytest.fixture
def quick_pause(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ahead, "IDLE", 0.05)


def counter(app: CounterApp) -> CounterScreen:
    screen = app.screen
    assert isinstance(screen, CounterScreen), type(screen)
    return screen


async def form_built_ahead(pilot: Pilot[Any]) -> IntakeScreen:
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, CounterScreen)
                     and pilot.app.screen.overview is not None)
    screen = counter(pilot.app)  # type: ignore[arg-type]
    await wait_until(pilot, lambda: screen._next_form is not None
                     and screen._next_form.is_mounted, what="the next form built ahead")
    form = screen._next_form
    assert form is not None
    return form


async def test_f4_after_a_pause_shows_the_form_built_ahead_for_the_ticket_called_since(
        make_app: MakeApp, quick_pause: None) -> None:
    app = make_app()
    store = app.store
    async with app.run_test(size=(140, 45)) as pilot:
        built = await form_built_ahead(pilot)
        assert built not in app.screen_stack and not built.ticket_code
        ticket = hand_out(store, "A")  # called after the form was built
        queue.call_next(store)
        counter(app).refresh_queue()
        await wait_until(pilot, lambda: counter(app).overview is not None
                         and counter(app).overview.current is not None)  # type: ignore[union-attr]
        screen = await open_form(pilot)
        assert screen is built
        assert ticket.code in str(screen.query_one("#intake-title", Static).render())
        await pick_procedure(pilot, typing=True)
        await fill_applicant(pilot, typing=True)
        await pilot.press("f10")
        await wait_until(pilot, lambda: isinstance(app.screen, CounterScreen))
        await settle(pilot)
        # the next one is built again, fresh: nothing of the last dossier in it
        again = await form_built_ahead(pilot)
        assert again is not built and again.procedure is None

    [found] = stored(store, "0912345678")
    d = dossiers.show(store, found.code)
    assert d.applicant_name == NAME and d.ticket_id == ticket.id


@pytest.mark.parametrize("size", [(80, 24), (120, 36)])
async def test_a_form_built_ahead_is_drawn_as_one_built_at_the_key(
        make_app: MakeApp, monkeypatch: pytest.MonkeyPatch, size: tuple[int, int]) -> None:
    drawn = []
    for idle in (0.05, 3600.0):  # built ahead; then built at the key (never a pause that long)
        monkeypatch.setattr(ahead, "IDLE", idle)
        app = make_app()
        async with app.run_test(size=size) as pilot:
            built = await form_built_ahead(pilot) if idle < 1 else None
            screen = await open_form(pilot)
            assert (screen is built) == (idle < 1) and screen.styled_ahead is False
            await settle(pilot)
            drawn.append(app.export_screenshot())
    assert drawn[0] == drawn[1]


async def test_a_change_of_language_is_not_shown_in_the_form_of_before(
        make_app: MakeApp, quick_pause: None) -> None:
    app = make_app()
    async with app.run_test(size=(140, 45)) as pilot:
        built = await form_built_ahead(pilot)
        assert built.language == "vi"
        app.action_switch_language()
        try:
            screen = await open_form(pilot)
            assert screen is not built and not built.is_attached
            assert "Receive" in str(screen.query_one("#intake-title", Static).render())
        finally:
            app.action_switch_language()


def test_a_full_collection_runs_in_a_pause_and_frees_what_the_younger_passes_kept(
        monkeypatch: pytest.MonkeyPatch) -> None:
    class Node:
        other: Any = None

    monkeypatch.setattr(ahead, "_collected_at", 0.0)
    a, b = Node(), Node()
    a.other, b.other = b, a  # a cycle: only a collection frees it
    gone = weakref.ref(a)
    gc.collect(1)  # aged past the younger passes, as a closed form's widgets are
    del a, b
    assert gone() is not None
    assert not ahead.collect_if_due(idle=ahead.IDLE / 2)  # the officer is typing
    assert gone() is not None
    assert ahead.collect_if_due(idle=ahead.IDLE)
    assert gone() is None
    assert not ahead.collect_if_due(idle=ahead.IDLE)  # one ran just now
