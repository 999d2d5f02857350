"""The role matrix: every action has its roles, and the gate in the services follows it."""

from __future__ import annotations

import pytest

from counter_tui.core.roles import MATRIX, Action, Actor, Role, actions_of, may, widened


def actor(*roles: Role, counters: frozenset[int] = frozenset()) -> Actor:
    return Actor("u", "U", frozenset(roles), counters)


def test_every_action_is_in_the_matrix_with_at_least_one_role() -> None:
    assert set(MATRIX) == set(Action)
    assert all(MATRIX[a] for a in Action)


def test_nobody_signed_in_may_do_nothing() -> None:
    assert not any(may(None, a) for a in Action)


@pytest.mark.parametrize(("role", "action", "allowed"), [
    (Role.OFFICER, Action.DOSSIER_RECEIVE, True),
    (Role.OFFICER, Action.REGISTER_EXPORT, False),
    (Role.OFFICER, Action.DOSSIER_OVERRIDE, False),
    (Role.SUPERVISOR, Action.DOSSIER_OVERRIDE, True),
    (Role.TECHNICIAN, Action.DOSSIER_VIEW, False),
    (Role.TECHNICIAN, Action.PRINTER_MANAGE, True),
    (Role.DISPLAY, Action.QUEUE_VIEW, True),
    (Role.DISPLAY, Action.QUEUE_ISSUE, False),
    (Role.KIOSK, Action.QUEUE_ISSUE, True),
    (Role.KIOSK, Action.DOSSIER_FIND, False),
])
def test_the_matrix(role: Role, action: Action, allowed: bool) -> None:
    assert may(actor(role), action) is allowed


def test_roles_add_up() -> None:
    both = actions_of([Role.OFFICER, Role.TECHNICIAN])
    assert Action.DOSSIER_FIND in both and Action.STORE_MANAGE in both
    assert Action.ACCOUNT_MANAGE not in both


def test_an_office_may_widen_the_matrix_and_names_are_checked() -> None:
    grants = widened({"officer": ["dossier.override"]})
    assert may(actor(Role.OFFICER), Action.DOSSIER_OVERRIDE, grants)
    assert not may(actor(Role.OFFICER), Action.DOSSIER_OVERRIDE)
    with pytest.raises(ValueError):
        widened({"officer": ["dossier.everything"]})


def test_counters_an_officer_may_sit_at() -> None:
    assert actor(Role.OFFICER).sits_at(7)
    assert actor(Role.OFFICER, counters=frozenset({1, 2})).sits_at(2)
    assert not actor(Role.OFFICER, counters=frozenset({1, 2})).sits_at(3)
