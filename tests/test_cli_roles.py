"""The command line acts as someone, and each role does exactly its work there too: a session
from `counter-tui login` (kept 0600 in the user's data folder), a service account's key for
kiosks and scripts, nobody at all (exit 2, told to sign in); the first administrator from
`init --admin`, who creates the office's accounts with `officer add`."""

from __future__ import annotations

import json
import stat
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import clean_env


class Shell:
    """`counter-tui` as a person at one account of the machine: its own HOME and data folder
    (where `login` keeps its session), a key when given."""

    def __init__(self, config: Path, home: Path) -> None:
        self.config, self.home = config, home

    def __call__(self, *args: str, stdin: str = "", key: str = "") -> Any:
        env = clean_env(HOME=str(self.home), XDG_DATA_HOME=str(self.home / "share"),
                        XDG_CONFIG_HOME=str(self.home / "config"))
        if key:
            env["COUNTER_TUI_KEY"] = key
        done = subprocess.run([sys.executable, "-m", "counter_tui", "--config",
                               str(self.config), *args], input=stdin, capture_output=True,
                              text=True, env=env, cwd=self.config.parent, timeout=120)
        assert "Traceback" not in done.stderr + done.stdout, done.stderr
        return done


@pytest.fixture
def shell(tmp_path: Path, write_config: Callable[..., Path]) -> Shell:
    return Shell(write_config(tmp_path), tmp_path / "home")


def refused(done: Any, words: str) -> None:
    assert done.returncode == 2, (done.stdout, done.stderr)
    assert done.stdout == "" and len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert words in done.stderr, done.stderr


def test_a_new_office_from_its_first_administrator(shell: Shell) -> None:
    # nobody: what changes state or touches personal data is refused, exit 2
    refused(shell("ticket", "issue", "A"), "Cần đăng nhập")
    refused(shell("dossier", "find", "nguyen"), "Cần đăng nhập")
    refused(shell("report", "register", "--from", "2026-05-01", "--to", "2026-05-31",
                  "--output", str(shell.home.parent / "register.csv")), "Cần đăng nhập")
    done = shell("init", "--admin", "quantri", "--admin-name", "Lê Quản Trị",
                 "--admin-pin", "135790")
    assert done.returncode == 0 and "quantri" in done.stdout, done.stderr
    assert shell("login", "quantri", stdin="000000\n").returncode == 2  # wrong PIN
    done = shell("login", "quantri", stdin="135790\n")
    assert done.returncode == 0, done.stderr
    session = shell.home / "share" / "counter-tui" / "session"
    assert stat.S_IMODE(session.stat().st_mode) == 0o600
    assert stat.S_IMODE(session.parent.stat().st_mode) == 0o700
    assert "135790" not in session.read_text()

    # the administrator creates the office's accounts
    assert shell("officer", "add", "lan", "--name", "Nguyễn Thị Lan", "--role", "officer",
                 "--counter", "1", stdin="112233\n").returncode == 0
    assert shell("officer", "add", "hung", "--name", "Phạm Hùng", "--role", "supervisor",
                 stdin="445566\n").returncode == 0
    assert shell("officer", "add", "kt", "--name", "Kỹ thuật", "--role", "technician",
                 stdin="778899\n").returncode == 0
    kiosk = shell("officer", "add", "kiosk1", "--role", "kiosk", "--service", "--json")
    key = json.loads(kiosk.stdout)["key"]
    listed = json.loads(shell("officer", "list", "--json").stdout)
    assert [a["username"] for a in listed] == ["hung", "kiosk1", "kt", "lan", "quantri"]
    assert all("pin_hash" not in a and "key_hash" not in a for a in listed)

    # the administrator handles no dossier; the kiosk issues tickets and nothing else
    refused(shell("dossier", "find", "nguyen"), "không có quyền")
    issued = shell("ticket", "issue", "A", "--json", key=key)
    assert issued.returncode == 0, issued.stderr
    refused(shell("ticket", "call", "--counter", "1", key=key), "kiosk1")
    refused(shell("ticket", "issue", "A", key="not-the-key"), "COUNTER_TUI_KEY")

    # an officer must change the first PIN on the counter screen before a command-line login
    assert shell("login", "lan", stdin="112233\n").returncode == 1
    assert shell("logout").returncode == 0
    assert not session.exists()
    refused(shell("officer", "list"), "Cần đăng nhập")


def test_each_role_through_the_command_line(shell: Shell, tmp_path: Path) -> None:
    from counter_tui.config import load
    from counter_tui.db.models import database
    from counter_tui.services.store import open_store
    from tests.conftest import TEST_PIN, add_account

    store = open_store(load(str(shell.config), environ={}))
    try:
        for role in ("officer", "supervisor", "technician"):
            add_account(store, role, role.title(), (role,))
    finally:
        store.close()
        database.initialize(None)
    register = ("report", "register", "--from", "2026-05-01", "--to", "2026-05-31",
                "--format", "csv", "--output", str(tmp_path / "register.csv"))
    expected = {  # command -> roles that may run it
        ("ticket", "issue", "A"): {"officer", "supervisor"},
        ("dossier", "find", "nguyen"): {"officer", "supervisor"},
        ("report", "day"): {"supervisor"},
        register: {"supervisor"},
        ("db", "check"): {"technician"},
        ("printer", "jobs"): {"officer", "supervisor", "technician"},
    }
    for role in ("officer", "supervisor", "technician"):
        assert shell("login", role, stdin=f"{TEST_PIN}\n").returncode == 0
        for command, allowed in expected.items():
            done = shell(*command)
            if role in allowed:
                assert done.returncode == 0, (role, command, done.stderr)
            else:
                refused(done, "không có quyền")
