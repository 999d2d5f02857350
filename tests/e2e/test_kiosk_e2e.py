"""The real `counter-tui kiosk` in a terminal (tmux), as a citizen's hand and a technician
find it: Ctrl+Q, Ctrl+C and Ctrl+\\ do not leave it; each asks for a technician's PIN; a wrong
PIN keeps it, and a technician's PIN closes it."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tests.conftest import TEST_PIN, clean_env
from tests.e2e.conftest import add_officer
from tests.e2e.tmux import WAIT, TmuxSession

pytestmark = pytest.mark.e2e

TITLE = "Kỹ thuật viên: đóng máy lấy số"
START = "Mời chọn lĩnh vực"


def test_only_a_technician_pin_closes_the_kiosk(office: Path) -> None:
    from counter_tui.config import load
    from counter_tui.db.models import database
    from counter_tui.services.store import open_store
    from tests.conftest import add_account

    add_officer(office)
    store = open_store(load(str(office / "config.toml"), environ={}))
    try:
        add_account(store, "kt", "Trần Kỹ Thuật", ("technician",))
    finally:
        store.close()
        database.initialize(None)
    script = Path(sys.executable).parent / "counter-tui"
    env = clean_env(TERM="xterm-256color", COLORTERM="truecolor")
    for name in ("TEXTUAL", "TEXTUAL_DEBUG", "TEXTUAL_DRIVER", "TEXTUAL_LOG", "NO_COLOR"):
        env.pop(name, None)
    kiosk = TmuxSession.start([str(script), "kiosk"], cwd=office, env=env, size=(80, 24))
    try:
        kiosk.wait_for(START, WAIT)
        for key in ("C-q", "C-c", "C-\\"):
            kiosk.send_keys(key)
            kiosk.wait_for(TITLE, WAIT)
            kiosk.send_keys("Escape")
            kiosk.wait_gone(TITLE, WAIT)
            assert START in kiosk.capture() and not kiosk.dead
        kiosk.send_keys("C-q")
        kiosk.wait_for(TITLE, WAIT)
        kiosk.send_keys("kt\r000000\r", literal=True)
        kiosk.wait_for("Sai mã PIN", WAIT)
        assert TITLE in kiosk.capture()  # still asking: the kiosk stays
        kiosk.send_keys("Escape")
        kiosk.wait_gone(TITLE, WAIT)
        kiosk.send_keys("1")  # a citizen takes a number meanwhile
        kiosk.wait_for("A001", WAIT)
        kiosk.send_keys("C-c")
        kiosk.wait_for(TITLE, WAIT)
        kiosk.send_keys(f"kt\r{TEST_PIN}\r", literal=True)
        assert kiosk.wait_exit(WAIT) == 0
    finally:
        kiosk.kill()
