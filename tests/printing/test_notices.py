"""The lifecycle slips (Mẫu 02, 03, 04, 05, the supplements receipt and the result hand-over)
rendered to ESC/POS in every text mode and read back by the decoder: every word, the QR code
of the dossier and the cut come out."""

from __future__ import annotations

import re
from datetime import datetime

import pytest

from counter_tui.core.layout import QR, Field, Slip, Text, copies
from counter_tui.core.notices import (
    HandoverStep,
    NoticeHead,
    ResultHandover,
    apology_slip,
    control_slip,
    refusal_slip,
    result_slip,
    supplement_receipt_slip,
    supplement_request_slip,
)
from counter_tui.printing.decode import decode
from counter_tui.printing.render import render
from counter_tui.printing.textmodes import ascii_fold
from tests.printing.helpers import BYTE_MODES, printer

CODE = "000.17.22.H56-260512-0007"
HEAD = NoticeHead(office="UBND xã Minh Hòa - Bộ phận Một cửa", code=CODE,
                  applicant="Nguyễn Thị Ánh Tuyết", procedure="Xác nhận tình trạng hôn nhân",
                  received_at=datetime(2026, 5, 12, 8, 5), officer="Trần Văn Đức",
                  issued_at=datetime(2026, 5, 13, 14, 20), office_phone="0203 3812 345")


def slips() -> dict[str, Slip]:
    return {
        "supplement_request": supplement_request_slip(
            HEAD, missing=("Giấy chứng sinh (bản chính)", "Tờ khai có chữ ký của người yêu cầu"),
            reason="Hồ sơ thiếu giấy tờ theo quy định", deadline=datetime(2026, 5, 19, 17, 0)),
        "supplement_receipt": supplement_receipt_slip(
            HEAD, documents=("Giấy chứng sinh (bản chính)",),
            paused_at=datetime(2026, 5, 13, 14, 20), resumed_at=datetime(2026, 5, 18, 9, 0),
            waited_minutes=650, due_at=datetime(2026, 5, 19, 11, 0),
            original_due_at=datetime(2026, 5, 15, 17, 0)),
        "refusal": refusal_slip(HEAD, reason="Thủ tục không thuộc thẩm quyền của UBND xã; "
                                             "đề nghị nộp tại Sở Tư pháp"),
        "apology": apology_slip(HEAD, original_due_at=datetime(2026, 5, 15, 17, 0),
                                reason="Cần xác minh tại nơi cư trú trước đây",
                                new_due_at=datetime(2026, 5, 22, 17, 0)),
        "result": result_slip(HEAD, ResultHandover(
            due_at=datetime(2026, 5, 15, 17, 0), resolved_at=datetime(2026, 5, 14, 10, 0),
            returned_at=datetime(2026, 5, 15, 8, 30), ontime_label="Trước hạn",
            method="counter", collected_by="Nguyễn Thị Ánh Tuyết", id_masked="0011******45",
            rating_label="Rất hài lòng")),
        "result_post": result_slip(HEAD, ResultHandover(
            due_at=datetime(2026, 5, 15, 17, 0), resolved_at=datetime(2026, 5, 15, 16, 0),
            returned_at=datetime(2026, 5, 15, 16, 30), ontime_label="Đúng hạn", method="post",
            waybill="EL123456785VN")),
        "control": control_slip(HEAD, (
            HandoverStep("Công dân", "Bộ phận Một cửa", datetime(2026, 5, 12, 8, 5),
                         "Nguyễn Thị Ánh Tuyết", "Trần Văn Đức"),
            HandoverStep("Bộ phận Một cửa", "Công chức Tư pháp - Hộ tịch",
                         datetime(2026, 5, 12, 9, 0), "Trần Văn Đức", "Lê Văn Hùng"),
            HandoverStep("Công chức Tư pháp - Hộ tịch", "Bộ phận Một cửa",
                         datetime(2026, 5, 14, 10, 0), "Lê Văn Hùng", "Trần Văn Đức",
                         "Trước hạn"),
        )),
    }


def words(slip: Slip) -> list[str]:
    """What each Text and Field of the slip says, as a reader would read it."""
    out: list[str] = []
    for block in slip.blocks:
        if isinstance(block, Text):
            out.append(block.text)
        elif isinstance(block, Field):
            out.append(f"{block.label}: {block.value}")
    return out


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@pytest.mark.parametrize("mode", BYTE_MODES)
@pytest.mark.parametrize("name", list(slips()))
@pytest.mark.parametrize("paper", [58, 80])
def test_every_notice_decodes_back(name: str, mode: str, paper: int) -> None:
    slip = slips()[name]
    decoded = decode(render(slip, printer(mode, paper_mm=paper)))
    printed = flat(" ".join(decoded.text))
    for said in words(slip):
        expected = flat(ascii_fold(said) if mode == "ascii" else said)
        assert expected in printed, (expected, decoded.text)
    assert decoded.qr_payloads == [CODE] * sum(isinstance(b, QR) for b in slip.blocks)
    assert decoded.cuts == 1
    assert decoded.unknown == []


def test_supplement_request_line_by_line() -> None:
    decoded = decode(render(slips()["supplement_request"], printer("tcvn3")))
    lines = [line for line in decoded.text if line.strip()]
    assert lines == [
        "UBND xã Minh Hòa - Bộ phận Một cửa",
        "-" * 48,
        "PHIẾU YÊU CẦU BỔ SUNG,",
        "HOÀN THIỆN HỒ SƠ",
        f"Mã hồ sơ: {CODE}",
        f"[QR {CODE}]",
        "Người nộp: Nguyễn Thị Ánh Tuyết",
        "Thủ tục: Xác nhận tình trạng hôn nhân",
        "Tiếp nhận lúc: 08:05 12/05/2026",
        "-" * 48,
        "Hồ sơ cần bổ sung, hoàn thiện những nội dung",
        "sau:",
        "1. Giấy chứng sinh (bản chính)",
        "2. Tờ khai có chữ ký của người yêu cầu",
        "Lý do: Hồ sơ thiếu giấy tờ theo quy định",
        "-" * 48,
        "ĐỀ NGHỊ BỔ SUNG TRƯỚC",
        "19/05/2026",
        "-" * 48,
        "Thời gian chờ bổ sung không tính vào thời hạn",
        "giải quyết; ngày hẹn trả mới được báo khi nhận",
        "đủ hồ sơ.",
        "Liên hệ: Trần Văn Đức, ĐT 0203 3812 345",
        "Lập lúc: 14:20 13/05/2026",
        "Quét mã QR hoặc báo mã hồ sơ để tra cứu",
    ]
    assert decoded.cuts == 1


def test_apology_keeps_the_first_appointment_beside_the_new_one() -> None:
    decoded = decode(render(slips()["apology"], printer("cp1258")))
    printed = flat(" ".join(decoded.text))
    assert "Hẹn trả ban đầu: 17:00 15/05/2026" in printed
    assert printed.index("17:00 15/05/2026") < printed.index("17:00 22/05/2026")
    assert "Lý do chậm: Cần xác minh tại nơi cư trú trước đây" in printed


def test_result_slip_by_post_has_no_signature_of_a_collector() -> None:
    printed = flat(" ".join(decode(render(slips()["result_post"], printer("tcvn3"))).text))
    assert "Mã vận đơn: EL123456785VN" in printed
    assert "ký, ghi rõ họ tên" not in printed
    counter = flat(" ".join(decode(render(slips()["result"], printer("tcvn3"))).text))
    assert "Số giấy tờ: 0011******45" in counter and "(ký, ghi rõ họ tên)" in counter


def test_two_copies_cut_twice() -> None:
    decoded = decode(render(copies(slips()["refusal"], 2), printer("tcvn3")))
    assert decoded.cuts == 2
    assert decoded.qr_payloads == [CODE, CODE]
