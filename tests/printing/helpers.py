"""Shared material for the printing tests: the Vietnamese alphabet, realistic slips, iconv."""

from __future__ import annotations

import os
import shutil
import subprocess
import unicodedata
from typing import Any

import pytest

from counter_tui.config import PrinterConfig
from counter_tui.core.layout import QR, Cut, Feed, Field, Rule, Slip, Text

VOWELS = "aăâeêioôơuưy"
TONE_MARKS = ("", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323")


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


# Every vowel with every tone, row by row ("a à á ả ã ạ"), then đ.
ROWS_LOWER = [" ".join(_nfc(v + t) for t in TONE_MARKS) for v in VOWELS] + ["đ d"]
ROWS_UPPER = [row.upper() for row in ROWS_LOWER]
LETTERS_LOWER = sorted({ch for row in ROWS_LOWER for ch in row if ord(ch) > 127})
LETTERS_UPPER = sorted(ch.upper() for ch in LETTERS_LOWER)
ALPHABET = LETTERS_LOWER + LETTERS_UPPER
assert len(ALPHABET) == 134, len(ALPHABET)

PAYLOAD = "000.17.22.H56-261122-0001"
OFFICE = "UBND xã Minh Hòa"
PROCEDURE = "Đăng ký khai sinh"
APPLICANT = "Nguyễn Văn Đạt"
BYTE_MODES = ("tcvn3", "cp1258", "ascii")
ALL_MODES = (*BYTE_MODES, "raster")


def printer(mode: str, **changes: Any) -> PrinterConfig:
    return PrinterConfig(text_mode=mode, **changes)


def alphabet_slip() -> Slip:
    rows = ROWS_LOWER + ROWS_UPPER
    return Slip("test", tuple(Text(row) for row in rows))


def receipt_slip(applicant: str = APPLICANT) -> Slip:
    """A receipt (Mẫu 01 in short) as the counter prints it: about 25 lines and a QR code."""
    return Slip("receipt", (
        Text(OFFICE, align="center", bold=True),
        Text("BỘ PHẬN TIẾP NHẬN VÀ TRẢ KẾT QUẢ", align="center"),
        Rule(),
        Text("GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ", align="center", bold=True),
        Field("Mã hồ sơ", PAYLOAD, bold=True),
        Field("Người nộp", applicant),
        Field("Điện thoại", "0912 345 678"),
        Field("Số CCCD", "0012******45"),
        Field("Thủ tục", PROCEDURE),
        Field(
            "Giấy tờ đã nhận",
            "Tờ khai đăng ký khai sinh (bản chính: 1); Giấy chứng sinh (bản chính: 1); "
            "CCCD của cha, mẹ (bản sao: 2)",
        ),
        Field("Số bộ hồ sơ", "1"),
        Field("Thời hạn giải quyết", "1 ngày làm việc"),
        Field("Nhận lúc", "09:15 22/11/2026"),
        Field("Hẹn trả kết quả", "09:15 23/11/2026", bold=True),
        Field("Nơi trả kết quả", "Quầy số 2, Bộ phận Một cửa UBND xã Minh Hòa"),
        Field("Lệ phí", "Miễn lệ phí"),
        Field("Người tiếp nhận", "Trần Thị Ánh Tuyết"),
        Rule("="),
        QR(PAYLOAD),
        Text("Quét mã để tra cứu tình trạng hồ sơ", align="center"),
        Text("Vui lòng mang theo giấy này khi đến nhận kết quả.", align="center"),
        Feed(2),
        Cut(),
    ))


def ticket_slip() -> Slip:
    return Slip("ticket", (
        Text(OFFICE, align="center", bold=True),
        Text(PROCEDURE, align="center"),
        Rule(),
        Text("SỐ THỨ TỰ", align="center", bold=True),
        Text("A015", align="center", bold=True, scale=4),
        Field("Mời đến quầy", "1, 2"),
        Field("Số người chờ trước", "3"),
        QR(PAYLOAD, module=5),
        Cut(),
    ))


def iconv(text: str, target: str) -> bytes:
    """glibc's iconv, the independent reference for text bytes."""
    if shutil.which("iconv") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("iconv (glibc, package libc-bin) is required under CI")
        pytest.skip("iconv is not installed: cannot compare text bytes with glibc")
    result = subprocess.run(
        ["iconv", "-f", "UTF-8", "-t", target], input=text.encode(), capture_output=True,
        check=True,
    )
    return result.stdout


def without_table_switches(data: bytes) -> bytes:
    """The bytes with every ESC t n removed."""
    out = bytearray()
    i = 0
    while i < len(data):
        if data[i : i + 2] == b"\x1bt":
            i += 3
            continue
        out.append(data[i])
        i += 1
    return bytes(out)
