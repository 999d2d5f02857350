"""The decoder on hand-written ESC/POS streams, and the preview picture drawn from it."""

from __future__ import annotations

from pathlib import Path

from PIL import Image

from counter_tui.printing.decode import CutMark, Gap, Line, Picture, QRCode, decode
from counter_tui.printing.preview import preview_png, render_preview

ESC, GS = b"\x1b", b"\x1d"


def test_text_follows_the_selected_table() -> None:
    data = (
        ESC + b"@" + ESC + b"t\x1e" + b"Nguy\xd4n V\xa8n " + ESC + b"t\x1f" + b"\xa7\xb9T\n"
        + ESC + b"t\x34" + b"Nguy\xea\xdEn\n"  # CP1258: ê + combining tilde
        + ESC + b"@" + b"\xe1\n"  # ESC @ goes back to table 0 (PC437): ß
    )
    decoded = decode(data)
    assert decoded.text == ["Nguyễn Văn ĐẠT", "Nguyễn", "ß"]
    assert decoded.tables == [30, 31, 52]


def test_reset_clears_the_print_buffer_and_styles() -> None:
    data = b"lost" + ESC + b"@" + ESC + b"a\x01" + ESC + b"E\x01" + GS + b"!\x33" + b"Big\n"
    data += ESC + b"@" + b"Plain\n"
    lines = [item for item in decode(data).items if isinstance(item, Line)]
    assert lines == [Line("Big", "center", True, 4, 4), Line("Plain")]


def test_feed_counts_the_buffered_line() -> None:
    assert decode(b"abc" + ESC + b"d\x03" + b"x\n").text == ["abc", "", "", "x"]
    assert decode(ESC + b"d\x02" + b"x\n").text == ["", "", "x"]


def test_qr_payload_and_print() -> None:
    payload = b"000.17.22.H56-261122-0001"

    def k(fn: int, body: bytes) -> bytes:
        size = len(body) + 2
        return GS + b"(k" + bytes([size & 0xFF, size >> 8, 49, fn]) + body

    data = k(65, b"\x32\x00") + k(67, b"\x05") + k(69, b"\x31") + k(80, b"0" + payload)
    data += k(81, b"0")
    decoded = decode(data)
    assert decoded.qr_payloads == ["000.17.22.H56-261122-0001"]
    assert decoded.text == ["[QR 000.17.22.H56-261122-0001]"]
    assert decoded.items == [QRCode("000.17.22.H56-261122-0001", 5)]


def test_raster_image_bits() -> None:
    # 16 x 2 dots: first row ink in the leftmost 8 dots, second row in the rightmost dot
    data = GS + b"v0\x00" + b"\x02\x00\x02\x00" + b"\xff\x00" + b"\x00\x01" + b"\n"
    decoded = decode(data)
    (image,) = decoded.images
    assert image.size == (16, 2)
    assert [image.getpixel((x, 0)) for x in (0, 7, 8)] == [0, 0, 255]
    assert [image.getpixel((x, 1)) for x in (0, 14, 15)] == [255, 255, 0]
    assert decoded.text == ["[raster 16x2]", ""]


def test_other_image_commands() -> None:
    column = ESC + b"*\x21\x02\x00" + b"\x80\x00\x01" + b"\x00\x00\x00" + b"\n"
    # GS ( L fn 112: store an 8 x 1 graphic (a bx by c xL xH yL yH d), then fn 50: print it
    body = b"0p0\x01\x011" + b"\x08\x00\x01\x00" + b"\xaa"
    graphics = GS + b"(L" + bytes([len(body), 0]) + body + GS + b"(L\x02\x0002"
    decoded = decode(column + graphics)
    first, second = decoded.images
    assert first.size == (2, 24) and first.getpixel((0, 0)) == 0 and first.getpixel((0, 23)) == 0
    assert second.size == (8, 1) and [second.getpixel((x, 0)) for x in range(2)] == [0, 255]


def test_cuts_of_every_form() -> None:
    data = b"a\n" + GS + b"V\x00" + GS + b"V\x01" + GS + b"VA\x03" + GS + b"VB\x00" + ESC + b"i"
    decoded = decode(data)
    assert decoded.cuts == 5
    assert [i.partial for i in decoded.items if isinstance(i, CutMark)] == [
        False, True, False, True, True,
    ]


def test_unknown_and_harmless_commands_are_skipped() -> None:
    data = (
        b"\x1c." + ESC + b"R\x00" + ESC + b"D\x08\x10\x00" + GS + b"L\x00\x00"
        + ESC + b"p\x00\x19\xfa" + b"\x10\x04\x01" + GS + b"kI\x03abc" + GS + b"H\x02"
        + ESC + b"~" + b"ok\n"
        + ESC + b"J\x10" + GS + b"8L\x03\x00\x00\x00" + b"0Ex" + b"end"
    )
    decoded = decode(data)
    assert decoded.text == ["[barcode abc]", "ok", "end"]
    assert decoded.unknown == ["ESC '~'"]
    assert Gap(16) in decoded.items


def test_truncated_stream_does_not_crash() -> None:
    for cut in range(1, 12):
        decode((GS + b"v0\x00\x02\x00\x02\x00\xff")[:cut])
        decode((GS + b"(k\x05\x001P0ab")[:cut])


def test_preview_draws_everything(tmp_path: Path) -> None:
    image_bits = GS + b"v0\x00" + b"\x02\x00\x04\x00" + b"\xff\xff" * 4
    data = (
        ESC + b"@" + ESC + b"t\x1e" + ESC + b"a\x01" + b"UBND x\xb7 Minh H\xb5a\n"
        + GS + b"!\x33" + b"A015\n" + GS + b"!\x00" + image_bits
        + GS + b"(k\x1c\x001P0" + b"000.17.22.H56-261122-0001" + GS + b"(k\x03\x001Q0"
        + ESC + b"d\x02" + GS + b"V\x00"
    )
    target = preview_png(data, tmp_path / "slip.png", 576)
    with Image.open(target) as png:
        assert png.format == "PNG"
        assert png.width == 576 + 16 and png.height > 300  # text, 4x number, image, QR, feed
        ink = png.convert("L").point(lambda v: 255 - v).getbbox()
        assert ink is not None and ink[0] < 60 and ink[2] > 520  # the cut line spans the paper


def test_preview_places_items_in_order(tmp_path: Path) -> None:
    tall = GS + b"v0\x00" + b"\x01\x00\x20\x00" + b"\xff" * 32
    picture = render_preview(decode(b"top\n" + tall + b"bottom\n"), 384)
    column = [picture.getpixel((8 + x, y)) for y in range(picture.height) for x in range(8)]
    assert 0 in column
    assert isinstance(decode(tall).items[0], Picture)
