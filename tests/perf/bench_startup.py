"""Start -> counter screen usable: the real `counter-tui` in a pty, timed until the queue table
shows the groups read from the store (not just the first frame), and the RSS it settles at.

Beside it, in the same rounds, a bare Textual app's first frame in the same pty (its floor).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from tests.perf import floors
from tests.perf.common import COUNTER_TUI, PtyApp, office_dir, summary


def _time_start(folder: Path, marker: str, runs: int, env: dict[str, str] | None = None
                ) -> tuple[list[float], list[int], list[float]]:
    """The app's start and a bare Textual app's, one after the other in each round."""
    samples, rss, bare = [], [], []
    for _ in range(runs):
        bare.append(floors.bare_textual())
        app = PtyApp(folder, env=env)
        started = app.start()
        ready = app.wait_for(marker, timeout=20)
        samples.append((ready - started) * 1000)
        time.sleep(0.3)
        rss.append(app.rss_kb())
        app.stop()
    return samples, rss, bare


def bench_app(runs: int, db_url: str | None = None, label: str = "") -> None:
    folder = office_dir(db_url)
    warm = PtyApp(folder)  # first start creates and seeds the store: not what is measured
    warm.start()
    warm.wait_for("Hộ tịch", timeout=30)
    warm.stop()
    samples, rss, bare = _time_start(folder, "Bưu chính công ích", runs)
    summary(f"bare Textual app: start -> first frame{label}", bare)
    summary(f"start -> counter screen usable{label}", samples,
            target="<= 1.5 x bare Textual", floor=("bare Textual start", bare))
    summary(f"RSS after start{label}", [r / 1024 for r in rss], unit="MB",
            target="<= 120 MB" if db_url else "")


def main(quick: bool = False) -> None:
    if not COUNTER_TUI.exists():
        raise SystemExit("counter-tui is not installed in this environment")
    runs = 5 if quick else 15
    print(floors.load(), flush=True)
    bench_app(runs)
    if not quick:  # the memory target is for a province's store
        from tests.perf.dataset import build

        path = build(1_000_000, 2_000_000)
        bench_app(5, f"sqlite:///{path}", label=" (1 M dossiers)")


if __name__ == "__main__":
    main("--quick" in sys.argv)
