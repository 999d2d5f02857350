"""A small tmux harness: run a real terminal program in a pane of a given size, type into it, and
read the screen back as text.

Each `TmuxSession` has its own tmux server (a private socket in its own temporary directory), so
tests never touch a user's tmux or each other. The pane keeps its content after the program ends
(`remain-on-exit`), so the last screen can still be read, and the program runs under a shell that
prints its exit code ("EXITED n") when it returns.

    with TmuxSession.start(["counter-tui"], cwd=tmp, env=env, size=(120, 36)) as tmux:
        tmux.wait_for("Quầy 1")
        tmux.send_keys("F2")
        tmux.send_keys("a", literal=True)
        tmux.wait_for("A001")
        tmux.send_keys("C-q")
        assert tmux.wait_exit() == 0

Every wait is bounded and fails with the screen it last saw.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import tempfile
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import TracebackType

from counter_tui.printing.decode import decode

POLL_SECONDS = 0.05
MAX_WAIT = 15.0
EXIT_MARK = "EXITED"
_EXIT_LINE = re.compile(rf"^{EXIT_MARK} (\d+)$", re.MULTILINE)

# A tmux with no user config: no status line (the pane gets every row), no delay after Esc,
# a pane that stays after its program ends, and a 256-colour terminal for the program.
_TMUX_CONF = """\
set -g status off
set -g escape-time 0
set -g remain-on-exit on
set -g default-terminal "tmux-256color"
set -g history-limit 2000
"""


class TmuxError(AssertionError):
    """A wait ran out, or tmux itself failed; the message carries the last screen."""


def available() -> str | None:
    """The tmux binary, or None."""
    return shutil.which("tmux")


class TmuxSession:
    def __init__(self, root: Path, name: str = "e2e") -> None:
        self.root = root
        self.socket = root / "tmux.sock"
        self.name = name
        self.binary = available() or "tmux"
        self.env: dict[str, str] = {}

    # --- life ------------------------------------------------------------------------------

    @classmethod
    def start(cls, command: Sequence[str], *, cwd: Path | str, env: Mapping[str, str] | None = None,
              size: tuple[int, int] = (120, 36)) -> TmuxSession:
        """Run `command` (argv) in a new detached session `size` = (columns, rows) wide."""
        if available() is None:
            raise TmuxError("tmux is not installed")
        # a short path: a unix socket's path is limited to about 100 bytes
        session = cls(Path(tempfile.mkdtemp(prefix="ct-tmux-")))
        (session.root / "tmux.conf").write_text(_TMUX_CONF)
        session.env = {**(os.environ if env is None else env)}
        session.env.setdefault("LANG", "C.UTF-8")
        session.env.setdefault("LC_ALL", session.env["LANG"])
        session.env.pop("TMUX", None)  # we may run inside a user's tmux: start our own server
        session.env.pop("TMUX_PANE", None)
        cols, rows = size
        # The shell prints the exit code on the pane's last line; `exit` keeps it as the pane's
        # dead status too.
        script = (f"{shlex.join(command)}; status=$?; printf '\\n{EXIT_MARK} %s\\n' \"$status\"; "
                  f"exit $status")
        try:
            session.tmux("-f", str(session.root / "tmux.conf"), "new-session", "-d",
                         "-s", session.name, "-x", str(cols), "-y", str(rows), "-c", str(cwd),
                         "sh", "-c", script)
        except BaseException:
            session.kill()
            raise
        return session

    def kill(self) -> None:
        """Stop the server and everything in it; remove its directory. Safe to call twice."""
        if self.socket.exists():
            subprocess.run([self.binary, "-S", str(self.socket), "kill-server"],
                           stdin=subprocess.DEVNULL, capture_output=True, timeout=10,
                           env=self.env or None, check=False)
        shutil.rmtree(self.root, ignore_errors=True)

    def __enter__(self) -> TmuxSession:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.kill()

    # --- talking to tmux -------------------------------------------------------------------

    def tmux(self, *args: str) -> str:
        result = subprocess.run([self.binary, "-u", "-S", str(self.socket), *args],
                                stdin=subprocess.DEVNULL, capture_output=True, text=True,
                                encoding="utf-8", errors="replace", timeout=10,
                                env=self.env or None, check=False)
        if result.returncode != 0:
            raise TmuxError(f"tmux {shlex.join(args)} failed ({result.returncode}): "
                            f"{result.stderr.strip()}")
        return result.stdout

    def send_keys(self, *keys: str, literal: bool = False) -> None:
        """tmux key names ("F2", "C-q", "Enter", "Down") or, with literal=True, text to type."""
        self.tmux("send-keys", "-t", self.name, *(["-l"] if literal else []), *keys)

    def capture(self) -> str:
        """The visible screen as text, one line per row, trailing spaces removed."""
        return self.tmux("capture-pane", "-p", "-t", self.name)

    def pane(self, fmt: str) -> str:
        return self.tmux("display-message", "-p", "-t", self.name, fmt).strip()

    @property
    def dead(self) -> bool:
        return self.pane("#{pane_dead}") == "1"

    @property
    def size(self) -> tuple[int, int]:
        cols, rows = self.pane("#{pane_width} #{pane_height}").split()
        return int(cols), int(rows)

    # --- waiting ---------------------------------------------------------------------------

    def wait_for(self, text: str, timeout: float = 10.0) -> str:
        """Poll the screen every 50 ms until it shows `text`; the screen."""
        deadline = time.monotonic() + min(timeout, MAX_WAIT)
        screen = ""
        while True:
            screen = self.capture()
            if text in screen:
                return screen
            if time.monotonic() > deadline:
                raise TmuxError(f"{text!r} did not appear within {timeout}s. Screen:\n{screen}")
            if self.dead:
                raise TmuxError(f"the program ended before {text!r} appeared. Screen:\n"
                                f"{self.capture()}")
            time.sleep(POLL_SECONDS)

    def wait_gone(self, text: str, timeout: float = 10.0) -> str:
        """Poll until `text` is no longer on the screen; the screen."""
        deadline = time.monotonic() + min(timeout, MAX_WAIT)
        while True:
            screen = self.capture()
            if text not in screen:
                return screen
            if time.monotonic() > deadline:
                raise TmuxError(f"{text!r} still shown after {timeout}s. Screen:\n{screen}")
            time.sleep(POLL_SECONDS)

    def wait_exit(self, timeout: float = 10.0) -> int:
        """Wait for the program to end; its exit code.

        The wrapping shell prints 'EXITED n' once the program has returned: that line is the
        answer. (tmux's own `pane_dead_status` is set only when the tmux server reaps the shell,
        which can lag behind the pane's end or, seen under load with tmux 3.3, not come at all
        while the pane stays open.)"""
        deadline = time.monotonic() + min(timeout, MAX_WAIT)
        while True:
            found = _EXIT_LINE.search(self.capture())
            if found:
                return int(found.group(1))
            if time.monotonic() > deadline:
                raise TmuxError(f"the program still runs after {timeout}s ({self.processes()})."
                                f" Screen:\n{self.capture()}")
            time.sleep(POLL_SECONDS)

    def processes(self) -> str:
        """The pane's state and whatever still runs on its terminal, for error messages."""
        state = self.pane("dead=#{pane_dead} status=#{pane_dead_status} pid=#{pane_pid} "
                          "tty=#{pane_tty}")
        tty = state.rpartition("tty=")[2].removeprefix("/dev/")
        ps = subprocess.run(["ps", "-t", tty, "-o", "pid=,stat=,args="], capture_output=True,
                            text=True, check=False, timeout=10) if tty else None
        running = "; ".join(line.strip() for line in (ps.stdout if ps else "").splitlines())
        return f"{state}; on the tty: {running or 'nothing'}"


WAIT = 15.0  # no wait in the e2e tests is longer: a hang fails fast


def wait_printed(path: Path, text: str, profile: str) -> list[str]:
    deadline = time.monotonic() + WAIT
    while True:
        lines = decode(path.read_bytes(), profile=profile).text if path.exists() else []
        if text in lines:
            return lines
        if time.monotonic() > deadline:
            raise AssertionError(f"{text!r} not printed to {path} within {WAIT}s: {lines}")
        time.sleep(0.05)
