"""Two real `counter-tui` processes on one store, in two terminals (tmux): the waiting-room
display and a counter. A ticket issued with F2 and called with F3 at the counter is on the
display, in big digits at its counter and in the last calls, and spoken into the display's WAV
folder (the real espeak-ng), carried by the change feed alone."""

from __future__ import annotations

import shutil
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import clean_env
from tests.e2e.conftest import add_officer, sign_in
from tests.e2e.test_queue_e2e import shows_big
from tests.e2e.tmux import WAIT, TmuxSession

pytestmark = pytest.mark.e2e


def test_a_call_at_a_counter_is_on_the_display_and_spoken(office: Path) -> None:
    script = Path(sys.executable).parent / "counter-tui"
    sounds = office / "sounds"
    sounds.mkdir()
    env = clean_env(TERM="xterm-256color", COLORTERM="truecolor",
                    COUNTER_TUI_VOICE__OUTPUT=f"wav:{sounds}")
    for name in ("TEXTUAL", "TEXTUAL_DEBUG", "TEXTUAL_DRIVER", "TEXTUAL_LOG", "NO_COLOR"):
        env.pop(name, None)
    add_officer(office)  # the counter's officer has an account and signs in
    display = TmuxSession.start([str(script), "display"], cwd=office, env=env, size=(80, 24))
    counter = None
    try:
        display.wait_for("Vừa gọi", WAIT)
        counter = TmuxSession.start([str(script)], cwd=office, env=env, size=(120, 36))
        sign_in(counter)
        counter.wait_for("Chưa gọi số nào", WAIT)
        counter.send_keys("F2")
        counter.wait_for("Cấp số thứ tự", WAIT)
        counter.send_keys("a", literal=True)
        counter.wait_for("Đang in số A001 (Hộ tịch)", WAIT)
        display.wait_for("A Hộ tịch: 1", WAIT)  # waiting, on the display
        counter.send_keys("F3")
        counter.wait_for("Mời số A001 đến Quầy 1", WAIT)
        screen = display.wait_for("Số A001  →  Quầy 1", WAIT)
        deadline = time.monotonic() + WAIT
        while not shows_big(screen, "A001"):
            assert time.monotonic() < deadline, f"A001 is not at counter 1:\n{screen}"
            time.sleep(0.05)
            screen = display.capture()
        assert "A Hộ tịch: 0" in screen
        if shutil.which("espeak-ng"):
            deadline = time.monotonic() + WAIT
            while not list(sounds.glob("*-A001.wav")):
                assert time.monotonic() < deadline, "the call was not spoken"
                time.sleep(0.1)
        counter.send_keys("C-q")
        assert counter.wait_exit(WAIT) == 0
        display.send_keys("C-q")
        assert display.wait_exit(WAIT) == 0
    finally:
        display.kill()
        if counter is not None:
            counter.kill()
