"""Start -> counter screen usable: the real `counter-tui` in a pty, timed until the queue table
shows the groups read from the store (not just the first frame), and the RSS it settles at.

Also a bare Textual app in the same pty, for comparison.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from tests.perf.common import COUNTER_TUI, PtyApp, office_dir, summary

BARE = """
from textual.app import App
from textual.widgets import Static
class Bare(App):
    def compose(self):
        yield Static("BARE-READY")
Bare().run()
"""


def _time_start(folder: Path, marker: str, runs: int, env: dict[str, str] | None = None
                ) -> tuple[list[float], list[int]]:
    samples, rss = [], []
    for _ in range(runs):
        app = PtyApp(folder, env=env)
        started = app.start()
        ready = app.wait_for(marker, timeout=20)
        samples.append((ready - started) * 1000)
        time.sleep(0.3)
        rss.append(app.rss_kb())
        app.stop()
    return samples, rss


def bench_bare(runs: int) -> None:
    folder = office_dir()
    script = folder / "bare.py"
    script.write_text(BARE)
    samples = []
    for _ in range(runs):
        app = PtyApp(folder)
        app.pid = -1
        import os
        import pty

        started = time.perf_counter()
        pid, fd = pty.fork()
        if pid == 0:
            os.execv(sys.executable, [sys.executable, str(script)])
        app.pid, app.fd = pid, fd
        samples.append((app.wait_for("BARE-READY") - started) * 1000)
        app.send("\x11")
        app.stop()
    summary("bare Textual app: start -> first frame", samples, target="(reference)")


def bench_app(runs: int, db_url: str | None = None, label: str = "") -> None:
    folder = office_dir(db_url)
    warm = PtyApp(folder)  # first start creates and seeds the store: not what is measured
    warm.start()
    warm.wait_for("Hộ tịch", timeout=30)
    warm.stop()
    samples, rss = _time_start(folder, "Bưu chính công ích", runs)
    summary(f"start -> counter screen usable{label}", samples, target="<= 350 ms")
    summary(f"RSS after start{label}", [r / 1024 for r in rss], unit="MB",
            target="<= 120 MB" if db_url else "")


def main(quick: bool = False) -> None:
    if not COUNTER_TUI.exists():
        raise SystemExit("counter-tui is not installed in this environment")
    runs = 5 if quick else 15
    bench_bare(runs)
    bench_app(runs)
    if not quick:  # the memory target is for a province's store
        from tests.perf.dataset import build

        path = build(1_000_000, 2_000_000)
        bench_app(5, f"sqlite:///{path}", label=" (1 M dossiers)")


if __name__ == "__main__":
    main("--quick" in sys.argv)
