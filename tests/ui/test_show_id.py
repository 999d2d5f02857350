"""The dossier screen's I: the ID number in full, for a role allowed to, recorded; masked for
everyone else and again once the dossier is reloaded."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.widgets import Static

from counter_tui.core.roles import MATRIX, Action, Actor, Role
from counter_tui.db.models import AuditLog
from counter_tui.ui.app import CounterApp
from counter_tui.ui.screens.dossier import DossierScreen
from tests.conftest import add_account
from tests.ui.conftest import settle, wait_until
from tests.ui.test_lookup import SIZE, open_lookup, receive, text_of

CCCD = "001090012345"


async def _open(pilot: Any, code: str) -> DossierScreen:
    app = pilot.app
    await open_lookup(pilot)
    await pilot.press(*code, "enter")
    await wait_until(pilot, lambda: isinstance(app.screen, DossierScreen)
                     and app.screen.dossier is not None)
    await settle(pilot)
    screen = app.screen
    assert isinstance(screen, DossierScreen)
    return screen


def shown_ids(store: Any) -> list[str]:
    with store.read():
        return [e.officer for e in AuditLog.select().where(AuditLog.action == "show_id")]


async def test_i_shows_the_id_number_to_an_officer_and_records_it(
        make_app: Callable[..., CounterApp]) -> None:
    app = make_app()
    store = app.store
    store.actor = Actor("canbo1", "Cán bộ", frozenset({Role.OFFICER}))
    d = receive(store, "Nguyễn Văn Bình", "0912345678", cccd=CCCD)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open(pilot, d.code)
        facts = screen.query_one("#dossier-facts", Static)
        assert CCCD not in text_of(facts)
        await pilot.press("i")
        await wait_until(pilot, lambda: CCCD in text_of(facts), what="the ID in full")
        assert shown_ids(store) == ["canbo1"]
        await pilot.press("f5")  # reloaded: masked again
        await wait_until(pilot, lambda: CCCD not in text_of(facts) and "0010******45"
                         in text_of(facts), what="masked again")


async def test_i_is_refused_to_a_role_not_allowed(make_app: Callable[..., CounterApp]) -> None:
    """An office that keeps full ID numbers to supervisors: an officer sees the dossier, but
    I is refused, with the message, and nothing is recorded as shown."""
    app = make_app(sign_in="kythuat")
    store = app.store
    store.grants = {**MATRIX, Action.DOSSIER_SHOW_ID: frozenset({Role.SUPERVISOR})}
    add_account(store, "kythuat", "Cán bộ", (Role.OFFICER.value,))
    d = receive(store, "Nguyễn Văn Bình", "0912345678", cccd=CCCD)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open(pilot, d.code)
        await pilot.press("i")
        await wait_until(pilot, lambda: any("kythuat" in str(n.message)
                                            for n in app._notifications),
                         what="the refusal")
        assert CCCD not in text_of(screen.query_one("#dossier-facts", Static))
    assert shown_ids(store) == []
