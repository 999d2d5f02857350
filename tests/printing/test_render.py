"""Slips rendered to ESC/POS bytes in every text mode and read back by the decoder."""

from __future__ import annotations

import re
import subprocess
import sys
from dataclasses import replace

import pytest
from PIL import Image

from counter_tui.core.layout import QR, Cut, Feed, Field, Rule, Slip, Text
from counter_tui.core.text import clean
from counter_tui.printing.decode import CutMark, Picture, decode
from counter_tui.printing.render import RenderError, field_lines, render
from counter_tui.printing.textmodes import CodeTables, RasterFont, ascii_fold, find_font
from tests.printing.helpers import (
    ALL_MODES,
    APPLICANT,
    BYTE_MODES,
    PAYLOAD,
    ROWS_LOWER,
    ROWS_UPPER,
    alphabet_slip,
    iconv,
    printer,
    receipt_slip,
    ticket_slip,
)

EVIL = "Nguyễn\x1b@\x1dV\x00 Văn\x10\x04\x01 Đạt\x1b\x74\x10\x1dV\x41\x00\x9b"


def _lines(text: list[str]) -> list[str]:
    return [line for line in text if line.strip()]


def _intended(mode: str, rows: list[str]) -> list[str]:
    return [ascii_fold(row) for row in rows] if mode == "ascii" else rows


@pytest.mark.parametrize("mode", BYTE_MODES)
def test_alphabet_round_trip(mode: str) -> None:
    data = render(alphabet_slip(), printer(mode))
    assert _lines(decode(data).text) == _intended(mode, ROWS_LOWER + ROWS_UPPER)


def test_alphabet_round_trip_raster(raster_font: None) -> None:
    config = printer("raster")
    decoded = decode(render(alphabet_slip(), config))
    rows = ROWS_LOWER + ROWS_UPPER
    assert len(decoded.images) == len(rows)
    font = RasterFont(find_font(), round(config.width_dots / config.width_columns * 1.7))
    for row, image in zip(rows, decoded.images, strict=True):
        expected = font.draw(row)
        assert expected is not None
        # GS v 0 pads each row to whole bytes with paper: compare the drawn width only
        assert image.crop((0, 0, expected.width, expected.height)).tobytes() == expected.tobytes()
        assert image.width - expected.width < 8
    assert decoded.text == [f"[raster {i.width}x{i.height}]" for i in decoded.images]


def test_tcvn3_text_bytes_are_glibc_bytes() -> None:
    data = render(Slip("t", tuple(Text(row) for row in ROWS_LOWER)), printer("tcvn3"))
    for row in ROWS_LOWER:
        assert iconv(row, "TCVN5712-1") + b"\n" in data


def test_cp1258_text_bytes_are_glibc_bytes() -> None:
    data = render(alphabet_slip(), printer("cp1258"))
    for row in ROWS_LOWER + ROWS_UPPER:
        assert iconv(row, "CP1258") + b"\n" in data


@pytest.mark.parametrize("mode", BYTE_MODES)
def test_receipt_round_trip(mode: str) -> None:
    decoded = decode(render(receipt_slip(), printer(mode)))
    expected = [
        "UBND xã Minh Hòa",
        "BỘ PHẬN TIẾP NHẬN VÀ TRẢ KẾT QUẢ",
        "-" * 48,
        "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
        "Mã hồ sơ: 000.17.22.H56-261122-0001",
        "Người nộp: Nguyễn Văn Đạt",
        "Điện thoại: 0912 345 678",
        "Số CCCD: 0012******45",
        "Thủ tục: Đăng ký khai sinh",
        "Giấy tờ đã nhận:",
        "  Tờ khai đăng ký khai sinh (bản chính: 1); Giấy",
        "  chứng sinh (bản chính: 1); CCCD của cha, mẹ",
        "  (bản sao: 2)",
        "Số bộ hồ sơ: 1",
        "Thời hạn giải quyết: 1 ngày làm việc",
        "Nhận lúc: 09:15 22/11/2026",
        "Hẹn trả kết quả: 09:15 23/11/2026",
        "Nơi trả kết quả:",
        "  Quầy số 2, Bộ phận Một cửa UBND xã Minh Hòa",
        "Lệ phí: Miễn lệ phí",
        "Người tiếp nhận: Trần Thị Ánh Tuyết",
        "=" * 48,
        f"[QR {PAYLOAD}]",
        "Quét mã để tra cứu tình trạng hồ sơ",
        "Vui lòng mang theo giấy này khi đến nhận kết",  # 49 characters: wrapped
        "quả.",
    ]
    assert _lines(decoded.text) == _intended(mode, expected)
    assert decoded.qr_payloads == [PAYLOAD]
    assert decoded.cuts == 1
    assert decoded.unknown == []


@pytest.mark.parametrize("mode", BYTE_MODES)
def test_ticket_number_is_scaled_four_times(mode: str) -> None:
    decoded = decode(render(ticket_slip(), printer(mode)))
    big = [item for item in decoded.items if getattr(item, "text", "") == "A015"]
    assert len(big) == 1
    assert (big[0].width, big[0].height, big[0].align) == (4, 4, "center")  # type: ignore[union-attr]
    after = decoded.items[decoded.items.index(big[0]) + 1]
    assert (after.width, after.height) == (1, 1)  # type: ignore[union-attr]


def test_scaled_text_wraps_to_a_quarter_of_the_columns() -> None:
    slip = Slip("t", (Text("ĐĂNG KÝ KHAI SINH", scale=4),))
    assert decode(render(slip, printer("tcvn3"))).text == ["ĐĂNG KÝ KHAI", "SINH"]
    assert decode(render(slip, printer("tcvn3", paper_mm=58))).text == ["ĐĂNG KÝ", "KHAI", "SINH"]


def test_ticket_number_is_large_in_raster(raster_font: None) -> None:
    decoded = decode(render(ticket_slip(), printer("raster")))
    heights = sorted(image.height for image in decoded.images)
    assert heights[-1] >= 4 * heights[len(heights) // 2] - 8  # the number, four lines high


@pytest.mark.parametrize("mode", ALL_MODES)
def test_field_layout(mode: str, raster_font: None) -> None:
    assert field_lines("Thủ tục", "Đăng ký khai sinh", 48) == ["Thủ tục: Đăng ký khai sinh"]
    assert field_lines("Nơi trả", "Quầy số 2, Bộ phận Một cửa", 20) == [
        "Nơi trả:", "  Quầy số 2, Bộ phận", "  Một cửa",
    ]
    slip = Slip("t", (Field("Nơi trả kết quả", "Quầy số 2, Bộ phận Một cửa UBND xã Minh Hòa"),))
    decoded = decode(render(slip, printer(mode)))
    if mode == "raster":
        assert len(decoded.images) == 2
    else:
        assert decoded.text == _intended(
            mode, ["Nơi trả kết quả:", "  Quầy số 2, Bộ phận Một cửa UBND xã Minh Hòa"]
        )


@pytest.mark.parametrize("mode", BYTE_MODES)
def test_rule_spans_the_paper(mode: str) -> None:
    slip = Slip("t", (Rule(), Rule("="), Rule("═")))  # no table here has box drawing
    assert decode(render(slip, printer(mode, paper_mm=58))).text == ["-" * 32, "=" * 32, "-" * 32]


@pytest.mark.parametrize("mode", ALL_MODES)
def test_qr_payload_comes_back_natively(mode: str, raster_font: None) -> None:
    data = render(ticket_slip(), printer(mode))
    decoded = decode(data)
    if mode == "raster":
        assert decoded.qr_payloads == []  # drawn, checked below
        assert b"\x1d(k" not in data
    else:
        assert decoded.qr_payloads == [PAYLOAD]
        assert b"\x1d(k" in data


def _qr_matrix_of(image: Image.Image, payload: str) -> bool:
    import qrcode

    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=2)
    code.add_data(payload)
    code.make(fit=True)
    matrix = code.get_matrix()
    count = len(matrix)
    module = image.height // count
    pixels = image.load()
    assert pixels is not None
    return module > 0 and all(
        (pixels[x * module + module // 2, y * module + module // 2] == 0) == matrix[y][x]
        for y in range(count)
        for x in range(count)
    )


@pytest.mark.parametrize(("mode", "profile"), [("raster", "default"), ("tcvn3", "simple")])
def test_qr_as_image_holds_the_payload(mode: str, profile: str, raster_font: None) -> None:
    """Raster mode, and profiles without native QR (escpos would send GS ( k anyway)."""
    data = render(ticket_slip(), printer(mode, profile=profile))
    assert b"\x1d(k" not in data
    decoded = decode(data, profile=profile)
    squares = [i for i in decoded.images if abs(i.width - i.height) < 8 and i.height > 100]
    assert len(squares) == 1
    assert _qr_matrix_of(squares[0], PAYLOAD)
    assert not _qr_matrix_of(squares[0], PAYLOAD.replace("0001", "0002"))


@pytest.mark.parametrize("mode", ALL_MODES)
@pytest.mark.parametrize("profile", ["simple", "ZJ-5870", "POS-5890"])
def test_cut_is_never_dropped(mode: str, profile: str, raster_font: None) -> None:
    slip = Slip("t", (Text("Bản 1"), Cut(), Text("Bản 2"), Feed(), Cut()))
    data = render(slip, printer(mode, profile=profile))
    assert data.count(b"\x1dV") == 2
    decoded = decode(data, profile=profile)
    assert decoded.cuts == 2
    assert [type(i) for i in decoded.items].count(CutMark) == 2


@pytest.mark.parametrize("mode", ALL_MODES)
def test_cut_is_sent_once_where_escpos_sends_it(mode: str, raster_font: None) -> None:
    data = render(Slip("t", (Text("x"), Cut())), printer(mode))
    assert data.count(b"\x1dV") == 1
    assert data.endswith(b"\x1bd\x06\x1dV\x00")  # feed past the cutter, then cut


@pytest.mark.parametrize("mode", BYTE_MODES)
def test_control_bytes_in_user_text_are_not_in_the_bytes(mode: str) -> None:
    evil = Slip("t", (Text(f"Người nộp: {EVIL}"), Field(EVIL, EVIL), Text(EVIL, scale=2)))
    data = render(evil, printer(mode))
    assert data.count(b"\x1b@") == 1 and data.startswith(b"\x1b@")
    # take away the commands the renderer itself sends: what is left is text and line feeds
    text = re.sub(rb"\x1b@|\x1c\.|\x1b[taEd!].|\x1d!.", b"", data, flags=re.DOTALL)
    assert [b for b in text if b < 0x20 and b != 0x0A] == []
    assert b"\x1dV" not in data and b"\x10" not in data


@pytest.mark.parametrize("mode", ALL_MODES)
def test_control_bytes_in_user_text_never_reach_the_printer(mode: str, raster_font: None) -> None:
    evil = Slip("t", (
        Text(f"Người nộp: {EVIL}"), Field(EVIL, EVIL), Rule("\x1b"), QR(EVIL), Text(EVIL, scale=2),
    ))
    data = render(evil, printer(mode))
    # exactly the job of the cleaned text: the control characters had no effect at all
    paragraph = clean(EVIL, multiline=True)  # Text may hold several lines: marks removed
    tidy = Slip("t", (
        Text(f"Người nộp: {paragraph}"), Field(clean(EVIL), clean(EVIL)), Rule("-"),
        QR(clean(EVIL)), Text(paragraph, scale=2),
    ))
    assert data == render(tidy, printer(mode))
    decoded = decode(data)
    assert decoded.unknown == []
    assert all(ch >= " " for line in decoded.text for ch in line)
    if mode != "raster":
        assert decoded.qr_payloads == [clean(EVIL)]
        assert "Đạt" in "".join(decoded.text) or mode == "ascii"


@pytest.mark.parametrize("profile", ["default", "simple"])
@pytest.mark.parametrize("mode", ALL_MODES)
def test_escpos_prints_nothing(
    mode: str, profile: str, raster_font: None, capsys: pytest.CaptureFixture[str]
) -> None:
    render(receipt_slip(), printer(mode, profile=profile))
    out, err = capsys.readouterr()
    assert (out, err) == ("", "")


@pytest.mark.parametrize("mode", BYTE_MODES)
def test_text_mode_receipt_is_small(mode: str) -> None:
    slip = replace(receipt_slip(), blocks=(ticket_slip().blocks[4], *receipt_slip().blocks))
    data = render(slip, printer(mode))
    assert len(_lines(decode(data).text)) >= 25
    assert len(data) <= 1500, len(data)


def test_raster_receipt_is_small(raster_font: None) -> None:
    slip = replace(receipt_slip(), blocks=(ticket_slip().blocks[4], *receipt_slip().blocks))
    data = render(slip, printer("raster"))
    assert len(decode(data).images) >= 25
    assert len(data) <= 40_000, len(data)


@pytest.mark.parametrize("mode", ALL_MODES)
def test_jobs_do_not_leak_state(mode: str, raster_font: None) -> None:
    config = printer(mode)
    first = render(receipt_slip(), config)
    render(alphabet_slip(), config)  # ends in table 31 (capitals) in tcvn3
    render(ticket_slip(), config)
    assert render(receipt_slip(), config) == first


@pytest.mark.parametrize("mode", BYTE_MODES)
def test_every_job_resets_then_selects_its_code_table(mode: str) -> None:
    table = {"tcvn3": 30, "cp1258": 52, "ascii": 0}[mode]
    data = render(Slip("t", (Text(APPLICANT),)), printer(mode))
    assert data.startswith(b"\x1b@\x1c.\x1bt" + bytes([table]))
    assert decode(data).tables[0] == table


def test_raster_job_starts_with_a_reset(raster_font: None) -> None:
    data = render(Slip("t", (Text(APPLICANT),)), printer("raster"))
    assert data.startswith(b"\x1b@") and b"\x1bt" not in data


def test_code_tables_follow_the_profile_or_the_override() -> None:
    slip = Slip("t", (Text("Đăng ký khai sinh"),))
    data = render(slip, printer("cp1258", profile="NT-5890K"))
    assert data.startswith(b"\x1b@\x1c.\x1bt\x1b")  # table 27 on this printer
    assert decode(data, profile="NT-5890K").text == ["Đăng ký khai sinh"]
    data = render(slip, printer("cp1258"), tables=CodeTables(cp1258=94))
    assert b"\x1bt\x5e" in data
    assert decode(data, profile="NT-5890K").text == ["Đăng ký khai sinh"]


def test_raster_images_fit_the_paper(raster_font: None) -> None:
    for paper, dots in ((58, 384), (80, 576)):
        decoded = decode(render(receipt_slip(), printer("raster", paper_mm=paper)))
        assert max(image.width for image in decoded.images) <= dots
    decoded = decode(render(receipt_slip(), printer("raster", profile="TM-T88V")))
    assert max(image.width for image in decoded.images) <= 512  # the profile's paper


def test_raster_centres_with_justification_not_padding(raster_font: None) -> None:
    decoded = decode(render(Slip("t", (Text("A015", align="center", scale=4),)), printer("raster")))
    (picture,) = [item for item in decoded.items if isinstance(item, Picture)]
    assert picture.align == "center"
    assert picture.image.width < 576 // 2


def test_unusable_configuration_is_a_clear_error() -> None:
    with pytest.raises(RenderError, match="text_mode"):
        render(receipt_slip(), printer("utf8"))
    with pytest.raises(RenderError, match="known profiles"):
        render(receipt_slip(), printer("tcvn3", profile="no-such-printer"))
    with pytest.raises(RenderError, match="no such font"):
        render(receipt_slip(), printer("raster", font="/nonexistent/font.ttf"))


def test_printing_modules_import_without_escpos_or_pil() -> None:
    """App start-up imports the printing layer; escpos, PIL and qrcode load only to render."""
    code = (
        "import sys\n"
        "import counter_tui.printing.escpos_safe, counter_tui.printing.textmodes\n"
        "import counter_tui.printing.render, counter_tui.printing.decode\n"
        "import counter_tui.printing.preview\n"
        "print(sorted(m for m in ('escpos', 'PIL', 'qrcode', 'yaml', 'barcode', 'textual')"
        " if m in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
    assert result.stderr == ""
