"""The real `counter-tui` command in a real terminal (tmux, 120x36), used as an officer would:
start it on a fresh office folder, issue a ticket with F2, call it with F3, quit with Ctrl+Q.
What the screen shows, what the printer file received and what the store holds are all checked.

Without tmux these tests skip, saying so; under CI (CI=true) they fail instead.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from textual.renderables.digits import DIGITS, DIGITS3X3, DIGITS3X3_BOLD

from counter_tui.config import load
from tests.conftest import sign_in_as
from tests.e2e.tmux import WAIT, TmuxSession, wait_printed

pytestmark = pytest.mark.e2e

SIZE = (120, 36)


def big_digits(text: str) -> list[tuple[str, str, str]]:
    """The three rows Textual's Digits widget draws `text` with (plain and bold fonts)."""
    variants = []
    for font in (DIGITS3X3, DIGITS3X3_BOLD):
        rows = ["", "", ""]
        for ch in text:
            at = DIGITS.index(ch) * 3
            for i in range(3):
                rows[i] += font[at + i].ljust(3)
        variants.append((rows[0].rstrip(), rows[1].rstrip(), rows[2].rstrip()))
    return variants


def shows_big(screen: str, text: str) -> bool:
    lines = screen.splitlines()
    for rows in big_digits(text):
        for i in range(len(lines) - 2):
            col = lines[i].find(rows[0])
            if col >= 0 and all(lines[i + k][col:col + len(rows[k])] == rows[k]
                                for k in (1, 2)):
                return True
    return False


def test_issue_call_quit(counter_tui: TmuxSession, office: Path) -> None:
    tmux = counter_tui
    assert tmux.size == SIZE

    tmux.wait_for("Quầy 1", WAIT)
    tmux.wait_for("Chưa gọi số nào", WAIT)  # the store is open, nobody called yet
    screen = tmux.capture()
    assert "UBND xã Minh Hòa - Bộ phận Một cửa" in screen
    assert "Nguyễn Thị Lan (canbo1)" in screen

    tmux.send_keys("F2")
    tmux.wait_for("Cấp số thứ tự", WAIT)
    tmux.send_keys("a", literal=True)
    screen = tmux.wait_for("Đang in số A001 (Hộ tịch)", WAIT)
    screen = tmux.wait_for("A001  ", WAIT)  # in the list of who waits at this counter
    assert "Cấp số thứ tự" not in screen

    cfg = load(str(office / "config.toml"), environ={})
    printer = Path(cfg.printer.target)
    assert printer == office / "data" / "printer.out"
    lines = wait_printed(printer, "A001", cfg.printer.profile)
    assert "Hộ tịch" in lines
    assert "Mời đến quầy: Quầy 1" in lines

    tmux.send_keys("F3")
    screen = tmux.wait_for("Mời số A001 đến Quầy 1", WAIT)
    deadline = time.monotonic() + WAIT
    while not shows_big(screen, "A001"):  # the current ticket, in big digits
        assert time.monotonic() < deadline, f"A001 is not the current ticket:\n{screen}"
        time.sleep(0.05)
        screen = tmux.capture()
    assert "Hộ tịch · đã gọi" in screen

    tmux.send_keys("C-q")
    assert tmux.wait_exit(WAIT) == 0
    assert "EXITED 0" in tmux.capture()

    # What the app committed is in the office's store.
    from counter_tui.db.models import database
    from counter_tui.services import printjobs, queue
    from counter_tui.services.store import open_store

    store = sign_in_as(open_store(cfg, seed=False), "canbo1")
    try:
        ticket = queue.get(store, 1)
        assert (ticket.code, ticket.state, ticket.counter) == ("A001", "called", 1)
        assert [j.state for j in printjobs.recent(store)] == [printjobs.SENT]
    finally:
        store.close()
        database.initialize(None)


def test_a_store_that_cannot_be_opened_is_said_in_words_exit_2(office: Path) -> None:
    """The store opens once the sign-in is drawn: a file that is not a store still ends the
    app with the message and exit code it had when the store opened before any frame."""
    import sys

    from tests.conftest import clean_env

    (office / "data" / "counter.db").write_bytes(b"not a database " * 600)
    script = Path(sys.executable).parent / "counter-tui"
    with TmuxSession.start([str(script)], cwd=office, env=clean_env(TERM="xterm-256color"),
                           size=(160, 30)) as tmux:
        assert tmux.wait_exit(WAIT) == 2
        # with what scrolled off the top: leaving the app's screen restores the cursor where
        # the terminal had it, and tmux adds a line when the program ends
        screen = tmux.tmux("capture-pane", "-p", "-J", "-S", "-200", "-t", tmux.name)
    assert "không phải cơ sở dữ liệu của counter-tui" in screen
    assert "Traceback" not in screen
