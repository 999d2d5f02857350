"""The legal forms: time from a dossier's view to the PDF's bytes (template, layout, font
subset, compression) and the PDF's size, for Mẫu 01 as a desk prints it (5 documents), a long
Mẫu 01 (40 documents, two pages) and a month's Mẫu 06 (300 dossiers). Targets for Mẫu 01:
<= 50 ms and <= 60 KB. Figures only, no assertions.

    .venv/bin/python -m tests.perf.bench_forms [--quick]
"""

from __future__ import annotations

import datetime as dt
import sys
import time
from collections.abc import Callable

from counter_tui.core.legal_forms import Form, Office, dossier_form, register_form
from counter_tui.core.views import DocumentView, DossierView
from counter_tui.printing.pdf.render import render_pdf
from counter_tui.printing.pdf.templates import layout_lines
from tests.perf.common import summary

OFFICE = Office(name="UBND xã Đông Hưng", authority="UBND huyện Đông Hưng", place="Đông Hưng")
AT = dt.datetime(2026, 12, 1, 9, 15)


def dossier(documents: int) -> DossierView:
    docs = tuple(DocumentView(f"Bản sao giấy tờ chứng minh nơi cư trú số {i}", 1, i % 2)
                 for i in range(1, documents + 1))
    return DossierView(
        id=1, code="000.17.22.H56-261201-0002", office="", procedure_code="HT-KS",
        procedure_name="Đăng ký khai sinh", field="Hộ tịch", channel="walk_in", level="",
        status=2, applicant_name="Nguyễn Thị Phượng Hoàng", id_number_masked="0010******45",
        id_kind="cccd", phone="0912345678",
        address="Số 18, ngõ 112 đường Nguyễn Trãi, phường Thượng Đình, Hà Nội", email="",
        representative="", sets=1, fee_vnd=8000, received_at=AT,
        due_at=AT + dt.timedelta(days=3), original_due_at=None, paused_at=None,
        resolved_at=None, returned_at=None, return_method="counter", post_option=None,
        waybill="", postal_charge_vnd=0, delivery_address="", portal_code="", vneid=False,
        paid_online=False, ticket_id=None, officer="cb01", counter=1, rating=None, note="",
        documents=docs)


def receipt(documents: int) -> Callable[[], bytes]:
    view = dossier(documents)

    def make() -> bytes:
        ctx = dossier_form(Form.RECEIPT, view, OFFICE, officer="Trần Văn Bình", issued_at=AT,
                           processing_days=3)
        return render_pdf(layout_lines(Form.RECEIPT, ctx), paper="A4", code=view.code,
                          footer=f"Mẫu 01 {view.code}")
    return make


def register(rows: int) -> Callable[[], bytes]:
    lines = [{"stt": str(i), "code": f"000.17.22.H56-2611{i % 28 + 1:02d}-{i:04d}",
              "procedure": "Đăng ký khai sinh", "applicant": "Nguyễn Văn An",
              "address": "Thôn 3, xã Đông Hưng", "phone": "0912345678",
              "office": "UBND xã Đông Hưng", "received": "09:15 01/11/2026",
              "due": "17:00 04/11/2026", "returned": "", "return_method": "Tại quầy",
              "signed": ""} for i in range(1, rows + 1)]

    def make() -> bytes:
        ctx = register_form(lines, OFFICE, start=dt.date(2026, 11, 1),
                            end=dt.date(2026, 11, 30), issued_at=AT)
        ctx["officer"] = "Trần Văn Bình"
        return render_pdf(layout_lines(Form.REGISTER, ctx), paper="A4", landscape=True,
                          code=ctx["code"], footer="Mẫu 06")
    return make


def bench(name: str, make: Callable[[], bytes], runs: int, target: str = "") -> None:
    data = make()  # warm: imports, the templates' compilation
    samples, cpu = [], []
    for _ in range(runs):
        started, used = time.perf_counter(), time.process_time()
        data = make()
        samples.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - used) * 1000)
    summary(f"{name} ({len(data) / 1024:.1f} KB)", samples, target=target)
    # the CPU the form took: on a shared machine the wall time also counts others' work
    summary("  cpu time", cpu)


def main(quick: bool = False) -> None:
    runs = 5 if quick else 30
    bench("Mẫu 01, 5 documents, A4", receipt(5), runs, target="<= 50 ms, <= 60 KB")
    bench("Mẫu 01, 40 documents, 2 pages", receipt(40), max(3, runs // 3))
    bench("Mẫu 06, 300 dossiers, landscape", register(300), max(2, runs // 10))


if __name__ == "__main__":
    main("--quick" in sys.argv)
