"""Queue tickets: F2 -> ticket bytes in the printer file (the real app in a pty, as an officer
presses the keys), and tickets issued and printed per second through the services."""

from __future__ import annotations

import sys
import time
from functools import partial

from tests.perf.common import PtyApp, load_config, office_dir, summary

F2 = "\x1bOQ"


def bench_keypress(runs: int) -> None:
    folder = office_dir()
    printer = folder / "data" / "printer.out"
    app = PtyApp(folder)
    app.start()
    app.wait_for("Bưu chính công ích", timeout=30)
    samples = []
    try:
        for i in range(runs + 3):
            app.output.clear()
            app.send(F2)
            app.wait_for("Cấp số thứ tự")
            time.sleep(0.05)
            before = printer.stat().st_size if printer.exists() else 0
            started = time.perf_counter()
            app.send("a")
            done = app.until(lambda b=before: printer.exists() and printer.stat().st_size > b)
            if i >= 3:  # the first tickets warm the renderer (escpos import): not steady state
                samples.append((done - started) * 1000)
            time.sleep(0.6)  # an officer issues at most one a second; toasts then do not pile up
    finally:
        app.stop()
    summary("F2 'a' -> ticket bytes at the printer", samples, target="<= 10 ms median")


def bench_throughput(count: int) -> None:
    from counter_tui.printing.spooler import drain
    from counter_tui.services import printjobs, queue
    from counter_tui.services.store import open_store

    cfg = load_config(office_dir())
    store = open_store(cfg)
    args = (partial(printjobs.claim, store), partial(printjobs.sent, store),
            lambda j, r, t, m: printjobs.failed(store, j, r, transient=t, maybe_printed=m),
            cfg.printer)
    queue.issue(store, "A")
    drain(*args)
    samples = []
    started = time.perf_counter()
    for i in range(count):
        t0 = time.perf_counter()
        queue.issue(store, "ABCD"[i % 4])
        drain(*args)
        samples.append((time.perf_counter() - t0) * 1000)
    elapsed = time.perf_counter() - started
    summary("issue + print one ticket (services)", samples)
    print(f"{'tickets issued and printed per second':<44} {count / elapsed:8.0f} /s", flush=True)


def main(quick: bool = False) -> None:
    bench_keypress(10 if quick else 30)
    bench_throughput(200 if quick else 1000)


if __name__ == "__main__":
    main("--quick" in sys.argv)
