"""Queue tickets: tickets issued and printed per second through the services, then F2 ->
ticket bytes in the printer file (the real app in a pty, as an officer presses the keys),
printed beside the services' time for one ticket in the same run (its floor: what the key
adds is the app's own)."""

from __future__ import annotations

import sys
import time
from functools import partial

from tests.perf.common import (
    PtyApp,
    installed_env,
    load_config,
    office_dir,
    summary,
    with_officer,
)

F2 = "\x1bOQ"
# the dialog's last line: a frame showing it shows the whole dialog
DIALOG_HINT = "Gõ chữ cái của nhóm"


def bench_keypress(runs: int, service: list[float]) -> None:
    """An officer presses F2, sees the dialog, presses A: from F2 to the ticket's bytes at
    the printer. A is sent the moment a whole frame showing the dialog is on the terminal
    (the officer cannot answer a dialog before seeing it), never after a blind pause. Then
    F2 and A sent together, as a macro sends them (the key queue holds A for the dialog).
    `service`: issue + print one ticket through the services, in this run (the floor)."""
    folder = office_dir()
    printer = folder / "data" / "printer.out"
    with_officer(folder)
    app = PtyApp(folder, env=installed_env())
    app.start()
    app.sign_in(timeout=60)
    to_dialog, to_bytes, after_a, burst = [], [], [], []
    try:
        for i in range(runs + 3):
            app.settle()  # the last ticket's toast and refresh are drawn and forgotten
            before = printer.stat().st_size if printer.exists() else 0
            pressed = time.perf_counter()
            app.send(F2)
            shown = app.wait_for_frame(DIALOG_HINT)
            app.send("a")
            done = app.until(lambda b=before: printer.exists() and printer.stat().st_size > b)
            if i >= 3:  # the first tickets after the start: not the steady state
                to_dialog.append((shown - pressed) * 1000)
                to_bytes.append((done - pressed) * 1000)
                after_a.append((done - shown) * 1000)
            time.sleep(0.6)  # an officer issues at most one a second; toasts then do not pile up
        for _ in range(runs):  # F2 and A in one burst, as a macro or a fast typist sends them
            app.settle()
            before = printer.stat().st_size if printer.exists() else 0
            pressed = time.perf_counter()
            app.send(F2 + "a")
            done = app.until(lambda b=before: printer.exists() and printer.stat().st_size > b)
            burst.append((done - pressed) * 1000)
            time.sleep(0.6)
    finally:
        app.stop()
    floor = ("issue + print one ticket (services)", service)
    summary("F2 -> new-ticket dialog drawn", to_dialog)
    summary("F2, A on sight -> ticket bytes (from F2)", to_bytes)
    summary("  of which A -> ticket bytes", after_a, floor=floor, p95=True,
            target="<= 10 ms median, p95 <= 25 ms")
    summary("F2 A in one burst -> ticket bytes", burst, floor=floor, p95=True)


def bench_throughput(count: int) -> list[float]:
    from counter_tui.printing.spooler import drain
    from counter_tui.services import printjobs, queue
    from counter_tui.services.store import open_store
    from tests.conftest import sign_in_as

    cfg = load_config(office_dir())
    store = sign_in_as(open_store(cfg), cfg.terminal.officer, cfg.terminal.officer_name)
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
    return samples


def main(quick: bool = False) -> None:
    from tests.perf import floors

    print(floors.load(), flush=True)
    service = bench_throughput(200 if quick else 1000)  # the floor of the key's figures
    bench_keypress(10 if quick else 30, service)
    print(floors.load(), flush=True)


if __name__ == "__main__":
    main("--quick" in sys.argv)
