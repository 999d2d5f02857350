"""Intake save -> receipt bytes: receiving a dossier (checks, code, appointment, one
transaction) and printing its receipt, through the services as the form's worker does."""

from __future__ import annotations

import sys
import time
from functools import partial

from tests.perf.common import acting, load_config, office_dir, summary


def main(quick: bool = False) -> None:
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
    for i in range(1, (100 if quick else 500) + 1):
        before = printer.stat().st_size
        started = time.perf_counter()
        intake.receive(store, draft(i))
        drain(*args)
        samples.append((time.perf_counter() - started) * 1000)
        sizes.append(printer.stat().st_size - before)
    summary("intake save -> receipt bytes (tcvn3, 80 mm)", samples, target="<= 20 ms median")
    print(f"{'receipt size (tcvn3, 80 mm)':<44} {sum(sizes) / len(sizes):8.0f} bytes  "
          f"target <= 1.5 KB", flush=True)


if __name__ == "__main__":
    main("--quick" in sys.argv)
