"""Intake save -> receipt bytes: receiving a dossier (checks, code, appointment, one
transaction) and printing its receipt, through the services as the form's worker does.

Then F4 -> the intake form ready for keys, in the real app in a pty (as bench_queue's F2):
the time until a whole frame shows the form with its first field empty, beside the F2
dialog's in the same rounds (the app's simplest screen over the counter: what the form adds is
its own). After a pause, as between two dossiers, the form was built ahead (ui.ahead); right
after the last form closed it is built at the key, timed too, alone and with the first
field's text sent in the same burst, as a fast typist sends them, until the frame showing
that text (none of it lost to the form's opening)."""

from __future__ import annotations

import sys
import time
from functools import partial

from tests.perf.common import (
    PtyApp,
    acting,
    installed_env,
    load_config,
    office_dir,
    summary,
    with_officer,
)

F2, F4, ESC = "\x1bOQ", "\x1bOS", "\x1b"
DIALOG_HINT = "Gõ chữ cái của nhóm"  # the F2 dialog's last line (bench_queue)
FORM_HINT = "dang ky khai sinh"  # the empty procedure field's placeholder, past the cursor
TYPED = "qwxz"  # matches no procedure: the field shows it as typed
PAUSE = 2.0  # seconds an officer pauses between dossiers, long enough to build a form ahead


def main(quick: bool = False) -> None:
    bench_receipts(100 if quick else 500)
    bench_open_form(10 if quick else 20)


def bench_receipts(runs: int) -> None:
    from counter_tui.core.intake import DocumentLine, DossierDraft
    from counter_tui.printing.spooler import drain
    from counter_tui.services import intake, printjobs
    from counter_tui.services.store import open_store

    folder = office_dir()
    cfg = load_config(folder)
    store = acting(open_store(cfg), "officer")  # the services act as a signed-in officer
    printer = folder / "data" / "printer.out"
    args = (partial(printjobs.claim, store), partial(printjobs.sent, store),
            lambda j, r, t: printjobs.failed(store, j, r, transient=t), cfg.printer)

    def draft(i: int) -> DossierDraft:
        return DossierDraft(
            procedure_code="HT-XNHN", applicant_name="Nguyễn Văn Đạt", id_number="001203004567",
            phone=f"09{i:08d}", address="Số 1 đường Trần Hưng Đạo, xã Minh Hòa",
            documents=[DocumentLine("Tờ khai cấp Giấy xác nhận tình trạng hôn nhân", 1, 0),
                       DocumentLine("Bản án hoặc quyết định ly hôn", 0, 1)])

    intake.receive(store, draft(0))
    drain(*args)
    samples, sizes = [], []
    for i in range(1, runs + 1):
        before = printer.stat().st_size
        started = time.perf_counter()
        intake.receive(store, draft(i))
        drain(*args)
        samples.append((time.perf_counter() - started) * 1000)
        sizes.append(printer.stat().st_size - before)
    summary("intake save -> receipt bytes (tcvn3, 80 mm)", samples, target="<= 20 ms median")
    print(f"{'receipt size (tcvn3, 80 mm)':<44} {sum(sizes) / len(sizes):8.0f} bytes  "
          f"target <= 1.5 KB", flush=True)


def bench_open_form(runs: int) -> None:
    folder = office_dir()
    with_officer(folder)
    app = PtyApp(folder, env=installed_env())
    app.start()
    app.sign_in(timeout=60)
    dialog, form, form_burst, at_key, burst = [], [], [], [], []

    def press(keys: str, hint: str, out: list[float], i: int) -> None:
        pressed = time.perf_counter()
        app.send(keys)
        shown = app.wait_for_frame(hint)
        if i >= 2:  # the first openings load the screens' code: not the steady state
            out.append((shown - pressed) * 1000)

    def pause() -> None:
        app.settle()
        time.sleep(PAUSE)
        app.settle()

    def discard() -> None:
        app.settle()
        app.send(ESC)  # the suggestions (none), then the form: discard what was typed
        app.settle()
        app.send(ESC)
        app.settle()
        app.send("y")
        app.settle()

    try:
        for i in range(runs + 2):
            pause()
            press(F2, DIALOG_HINT, dialog, i)
            app.send(ESC)
            pause()
            press(F4, FORM_HINT, form, i)
            app.send(ESC)
            pause()
            press(F4 + TYPED, TYPED, form_burst, i)
            discard()
            press(F4, FORM_HINT, at_key, i)
            app.send(ESC)
            app.settle()
            press(F4 + TYPED, TYPED, burst, i)
            discard()
    finally:
        app.stop()
    floor = ("F2 dialog, same rounds", dialog)
    summary("F2 -> new-ticket dialog drawn (app)", dialog)
    summary("F4 -> intake form ready for keys", form, target="<= 100 ms", floor=floor)
    summary("  F4 + 4 letters at once -> shown", form_burst, floor=floor)
    summary("  the form built at the key (no pause)", at_key, floor=floor)
    summary("  F4 + 4 letters at once (no pause) -> shown", burst, floor=floor)


if __name__ == "__main__":
    main("--quick" in sys.argv)
