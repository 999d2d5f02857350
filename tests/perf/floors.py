"""What each figure is measured against, in the same run: on a shared, loaded machine an
absolute time says little, a ratio to the floor beside it says how much of it is ours.

- the interpreter's own start (`python -c pass`), for whole-process figures;
- a python-escpos `Dummy` text ticket as a whole process (import and build), for the command
  line's ticket;
- a bare Textual app's first frame in a pty, for the counter screen's start;
- one SQLite WAL commit (synchronous=NORMAL, as the store runs), for store figures; on
  PostgreSQL one committed insert on the same server.
"""

from __future__ import annotations

import os
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tests.perf.common import PtyApp

ESCPOS_TICKET = """
from escpos.printer import Dummy
p = Dummy()
p.set(align="center", double_height=True, double_width=True)
p.text("A001\\n")
p.set()
p.text("Ho tich - 08:15 01/12/2026\\n")
p.cut()
assert p.output
"""

BARE_TEXTUAL = """
from textual.app import App
from textual.widgets import Static
class Bare(App):
    def compose(self):
        yield Static("BARE-READY")
Bare().run()
"""


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"machine load (uptime): {one:.2f} {five:.2f} {fifteen:.2f} on {os.cpu_count()} cores"


CPU: dict[str, list[float]] = {}  # CPU milliseconds of each whole-process run, by label


def whole_process(argv: list[str], env: dict[str, str] | None = None,
                  cwd: Path | None = None, label: str = "") -> float:
    """Wall milliseconds of one run of `argv`, start to exit, its output thrown away; its CPU
    time (user + system, which other people's work on the machine inflates far less than the
    wall clock) is kept in CPU[label]."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True,
                   env=env, cwd=cwd)
    wall = (time.perf_counter() - started) * 1000
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    CPU.setdefault(label, []).append(
        (after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime) * 1000)
    return wall


def interpreter() -> float:
    return whole_process([sys.executable, "-c", "pass"], label="python -c pass")


def escpos_env() -> dict[str, str]:
    """escpos with its printer database pickled once, as the app imports it
    (printing/escpos_safe): without it every import parses YAML and the floor means nothing."""
    from counter_tui.printing import escpos_safe

    escpos_safe.load()  # writes the pickle into the cache folder if it is not there yet
    return {**os.environ, escpos_safe.PICKLE_ENV: str(escpos_safe.cache_dir())}


def escpos_ticket(env: dict[str, str]) -> float:
    return whole_process([sys.executable, "-c", ESCPOS_TICKET], env=env, label="escpos ticket")


def bare_textual() -> float:
    """Start -> first frame of a bare Textual app in the same pty the app is timed in."""
    folder = Path(tempfile.mkdtemp(prefix="counter-perf-bare-"))
    script = folder / "bare.py"
    script.write_text(BARE_TEXTUAL)
    app = PtyApp(folder)
    import pty

    started = time.perf_counter()
    pid, fd = pty.fork()
    if pid == 0:
        os.execv(sys.executable, [sys.executable, str(script)])
    app.pid, app.fd = pid, fd
    ready = app.wait_for("BARE-READY")
    CPU.setdefault("bare Textual", []).append(app.cpu_ms())
    app.stop()
    return (ready - started) * 1000


class WalCommit:
    """One small committed insert in an SQLite file in WAL mode, synchronous=NORMAL."""

    def __init__(self) -> None:
        folder = Path(tempfile.mkdtemp(prefix="counter-perf-wal-"))
        self.con = sqlite3.connect(folder / "floor.db", isolation_level=None)
        self.con.execute("PRAGMA journal_mode=wal")
        self.con.execute("PRAGMA synchronous=1")
        self.con.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)")

    def __call__(self) -> float:
        started = time.perf_counter()
        self.con.execute("BEGIN IMMEDIATE")
        self.con.execute("INSERT INTO t (v) VALUES ('x')")
        self.con.execute("COMMIT")
        return (time.perf_counter() - started) * 1000


class PostgresCommit:
    """One small committed insert on a PostgreSQL server, over its own connection."""

    def __init__(self, url: str) -> None:
        import psycopg2

        self.con = psycopg2.connect(url)
        with self.con, self.con.cursor() as cur:
            cur.execute("CREATE TABLE IF NOT EXISTS perf_floor (id serial PRIMARY KEY, v text)")

    def __call__(self) -> float:
        started = time.perf_counter()
        with self.con, self.con.cursor() as cur:
            cur.execute("INSERT INTO perf_floor (v) VALUES ('x')")
        return (time.perf_counter() - started) * 1000
