"""The legal forms (Mẫu 01-06) from a real store: each form for a dossier with long Vietnamese
names and addresses and many documents, read back from the PDF (pypdf) for every field and
every Vietnamese letter, its pages counted and measured; an office's own template; values
that look like layout printed as typed."""

from __future__ import annotations

import datetime as dt
import io
import re
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from counter_tui.core.errors import UserError
from counter_tui.core.intake import DocumentLine, DossierDraft
from counter_tui.core.legal_forms import Form, parse_form
from counter_tui.printing.pdf.output import form_pdf
from counter_tui.services import intake, legal_forms, lifecycle
from counter_tui.services.store import Store

# every letter Vietnamese writes, both cases, precomposed (NFC)
LOWER = ("aàáảãạăằắẳẵặâầấẩẫậbcdđeèéẻẽẹêềếểễệghiìíỉĩịklmnoòóỏõọôồốổỗộơờớởỡợpqrstuùúủũụ"
         "ưừứửữựvxyỳýỷỹỵ")
LETTERS = LOWER + LOWER.upper()
NAME = "Nguyễn Thị Phượng Hoàng Ánh Tuyết Khuê Ngọc Diệp"
REPRESENTATIVE = "Trương Văn Quyết Thắng"
ADDRESS = "Số 118, ngõ 112/45 Nguyễn Trãi, Thượng Đình, Thanh Xuân, Hà Nội; " + LETTERS
DOCUMENTS = [DocumentLine(f"Bản sao giấy tờ chứng minh nơi cư trú của người được ủy quyền số {i}",
                          1, i % 3) for i in range(1, 41)]
A4 = (595, 842)  # points, rounded
A5 = (420, 595)
UNIT = "Công chức Tư pháp - Hộ tịch xã Đông Hưng"
TAKER = "Lê Văn Hùng Cường"


def squash(text: str) -> str:
    """Text without white space (a long value wraps across lines), NFC."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFC", text))


def pdf_text(data: bytes) -> tuple[str, PdfReader]:
    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() or "" for page in reader.pages), reader


def size(reader: PdfReader, page: int = 0) -> tuple[int, int]:
    box = reader.pages[page].mediabox
    return round(float(box.width)), round(float(box.height))


def receive(store: Store, documents: list[DocumentLine] = DOCUMENTS,
            address: str = ADDRESS) -> str:
    draft = DossierDraft(channel="walk_in", procedure_code="HT-KS", applicant_name=NAME,
                         id_number="001090012345", phone="0912345678", address=address,
                         representative=REPRESENTATIVE, representative_id="001085012346",
                         documents=documents)
    return intake.receive(store, draft).dossier.code


def pdf_of(store: Store, code: str, form: Form, paper: str = "") -> bytes:
    context = legal_forms.dossier_context(store, code, form)
    page = legal_forms.form_slip(store, form, context, paper).blocks[0]
    return form_pdf(page)  # type: ignore[arg-type]


@pytest.fixture
def forms_store(open_test_store: Any, clock: Any) -> Store:
    clock.now = dt.datetime(2026, 5, 12, 8, 0)  # a Tuesday
    return open_test_store(forms={"authority": "Ủy ban nhân dân huyện Đông Hưng",
                                  "place": "Đông Hưng"})


def check_common(text: str, code: str) -> None:
    flat = squash(text)
    for value in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
                  "ỦY BAN NHÂN DÂN HUYỆN ĐÔNG HƯNG", f"Số: {code}", "Đông Hưng, ngày",
                  "tháng 05 năm 2026", code, NAME):
        assert squash(value) in flat, value


def test_receipt_mau01_holds_every_field_and_letter_on_two_a4_pages(forms_store: Store) -> None:
    code = receive(forms_store)
    data = pdf_of(forms_store, code, Form.RECEIPT)
    text, reader = pdf_text(data)
    check_common(text, code)
    flat = squash(text)
    for value in ("GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ", ADDRESS, "0912345678",
                  "0010******45", REPRESENTATIVE, "Đăng ký khai sinh", "Số lượng hồ sơ: 1",
                  "08 giờ 00 phút, ngày 12/05/2026", "NGƯỜI NỘP HỒ SƠ",
                  "NGƯỜI TIẾP NHẬN HỒ SƠ", "(Ký và ghi rõ họ tên)"):
        assert squash(value) in flat, value
    for doc in DOCUMENTS:  # every document, on whichever page it fell
        assert squash(doc.name) in flat, doc.name
    assert "001090012345" not in flat  # the ID number is masked, as on the thermal slip
    for letter in LETTERS:
        assert letter in flat, letter
    assert len(reader.pages) >= 2
    assert all(size(reader, i) == A4 for i in range(len(reader.pages)))
    assert squash("Tên giấy tờ") in squash(reader.pages[1].extract_text())  # heading again


def test_receipt_on_a5_and_a_short_one_on_one_a4_page(forms_store: Store) -> None:
    code = receive(forms_store, DOCUMENTS[:3], address="Thôn 3, xã Đông Hưng")
    text, reader = pdf_text(pdf_of(forms_store, code, Form.RECEIPT, "A5"))
    assert len(reader.pages) in (1, 2)
    assert size(reader) == A5
    assert squash(DOCUMENTS[2].name) in squash(text)
    _, a4 = pdf_text(pdf_of(forms_store, code, Form.RECEIPT))
    assert len(a4.pages) == 1 and size(a4) == A4


def test_supplements_apology_and_control_sheet_from_the_dossier_events(
        forms_store: Store, clock: Any) -> None:
    code = receive(forms_store)
    lifecycle.handover(forms_store, code, to_unit=UNIT, received_by=TAKER)
    clock.advance(hours=2)
    missing = [f"Giấy xác nhận tình trạng hôn nhân bản chính do Ủy ban nhân dân cấp xã nơi "
               f"thường trú cấp, kèm bản dịch công chứng, số {i}" for i in range(1, 21)]
    lifecycle.request_supplements(forms_store, code, missing=missing,
                                  reason="Thiếu giấy tờ chứng minh quan hệ nhân thân",
                                  deadline="19/05/2026")
    text, reader = pdf_text(pdf_of(forms_store, code, Form.SUPPLEMENT))
    check_common(text, code)
    flat = squash(text)
    for value in ("PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ", ADDRESS,
                  "Thiếu giấy tờ chứng minh quan hệ nhân thân", "ngày 19/05/2026", *missing):
        assert squash(value) in flat, value
    assert len(reader.pages) >= 2

    clock.advance(days=1)
    lifecycle.supplements_received(forms_store, code, documents=missing)
    lifecycle.apologise(forms_store, code, reason="Cơ quan cấp trên chưa trả lời xác minh",
                      new_due="29/05/2026")
    text, _ = pdf_text(pdf_of(forms_store, code, Form.APOLOGY))
    check_common(text, code)
    flat = squash(text)
    for value in ("PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ",
                  "Cơ quan cấp trên chưa trả lời xác minh", "ngày 29/05/2026",
                  "THỦ TRƯỞNG CƠ QUAN"):
        assert squash(value) in flat, value

    for i in range(12):  # enough hand-overs for a second page
        lifecycle.handover(forms_store, code, to_unit=f"{UNIT} tổ {i % 2}",
                           received_by=f"{TAKER} {i}")
    text, reader = pdf_text(pdf_of(forms_store, code, Form.CONTROL))
    check_common(text, code)
    flat = squash(text)
    for value in ("PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ", "Bộ phận Một cửa", UNIT,
                  f"{TAKER} 11", "Tên cơ quan, đơn vị giao"):
        assert squash(value) in flat, value
    assert len(reader.pages) >= 2


def test_refusal_mau03(forms_store: Store) -> None:
    code = receive(forms_store, DOCUMENTS[:2])
    with pytest.raises(UserError) as no_step:  # nothing refused yet: said, not an empty form
        pdf_of(forms_store, code, Form.REFUSAL)
    assert code in str(no_step.value)
    lifecycle.refuse(forms_store, code, reason="Thủ tục không thuộc thẩm quyền của xã")
    text, reader = pdf_text(pdf_of(forms_store, code, Form.REFUSAL))
    check_common(text, code)
    assert squash("PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ") in squash(text)
    assert squash("Thủ tục không thuộc thẩm quyền của xã") in squash(text)
    assert size(reader) == A4


def test_register_mau06_is_a_landscape_period(forms_store: Store, clock: Any) -> None:
    codes = []
    for _ in range(30):
        codes.append(receive(forms_store, DOCUMENTS[:1]))
        clock.advance(minutes=10)
    context = legal_forms.register_context(forms_store, dt.date(2026, 5, 1),
                                           dt.date(2026, 5, 31))
    page = legal_forms.form_slip(forms_store, Form.REGISTER, context).blocks[0]
    text, reader = pdf_text(form_pdf(page))  # type: ignore[arg-type]
    flat = squash(text)
    for value in ("SỔ THEO DÕI HỒ SƠ", "Từ ngày 01/05/2026 đến ngày 31/05/2026",
                  "Tổng số hồ sơ: 30", *codes):
        assert squash(value) in flat, value
    width, height = size(reader)
    assert (width, height) == (A4[1], A4[0])  # landscape


def test_an_office_template_changes_the_words_without_code(open_test_store: Any,
                                                          tmp_path: Path) -> None:
    own = tmp_path / "mau"
    own.mkdir()
    (own / "mau01.txt").write_text(
        "title BIÊN NHẬN CỦA XÃ ĐÔNG HƯNG\nqr {{ code }}\nfield Người nộp | {{ applicant }}\n"
        "field Địa chỉ | {{ address }}\n", encoding="utf-8")
    store = open_test_store(forms={"templates": str(own)})
    draft = DossierDraft(channel="walk_in", procedure_code="HT-KS",
                         applicant_name="Lê Thị Hoa", id_number="001090012345",
                         phone="0912345678", address="Thôn 3 **Đậm** | xã -- Hưng \\ tổ 5",
                         documents=[DocumentLine("Tờ khai", 1, 0)])
    code = intake.receive(store, draft).dossier.code
    text, _ = pdf_text(pdf_of(store, code, Form.RECEIPT))
    flat = squash(text)
    assert squash("BIÊN NHẬN CỦA XÃ ĐÔNG HƯNG") in flat
    assert "GIẤYTIẾPNHẬN" not in flat  # the shipped wording is not there
    # what a person typed stays text: no bold, no new cell, no escape
    assert squash("Địa chỉ: Thôn 3 **Đậm** | xã -- Hưng \\ tổ 5") in flat


def test_form_names_parse_and_an_unknown_one_says_which() -> None:
    assert parse_form("1") is Form.RECEIPT
    assert parse_form("Mẫu 06") is Form.REGISTER
    with pytest.raises(UserError) as bad:
        parse_form("07")
    assert "07" in str(bad.value)
