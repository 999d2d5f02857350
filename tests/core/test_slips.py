"""The receipt's document counts speak each language's plural: "2 copies", "1 original"."""

from __future__ import annotations

from datetime import datetime

import pytest

from counter_tui.core.i18n import set_language
from counter_tui.core.layout import Text
from counter_tui.core.slips import ReceiptData, receipt_slip

AT = datetime(2026, 5, 12, 9, 15)


def receipt(documents: tuple[tuple[str, int, int], ...]) -> ReceiptData:
    return ReceiptData(
        office="UBND xã Minh Hòa", code="000.17.22.H56-260512-0001", applicant="Nguyễn Văn An",
        id_masked="", phone="", address="", representative="", procedure="Đăng ký khai sinh",
        channel_label="", documents=documents, sets=1, processing_days=1, same_day_cutoff=None,
        received_at=AT, due_at=AT, return_method="counter", delivery_address="", waybill="",
        postal_charge=0, portal_code="", fee=0, officer="")


def document_lines(data: ReceiptData) -> list[str]:
    return [b.text for b in receipt_slip(data).blocks
            if isinstance(b, Text) and b.text[:1].isdigit() and ". " in b.text]


@pytest.mark.parametrize(("lang", "lines"), [
    pytest.param("vi", ["1. Tờ khai: 1 bản chính", "2. CCCD: 2 bản sao",
                        "3. Giấy chứng sinh: 2 bản chính, 1 bản sao"], id="vi-one-form"),
    pytest.param("en", ["1. Tờ khai: 1 original", "2. CCCD: 2 copies",
                        "3. Giấy chứng sinh: 2 originals, 1 copy"], id="en-singular-and-plural"),
])
def test_document_counts_use_the_language_s_plural(lang: str, lines: list[str]) -> None:
    set_language(lang)
    data = receipt((("Tờ khai", 1, 0), ("CCCD", 0, 2), ("Giấy chứng sinh", 2, 1)))
    assert document_lines(data) == lines
