"""The waiting-room display and the ticket kiosk act under service accounts of their own: a
key of role display only reads the queue (no ticket issued, no personal data seen); a key of
role kiosk only issues tickets, whatever else its account holds; a key without the mode's role
or no account's key is refused; without a key only a one-machine SQLite office falls back to
the role's own identity (recorded at each start), and PostgreSQL says how to make the account."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from counter_tui.commands.office import KEY_VARIABLE, acting_as, own_identity
from counter_tui.core.roles import Role
from counter_tui.db.models import AuditLog
from counter_tui.services import accounts, display, dossiers, kiosk, lookup, queue
from counter_tui.services.accounts import SignInRefused
from counter_tui.services.authority import NotAllowed
from tests.conftest import clean_env, staff_key


def service_key(store: Any, username: str, *roles: Role) -> str:
    key = accounts.create(store, username, "", [r.value for r in roles], service=True)
    assert key
    return key


def as_machine(store: Any, role: Role, key: str, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setenv(KEY_VARIABLE, key)
    return replace(store.as_terminal(None, None), actor=acting_as(store.cfg, role, store))


def test_a_display_key_reads_the_queue_and_nothing_else(
        store: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    tv = as_machine(store, Role.DISPLAY, service_key(store, "tv1", Role.DISPLAY), monkeypatch)
    assert tv.actor.username == "tv1" and tv.actor.roles == {Role.DISPLAY}
    display.board(tv)  # the queue: yes
    for act in (lambda: queue.issue(tv, "A"), lambda: kiosk.issue(tv, "A"),
                lambda: lookup.find(tv, "nguyen"), lambda: dossiers.show(tv, "261201-1"),
                lambda: queue.call_next(tv, 1)):
        with pytest.raises(NotAllowed):
            act()


def test_a_kiosk_key_issues_tickets_and_nothing_else(
        store: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    # an account given more than the kiosk's role still acts as a kiosk on the kiosk
    key = service_key(store, "kiosk1", Role.KIOSK, Role.OFFICER)
    machine = as_machine(store, Role.KIOSK, key, monkeypatch)
    assert machine.actor.roles == {Role.KIOSK}
    issued = kiosk.issue(machine, "A")
    assert issued.ticket.code == "A001"
    for act in (lambda: queue.call_next(machine, 1), lambda: lookup.find(machine, "nguyen"),
                lambda: queue.void(machine, issued.ticket.id)):
        with pytest.raises(NotAllowed):
            act()


def test_a_key_without_the_role_or_of_nobody_is_refused(
        store: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    tv_key = service_key(store, "tv1", Role.DISPLAY)
    with pytest.raises(SignInRefused, match="không có vai trò kiosk"):
        as_machine(store, Role.KIOSK, tv_key, monkeypatch)
    with pytest.raises(SignInRefused, match="COUNTER_TUI_KEY"):
        as_machine(store, Role.DISPLAY, "not-a-key", monkeypatch)
    with store.read():
        assert AuditLog.select().where(AuditLog.action == "signin:bad_key").count() == 1


def test_without_a_key_only_a_one_machine_store_falls_back(
        store: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(KEY_VARIABLE, raising=False)
    one_machine = replace(store.cfg, database=replace(store.cfg.database,
                                                      url="sqlite:///data/counter.db"))
    assert acting_as(one_machine, Role.KIOSK, store) == own_identity(store.cfg, Role.KIOSK)
    office = replace(store.cfg, database=replace(store.cfg.database,
                                                 url="postgresql://counter@dbhost/counter"))
    with pytest.raises(SignInRefused) as refused:
        acting_as(office, Role.DISPLAY, store)
    assert "--role display --service" in str(refused.value)


def test_the_commands_refuse_a_wrong_key_before_any_screen(
        tmp_path: Path, write_config: Callable[..., Path]) -> None:
    config = write_config(tmp_path)
    staff = staff_key(config)  # an account of every staff role, but not the kiosk's

    def run(*args: str, key: str) -> Any:
        return subprocess.run([sys.executable, "-m", "counter_tui", "--config", str(config),
                               *args], env=clean_env(COUNTER_TUI_KEY=key), capture_output=True,
                              text=True, timeout=120, stdin=subprocess.DEVNULL)

    for mode, key, words in (("kiosk", staff, "không có vai trò kiosk"),
                             ("display", staff, "không có vai trò display"),
                             ("kiosk", "not-a-key", "COUNTER_TUI_KEY")):
        done = run(mode, key=key)
        assert done.returncode == 2, (done.stdout, done.stderr)
        assert words in done.stderr and "Traceback" not in done.stderr, done.stderr
