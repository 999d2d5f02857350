"""The real `counter-tui kiosk` in a terminal (tmux), as a citizen's hand and a technician
find it: Ctrl+Q, Ctrl+C and Ctrl+\\ do not leave it; each asks for a technician's PIN; a wrong
PIN keeps it, and a technician's PIN closes it. Its printer out of paper (the simulated
printer's fault) is said at the kiosk and on a counter at once."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import TEST_PIN, clean_env
from tests.e2e.conftest import add_officer, sign_in
from tests.e2e.tmux import WAIT, TmuxSession

pytestmark = pytest.mark.e2e

TITLE = "Kỹ thuật viên: đóng máy lấy số"
START = "Mời chọn lĩnh vực"


def test_only_a_technician_pin_closes_the_kiosk(office: Path) -> None:
    from counter_tui.config import load
    from counter_tui.db.models import AuditLog, database
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
        # a PIN tried within a second of a wrong one is refused unread (sign-in's delay,
        # "thử lại sau 1 giây"): the technician waits it out, as the message says
        time.sleep(1.5)
        kiosk.send_keys("C-c")
        kiosk.wait_for(TITLE, WAIT)
        kiosk.send_keys(f"kt\r{TEST_PIN}\r", literal=True)
        assert kiosk.wait_exit(WAIT) == 0
    finally:
        kiosk.kill()
    # without a key, on this one-machine store, it ran as the kiosk role's own identity:
    # on the record, as was the technician who closed it
    store = open_store(load(str(office / "config.toml"), environ={}))
    try:
        with store.read():
            actions = [(a.action, a.subject) for a in AuditLog.select().order_by(AuditLog.seq)]
    finally:
        store.close()
        database.initialize(None)
    assert ("kiosk:no_key", "kiosk:canbo1") in actions
    assert ("signin:failed", "kt") in actions and actions[-1] == ("kiosk:leave", "kt")


def test_a_kiosk_printer_out_of_paper_is_said_at_the_kiosk_and_every_counter(
        office: Path) -> None:
    """The simulated printer runs out of paper: the kiosk's start screen says so before
    anyone presses (it reads its printer's status), and the counter, which prints elsewhere,
    shows it through the change feed; both clear when the paper is back."""
    add_officer(office)
    script = Path(sys.executable).parent / "counter-tui"
    env = clean_env(TERM="xterm-256color", COLORTERM="truecolor")
    for name in ("TEXTUAL", "TEXTUAL_DEBUG", "TEXTUAL_DRIVER", "TEXTUAL_LOG", "NO_COLOR"):
        env.pop(name, None)
    sim = office / "sim"
    server = subprocess.Popen([str(script), "printer", "serve", "--port", "0", "--dir", str(sim)],
                              cwd=office, env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, text=True)
    kiosk = counter = None
    try:
        deadline = time.monotonic() + WAIT
        while not ((sim / "port").exists() and (sim / "port").read_text().strip()):
            assert server.poll() is None, server.communicate()
            assert time.monotonic() < deadline, "the simulated printer did not start"
            time.sleep(0.05)
        port = (sim / "port").read_text().strip()
        kiosk = TmuxSession.start([str(script), "kiosk"], cwd=office, size=(80, 24), env={
            **env, "COUNTER_TUI_PRINTER__KIND": "network",
            "COUNTER_TUI_PRINTER__TARGET": f"127.0.0.1:{port}"})
        kiosk.wait_for(START, WAIT)
        counter = TmuxSession.start([str(script)], cwd=office, env=env, size=(120, 36))
        sign_in(counter)
        counter.wait_for("Chưa gọi số nào", WAIT)

        def fault(name: str) -> None:
            subprocess.run([str(script), "printer", "fault", "--dir", str(sim), name],
                           cwd=office, env=env, check=True, capture_output=True, timeout=60)

        fault("paper_out")
        kiosk.wait_for("hết giấy", WAIT)  # no key pressed: the kiosk read its printer
        assert "quầy hướng dẫn" in kiosk.capture() and "1   A" not in kiosk.capture()
        counter.wait_for("Máy in của máy lấy số không in được", WAIT)
        assert "hết giấy" in counter.capture()
        fault("none")
        kiosk.wait_gone("hết giấy", WAIT)
        kiosk.wait_for(START, WAIT)
        counter.wait_gone("Máy in của máy lấy số không in được", WAIT)
        kiosk.send_keys("1")  # and it prints again
        kiosk.wait_for("A001", WAIT)
    finally:
        for session in (kiosk, counter):
            if session is not None:
                session.kill()
        server.terminate()
        try:
            server.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.communicate(timeout=10)
