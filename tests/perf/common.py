"""Shared by the benchmarks: a throwaway office on disk, and the real app driven through a pty.

The benchmarks print their figures; they assert nothing about time (the unit suite holds no
timing assertions). Run them all with `python -m tests.perf` (see the README).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import pty
import select
import signal
import statistics
import struct
import sys
import tempfile
import termios
import time
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
COUNTER_TUI = Path(sys.executable).with_name("counter-tui")
SYNC_QUERY = b"\x1b[?2026$p"  # the app asks: does the terminal draw frames atomically?
SYNC_SUPPORTED = "\x1b[?2026;2$y"  # yes (mode known, currently reset)


def office_dir(db_url: str | None = None) -> Path:
    """A folder with a copy of config.toml and the data/ folder the application ships (its
    store and printer file inside it); other settings are changed through COUNTER_TUI_*
    environment variables."""
    folder = Path(tempfile.mkdtemp(prefix="counter-perf-"))
    (folder / "data").mkdir()
    text = (ROOT / "config.toml").read_text(encoding="utf-8")
    if db_url:
        text = text.replace('url = "sqlite:///data/counter.db"', f'url = "{db_url}"')
    (folder / "config.toml").write_text(text, encoding="utf-8")
    return folder


OFFICER = "canbo1"  # the config's terminal officer, made by `with_officer`
SIGN_IN_HINT = "Quét thẻ hoặc gõ tên"  # the sign-in dialog's last line
COUNTER_MARK = "Bưu chính công ích"  # a group's name, read from the store by the counter screen


def with_officer(folder: Path) -> str:
    """The office's store made (as the first start makes it) with an account for the
    terminal's officer holding every staff role, PIN tests.conftest.TEST_PIN, and a service
    account's key for the command line (COUNTER_TUI_KEY). Returns the key."""
    from tests.conftest import staff_key
    from tests.e2e.conftest import add_officer

    add_officer(folder, OFFICER)
    return staff_key(folder / "config.toml", "kiosk-script")


def installed_env(env: dict[str, str] | None = None) -> dict[str, str]:
    """The environment of a measured process, as an installed counter-tui runs: with its
    compiled bytecode (pip writes it at install time), not recompiling every module at each
    start because the developer's shell says PYTHONDONTWRITEBYTECODE."""
    import compileall

    compileall.compile_dir(str(ROOT / "counter_tui"), quiet=1)
    out = {**os.environ, **(env or {})}
    out.pop("PYTHONDONTWRITEBYTECODE", None)
    return out


def load_config(folder: Path) -> Any:
    from counter_tui import config

    return config.parse(tomllib.loads((folder / "config.toml").read_text(encoding="utf-8")),
                        folder / "config.toml")


def acting(store: Any, role: str = "supervisor") -> Any:
    """`store` acting as an account of `role`: every service is gated (services/authority),
    and a benchmark measures the work, not the refusal."""
    from counter_tui.core.roles import Actor, Role

    store.actor = Actor(username=role, full_name=role, roles=frozenset({Role(role)}))
    return store


FIGURES: list[dict[str, Any]] = []  # every figure printed, for `--compare` (see __main__)


def summary(name: str, samples: list[float], unit: str = "ms", target: str = "",
            floor: tuple[str, list[float]] | None = None, p95: bool = False) -> str:
    """One figure's line; with `floor` (its name and samples taken in the same run), the
    floor's median beside it and the ratio of the medians; `p95` for a target on it."""
    ordered = sorted(samples)
    p90 = ordered[int(0.9 * (len(ordered) - 1))]
    median = statistics.median(ordered)
    tail = f"p95 {ordered[round(0.95 * (len(ordered) - 1))]:8.2f}  " if p95 else ""
    line = (f"{name:<44} median {median:8.2f} {unit}  p90 {p90:8.2f}  {tail}"
            f"min {ordered[0]:8.2f}  max {ordered[-1]:8.2f}  (n={len(ordered)})")
    if target:
        line += f"  target {target}"
    figure: dict[str, Any] = {"name": name, "median": median, "unit": unit}
    if floor is not None:
        floor_median = statistics.median(floor[1])
        ratio = median / floor_median if floor_median else float("inf")
        line += (f"\n{'':<4}floor: {floor[0]} median {floor_median:.2f} {unit} "
                 f"(same run), ratio {ratio:.2f}")
        figure.update(floor=floor[0], floor_median=floor_median, ratio=ratio)
    print(line, flush=True)
    FIGURES.append(figure)
    out = os.environ.get("COUNTER_PERF_FIGURES")
    if out:
        import json

        with open(out, "a", encoding="utf-8") as fh:
            fh.write(json.dumps(figure) + "\n")
    return line


class PtyApp:
    """The real `counter-tui` in a pseudo-terminal, as an officer's terminal runs it."""

    def __init__(self, cwd: Path, cols: int = 120, rows: int = 36,
                 env: dict[str, str] | None = None) -> None:
        self.cwd, self.cols, self.rows = cwd, cols, rows
        self.env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": str(cols),
                    "LINES": str(rows), **(env or {})}
        self.pid = -1
        self.fd = -1
        self.output = bytearray()
        self._sync_answered = False

    def start(self) -> float:
        started = time.perf_counter()
        pid, fd = pty.fork()
        if pid == 0:
            os.chdir(self.cwd)
            os.execve(str(COUNTER_TUI), [str(COUNTER_TUI)], self.env)
        self.pid, self.fd = pid, fd
        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", self.rows, self.cols, 0, 0))
        return started

    def pump(self, timeout: float = 0.005) -> None:
        ready, _, _ = select.select([self.fd], [], [], timeout)
        if ready:
            with contextlib.suppress(OSError):
                self.output += os.read(self.fd, 65536)
                if not self._sync_answered and SYNC_QUERY in self.output:
                    # answer as the terminals officers use do (Windows Terminal, kitty, foot):
                    # synchronized output is supported, so every frame comes wrapped in
                    # begin/end marks and a benchmark can tell when a screen is drawn whole
                    self._sync_answered = True
                    self.send(SYNC_SUPPORTED)

    def wait_for(self, marker: str, timeout: float = 10.0) -> float:
        needle = marker.encode()
        deadline = time.perf_counter() + timeout
        while needle not in self.output:
            if time.perf_counter() > deadline:
                raise TimeoutError(f"{marker!r} did not appear")
            self.pump()
        return time.perf_counter()

    def wait_for_frame(self, marker: str, timeout: float = 10.0) -> float:
        """Wait until a frame showing `marker` has been written out whole: Textual wraps each
        frame in synchronized-output marks (ESC [?2026h ... ESC [?2026l), so the first end
        mark after the marker is the moment the screen carrying it is on the terminal."""
        needle, end = marker.encode(), b"\x1b[?2026l"
        deadline = time.perf_counter() + timeout
        while True:
            at = self.output.find(needle)
            if at >= 0 and self.output.find(end, at) >= 0:
                return time.perf_counter()
            if time.perf_counter() > deadline:
                raise TimeoutError(f"no whole frame showing {marker!r}")
            self.pump(0.0002)

    def settle(self, quiet: float = 0.2, timeout: float = 5.0) -> None:
        """Read until the app has written nothing for `quiet` seconds (its toasts, a refresh),
        then forget it all: what is read next was drawn after this call."""
        deadline = time.perf_counter() + timeout
        last = time.perf_counter()
        while time.perf_counter() - last < quiet and time.perf_counter() < deadline:
            size = len(self.output)
            self.pump(0.01)
            if len(self.output) != size:
                last = time.perf_counter()
        self.output.clear()

    def until(self, check: Callable[[], bool], timeout: float = 5.0) -> float:
        """Poll `check` while draining the terminal (a full pty would stall the app)."""
        deadline = time.perf_counter() + timeout
        while not check():
            if time.perf_counter() > deadline:
                raise TimeoutError("condition not met")
            self.pump(0.0002)
        return time.perf_counter()

    def sign_in(self, timeout: float = 20.0) -> float:
        """Type the officer's username, Enter, PIN, Enter, as a card reader does, once the
        sign-in dialog is drawn whole; returns when the counter screen shows the store's
        groups. The time is when the keys were sent."""
        from tests.conftest import TEST_PIN

        self.wait_for_frame(SIGN_IN_HINT, timeout=timeout)
        sent = time.perf_counter()
        self.send(f"{OFFICER}\r{TEST_PIN}\r")
        self.wait_for(COUNTER_MARK, timeout=timeout)
        return sent

    def send(self, data: str) -> None:
        os.write(self.fd, data.encode())

    def cpu_ms(self) -> float:
        """CPU time (user + system) the app has used so far: on a loaded machine its start
        costs the same CPU, however long it waits for a core (clock ticks: 10 ms steps)."""
        fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")

    def rss_kb(self) -> int:
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
        return 0

    def stop(self) -> None:
        if self.pid > 0:
            try:
                self.send("\x11")  # Ctrl+Q
                deadline = time.perf_counter() + 3
                while time.perf_counter() < deadline:
                    self.pump(0.02)
                    done, _ = os.waitpid(self.pid, os.WNOHANG)
                    if done:
                        break
                else:
                    os.kill(self.pid, signal.SIGKILL)
                    os.waitpid(self.pid, 0)
            except (OSError, ChildProcessError):
                pass
            os.close(self.fd)
            self.pid = -1
