"""Receiving dossiers and finding them again, on both engines: codes per agency and day, the
appointment, what is stored, the receipt as printed (decoded back), and look-ups by code, phone,
ID number and name without diacritics. The clock starts on Tuesday 12 May 2026, 08:00."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from counter_tui.core.intake import DocumentLine, DossierDraft, IntakeErrors
from counter_tui.core.layout import Slip
from counter_tui.db.models import AuditLog, Dossier, DossierDocument, DossierEvent, PrintJob
from counter_tui.printing.decode import decode
from counter_tui.printing.render import render
from counter_tui.services import dossiers, intake, lookup, printjobs

AGENCY = "000.17.22.H56"


def draft(**changes: Any) -> DossierDraft:
    values: dict[str, Any] = {
        "procedure_code": "HT-XNHN", "applicant_name": "Nguyễn Văn Đạt",
        "id_number": "001203004567", "phone": "0912 345 678",
        "address": "Số 1 đường Trần Hưng Đạo",
        "documents": [DocumentLine("Tờ khai cấp Giấy xác nhận tình trạng hôn nhân", 1, 0),
                      DocumentLine("Bản án ly hôn", 0, 1)],
    }
    values.update(changes)
    return DossierDraft(**values)


def printed(store: Any, job_id: int) -> Any:
    with store.read():
        slip = Slip.from_json(PrintJob.get_by_id(job_id).slip)
    return decode(render(slip, store.cfg.printer))


def test_a_walk_in_dossier_is_stored_with_its_code_appointment_and_receipt(store: Any) -> None:
    received = intake.receive(store, draft())
    d = received.dossier
    assert d.code == f"{AGENCY}-260512-0001"
    assert d.received_at == dt.datetime(2026, 5, 12, 8, 0)
    # 3 working days, the day of receipt not counted: Wed 13, Thu 14, Fri 15 -> Fri 17:00
    assert d.due_at == dt.datetime(2026, 5, 15, 17, 0)
    assert d.status == 2 and d.channel == "walk_in" and d.return_method == "counter"
    assert d.id_number_masked == "0012******67"
    with store.read():
        row = Dossier.get(Dossier.code == d.code)
        assert row.applicant_name == "Nguyễn Văn Đạt"
        assert row.applicant_folded == "nguyen van dat"
        assert row.phone == "0912345678" and row.id_number == "001203004567"
        assert row.fee_vnd == 3000  # the catalogue's fee
        docs = [(x.name, x.originals, x.copies) for x in DossierDocument.select()
                .where(DossierDocument.dossier == row.id).order_by(DossierDocument.position)]
        assert docs == [("Tờ khai cấp Giấy xác nhận tình trạng hôn nhân", 1, 0),
                        ("Bản án ly hôn", 0, 1)]
        events = [(e.action, e.to_status, e.counter, e.officer) for e in
                  DossierEvent.select().where(DossierEvent.dossier == row.id)]
        assert events == [("receive", 2, 1, "canbo1")]
        assert PrintJob.get_by_id(received.print_job).state == printjobs.QUEUED


def test_the_receipt_prints_the_code_the_names_and_the_appointment(store: Any) -> None:
    received = intake.receive(store, draft())
    out = printed(store, received.print_job)
    text = "\n".join(out.text)
    for expected in (received.dossier.code, "Nguyễn Văn Đạt", "0012******67", "0912345678",
                     "Cấp Giấy xác nhận tình trạng hôn nhân", "3 ngày làm việc",
                     "08:00 12/05/2026", "17:00 15/05/2026", "Nguyễn Thị Lan",
                     "1 bản chính", "1 bản sao", "3.000 đồng"):
        assert expected in text, expected
    assert "001203004567" not in text  # the ID number is masked on paper
    assert out.qr_payloads == [received.dossier.code]
    assert out.cuts == 1


def test_two_copies_when_the_office_asks(open_test_store: Any) -> None:
    store = open_test_store(printer={"receipt_copies": 2})
    out = printed(store, intake.receive(store, draft()).print_job)
    assert out.cuts == 2 and len(out.qr_payloads) == 2


def test_codes_run_per_day_and_restart_the_next_day(store: Any) -> None:
    codes = [intake.receive(store, draft(phone=f"091234567{i}")).dossier.code
             for i in range(3)]
    assert codes == [f"{AGENCY}-260512-000{n}" for n in (1, 2, 3)]
    store.clock.advance(days=1)
    assert intake.receive(store, draft()).dossier.code == f"{AGENCY}-260513-0001"


@pytest.mark.parametrize(("procedure", "at", "due"), [
    ("HT-KS", dt.datetime(2026, 5, 12, 14, 59), dt.datetime(2026, 5, 12, 17, 0)),
    ("HT-KS", dt.datetime(2026, 5, 12, 15, 0), dt.datetime(2026, 5, 13, 17, 0)),
    ("CTR-TT", dt.datetime(2026, 5, 12, 10, 0), dt.datetime(2026, 5, 21, 17, 0)),
    ("CTR-XN", dt.datetime(2026, 5, 15, 17, 30), dt.datetime(2026, 5, 19, 17, 0)),
], ids=["same-day-before-cutoff", "same-day-at-cutoff", "7-days", "friday-after-hours"])
def test_the_appointment_follows_the_procedure(store: Any, procedure: str, at: dt.datetime,
                                              due: dt.datetime) -> None:
    store.clock.now = at
    assert intake.preview_due(store, procedure) == due
    assert intake.receive(store, draft(procedure_code=procedure)).dossier.due_at == due


def test_a_bad_dossier_stores_nothing_and_names_every_field(store: Any) -> None:
    with pytest.raises(IntakeErrors) as caught:
        intake.receive(store, draft(applicant_name="A", phone="123", id_number="0012",
                                    documents=[DocumentLine("Tờ khai", 0, 0)]))
    assert set(caught.value.by_field()) == {"applicant_name", "phone", "id_number", "documents"}
    with pytest.raises(IntakeErrors) as unknown:
        intake.receive(store, draft(procedure_code="XX-99"))
    assert set(unknown.value.by_field()) == {"procedure"}
    with store.read():
        assert Dossier.select().count() == 0 and PrintJob.select().count() == 0
    # the failed attempts took no number: the next dossier is still 0001
    assert intake.receive(store, draft()).dossier.code.endswith("-0001")


def test_a_postal_dossier_records_the_waybill_and_returns_by_post(store: Any) -> None:
    d = intake.receive(store, draft(channel="post", post_option="3", waybill="EL123456785VN",
                                    postal_charge="25.000",
                                    delivery_address="Số 5 Lê Lợi, phường Bến Thành")).dossier
    assert (d.channel, d.post_option, d.waybill, d.postal_charge_vnd) == \
        ("post", 3, "EL123456785VN", 25000)
    assert d.return_method == "post" and d.delivery_address == "Số 5 Lê Lợi, phường Bến Thành"
    with pytest.raises(IntakeErrors) as caught:
        intake.receive(store, draft(channel="post", post_option="2"))
    assert "delivery_address" in caught.value.by_field()


def test_an_assisted_online_submission_keeps_the_portal_code(store: Any) -> None:
    d = intake.receive(store, draft(channel="online", portal_code="g22.145-260512-0007",
                                    vneid=True, paid_online=True)).dossier
    assert d.portal_code == "G22.145-260512-0007" and d.vneid and d.paid_online
    assert d.fee_vnd == 0  # the procedure's online fee
    assert d.level == "toàn trình"


def test_reprint_queues_one_more_receipt_and_logs_it(store: Any) -> None:
    code = intake.receive(store, draft()).dossier.code
    job = intake.reprint(store, code)
    shown = dossiers.show(store, code)
    assert [e.action for e in shown.events] == ["receive", "reprint_receipt"]
    assert [j.id for j in shown.print_jobs][-1] == job
    assert printed(store, job).qr_payloads == [code]


def test_lookups_by_code_phone_id_and_name(store: Any) -> None:
    first = intake.receive(store, draft()).dossier
    store.clock.advance(minutes=10)
    second = intake.receive(store, draft(applicant_name="Nguyễn Văn Đức",
                                         id_number="079301001234")).dossier
    intake.receive(store, draft(applicant_name="Trần Thị Bình", phone="0987654321",
                                id_number=""))

    scanned = lookup.find(store, first.code.lower() + "\r\n")  # as a scanner types it
    assert scanned.kind == "code" and [s.code for s in scanned.items] == [first.code]
    by_phone = lookup.find(store, "0912.345.678")
    assert by_phone.kind == "phone"
    assert [s.code for s in by_phone.items] == [second.code, first.code]  # newest first
    assert [s.code for s in lookup.find(store, "079301001234").items] == [second.code]
    by_name = lookup.find(store, "nguyen van d")
    assert by_name.kind == "name"
    # newest first, like every lookup
    assert [s.applicant_name for s in by_name.items] == ["Nguyễn Văn Đức", "Nguyễn Văn Đạt"]
    assert [s.code for s in lookup.find(store, "NGUYỄN VĂN ĐẠT").items] == [first.code]
    assert lookup.find(store, "le van").items == ()
    with store.read():
        assert AuditLog.select().where(AuditLog.action.startswith("find:")).count() == 6


def test_lookups_page_through_many_results(store: Any) -> None:
    made = []
    for i in range(45):
        store.clock.advance(minutes=1)
        made.append(intake.receive(store, draft(applicant_name=f"Lê Văn {chr(65 + i % 26)}"))
                    .dossier.code)
    pages = [lookup.find(store, "le van", page=n) for n in range(3)]
    assert [len(p.items) for p in pages] == [20, 20, 5]
    assert [p.has_more for p in pages] == [True, True, False]
    assert [s.code for p in pages for s in p.items] == made[::-1]  # newest first, each once
