"""What every end-to-end test needs: tmux (or a clear skip; a failure under CI), a fresh office
folder, and the installed `counter-tui` running in it under tmux."""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.conftest import SHIPPED_CONFIG, TEST_PIN, add_account, clean_env
from tests.e2e.tmux import TmuxSession, available

SIZE = (120, 36)


@pytest.fixture(autouse=True)
def _needs_tmux() -> None:
    if available() is None:
        reason = "tmux is not installed (apt-get install tmux): the e2e tests drive it"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"e2e tests cannot run under CI: {reason}", pytrace=False)
        pytest.skip(reason)


@pytest.fixture
def office(tmp_path: Path) -> Path:
    """A folder as a fresh clone has it: the shipped config.toml and the empty data/ folder
    the store, the printer file and the log go in."""
    shutil.copy(SHIPPED_CONFIG, tmp_path / "config.toml")
    (tmp_path / "data").mkdir()
    return tmp_path


@pytest.fixture
def counter_tui(office: Path) -> Iterator[TmuxSession]:
    """The installed console script, started in `office`, with none of the user's settings."""
    with running(office) as session:
        yield session


@contextmanager
def running(office: Path) -> Iterator[TmuxSession]:
    """The app in tmux on `office` as it is now (its config edited first if a test needs),
    an officer signed in; stopped at the end."""
    script = Path(sys.executable).parent / "counter-tui"
    assert script.exists(), f"the console script is not installed: {script}"
    env = clean_env(TERM="xterm-256color", COLORTERM="truecolor")
    for name in ("TEXTUAL", "TEXTUAL_DEBUG", "TEXTUAL_DRIVER", "TEXTUAL_LOG", "NO_COLOR"):
        env.pop(name, None)
    add_officer(office)
    session = TmuxSession.start([str(script)], cwd=office, env=env, size=SIZE)
    try:
        sign_in(session)
        yield session
    finally:
        session.kill()


def add_officer(office: Path, username: str = "canbo1") -> None:
    """The office's store, made as `counter-tui init` makes it, with an account an
    administrator made for the officer at this counter (every staff role, PIN TEST_PIN)."""
    from counter_tui.config import load
    from counter_tui.db.models import database
    from counter_tui.services.store import open_store

    cfg = load(str(office / "config.toml"), environ={})
    store = open_store(cfg)
    try:
        add_account(store, username, cfg.terminal.officer_name)
    finally:
        store.close()
        database.initialize(None)


def sign_in(tmux: TmuxSession, username: str = "canbo1", pin: str = TEST_PIN) -> None:
    """The sign-in screen, then the card's username and Enter in one burst (as its barcode
    types them), then the PIN; the counter screen follows."""
    tmux.wait_for("Đăng nhập", 20)
    tmux.send_keys(username + "\r" + pin + "\r", literal=True)
    tmux.wait_for("Quầy 1", 20)

