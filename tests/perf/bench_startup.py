"""Start -> usable, the real `counter-tui` in a pty, as an officer's terminal starts it.

The app opens on the sign-in, so two figures:
- start -> sign-in ready for keys: the first whole frame showing the sign-in dialog (keys typed
  from then on land in its username field; keys typed earlier wait in the key queue);
- sign-in -> counter screen usable: from the username, Enter, PIN, Enter sent in one burst (as
  a card reader types them) to the queue table showing the groups read from the store.
Beside the first, in the same rounds, a bare Textual app's first frame in the same pty (its
floor), in wall time and in CPU time (which other people's work on the machine inflates far
less); and the RSS the app settles at.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from tests.perf import floors
from tests.perf.common import (
    COUNTER_TUI,
    SIGN_IN_HINT,
    PtyApp,
    installed_env,
    office_dir,
    summary,
    with_officer,
)


def _time_start(folder: Path, runs: int, env: dict[str, str]
                ) -> tuple[list[float], list[float], list[int], list[float]]:
    """The app's start and a bare Textual app's, one after the other in each round."""
    to_sign_in, to_counter, rss, bare = [], [], [], []
    for _ in range(runs):
        bare.append(floors.bare_textual())
        app = PtyApp(folder, env=env)
        started = app.start()
        ready = app.wait_for_frame(SIGN_IN_HINT, timeout=20)
        to_sign_in.append((ready - started) * 1000)
        floors.CPU.setdefault("sign-in", []).append(app.cpu_ms())
        sent = app.sign_in()
        to_counter.append((time.perf_counter() - sent) * 1000)
        time.sleep(0.3)
        rss.append(app.rss_kb())
        app.stop()
    return to_sign_in, to_counter, rss, bare


def bench_app(runs: int, db_url: str | None = None, label: str = "") -> None:
    folder = office_dir(db_url)
    with_officer(folder)
    env = installed_env()
    warm = PtyApp(folder, env=env)  # the first start takes the day's backup: not measured
    warm.start()
    warm.sign_in(timeout=60)
    warm.stop()
    to_sign_in, to_counter, rss, bare = _time_start(folder, runs, env)
    summary(f"bare Textual app: start -> first frame{label}", bare)
    summary(f"start -> sign-in ready for keys{label}", to_sign_in,
            target="<= 1.5 x bare Textual", floor=("bare Textual start", bare))
    summary(f"  CPU time: start -> sign-in ready{label}", floors.CPU.pop("sign-in"),
            floor=("bare Textual start, CPU", floors.CPU.pop("bare Textual")))
    summary(f"sign-in -> counter screen usable{label}", to_counter)
    summary(f"start -> counter screen, with the sign-in{label}",
            [a + b for a, b in zip(to_sign_in, to_counter, strict=True)],
            floor=("bare Textual start", bare))
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
