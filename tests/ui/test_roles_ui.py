"""Each role at the counter screen (Pilot): an officer cannot open the board (F12) or export
the register; a technician cannot look up, open or receive an applicant's dossier; a
supervisor can do all of these. The keys a role cannot use are greyed in the key bar, and a
key pressed all the same does nothing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from counter_tui.core.roles import Action
from counter_tui.services import intake
from counter_tui.ui.app import CounterApp
from counter_tui.ui.screens.counter import CounterScreen
from counter_tui.ui.screens.lookup import LookupScreen
from counter_tui.ui.screens.supervisor import SupervisorScreen
from counter_tui.ui.screens.technician import TechnicianScreen
from tests.conftest import add_account
from tests.services.test_intake import draft
from tests.ui.conftest import settle, wait_until


def app_as(make_app: Callable[..., CounterApp], role: str) -> CounterApp:
    app = make_app(start_spooler=False, sign_in=role)
    add_account(app.store, role, role.title(), (role,))
    intake.receive(app.store, draft())  # an applicant's dossier, received by the staff account
    return app


def enabled(app: CounterApp, action: str, *parameters: Any) -> bool:
    return bool(app.screen.check_action(action, tuple(parameters)))


@pytest.mark.parametrize(("role", "board", "register", "lookup", "intake_", "printers"), [
    ("officer", False, False, True, True, False),
    ("supervisor", True, True, True, True, False),
    ("technician", False, False, False, False, True),
])
async def test_each_role_sees_its_own_keys(make_app: Callable[..., CounterApp], role: str,
                                           board: bool, register: bool, lookup: bool,
                                           intake_: bool, printers: bool) -> None:
    app = app_as(make_app, role)
    async with app.run_test() as pilot:
        await settle(pilot)
        assert app.store.actor.username == role
        assert enabled(app, "supervisor") is board
        assert enabled(app, "lookup") is lookup and enabled(app, "intake") is intake_
        assert enabled(app, "worklists") is lookup
        assert bool(app.check_action("technician", ())) is printers
        await pilot.press("f12")
        await settle(pilot)
        assert isinstance(app.screen, SupervisorScreen) is board
        if board:
            assert enabled(app, "export", "register") is register
            await pilot.press("escape")
            await settle(pilot)
        await pilot.press("f5")
        await settle(pilot)
        assert isinstance(app.screen, LookupScreen) is lookup
        if lookup:
            await pilot.press("escape")
            await settle(pilot)
        assert isinstance(app.screen, CounterScreen)
        await pilot.press("f11")
        await settle(pilot)
        assert isinstance(app.screen, TechnicianScreen) is printers


async def test_an_officer_widened_by_the_office_still_has_no_board(
        make_app: Callable[..., CounterApp]) -> None:
    app = make_app(start_spooler=False, sign_in="officer",
                   roles={"officer": ["dossier.override"]})
    add_account(app.store, "officer", "Officer", ("officer",))
    async with app.run_test() as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, CounterScreen))
        assert not enabled(app, "supervisor")
        assert app.can(Action.DOSSIER_OVERRIDE)  # what the office added, and nothing more
