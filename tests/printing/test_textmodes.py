"""Text bytes of each byte mode, checked against independent references.

glibc's iconv for TCVN 5712 (lower case: VN1 and VN3 agree) and for CP1258; the Epson code-page
tables as typed into escpos-printer-db (shipped with python-escpos) for TCVN-3 capitals, which
glibc's VN1 puts in control-code positions no printer can take.
"""

from __future__ import annotations

import pytest

from counter_tui.core.text import fold
from counter_tui.printing import escpos_safe
from counter_tui.printing.textmodes import (
    ByteEncoder,
    CodeTables,
    RasterFont,
    ascii_fold,
    find_font,
)
from tests.printing.helpers import (
    ALPHABET,
    LETTERS_UPPER,
    ROWS_LOWER,
    ROWS_UPPER,
    iconv,
    without_table_switches,
)

SELECT_30, SELECT_31 = b"\x1bt\x1e", b"\x1bt\x1f"


def _encoder(mode: str) -> ByteEncoder:
    encoder = ByteEncoder(mode)
    encoder.select()
    return encoder


def _epson_tables() -> dict[str, tuple[int, int]]:
    """letter -> (table, byte) from escpos-printer-db's TCVN-3-1 / TCVN-3-2 data."""
    encodings = escpos_safe.capabilities()["encodings"]
    found: dict[str, tuple[int, int]] = {}
    for table, name in ((30, "TCVN-3-1"), (31, "TCVN-3-2")):
        for offset, ch in enumerate("".join(encodings[name]["data"])):
            if ch != " ":
                # The database types Đ as U+00D0, a look-alike (Icelandic eth).
                found["Đ" if ch == "\u00d0" else ch] = (table, 0x80 + offset)
    return found


def test_the_alphabet_is_complete() -> None:
    assert len(set(ALPHABET)) == 134
    assert all(ch.isalpha() and ord(ch) > 127 for ch in ALPHABET)


@pytest.mark.parametrize("row", ROWS_LOWER)
def test_tcvn3_lower_case_is_glibc_tcvn5712(row: str) -> None:
    encoder = _encoder("tcvn3")
    assert encoder.encode(row) == iconv(row, "TCVN5712-1")  # table 30 throughout: no switch


def test_tcvn3_capitals_sit_in_table_31_at_their_lower_case_byte() -> None:
    for capital in LETTERS_UPPER:
        encoder = _encoder("tcvn3")
        if capital in "ĂÂĐ":  # VN3's (and glibc's) own capital positions 0xA1, 0xA2, 0xA7
            expected = iconv(capital, "TCVN5712-1")
        else:  # the capitals table: each capital at the byte of its lower-case letter
            expected = iconv(capital.lower(), "TCVN5712-1")
        assert encoder.encode(capital) == SELECT_31 + expected, capital


def test_tcvn3_matches_the_epson_tables_for_every_letter() -> None:
    epson = _epson_tables()
    for letter in ALPHABET:
        encoder = _encoder("tcvn3")
        table, byte = epson[letter]
        switch = b"" if table == 30 else SELECT_31
        assert encoder.encode(letter) == switch + bytes([byte]), letter


def test_glibc_vn1_capitals_would_be_printer_commands() -> None:
    """Why VN1 (glibc's TCVN5712-1) is not what the printer gets: capitals in C0 controls."""
    vn1 = iconv("".join(LETTERS_UPPER), "TCVN5712-1")
    assert any(b < 0x20 for b in vn1)
    encoded = _encoder("tcvn3").encode("".join(LETTERS_UPPER))
    assert all(b >= 0x20 for b in without_table_switches(encoded))


def test_tcvn3_switches_tables_only_where_case_changes() -> None:
    encoder = _encoder("tcvn3")
    data = encoder.encode("Nguyễn Văn ĐẠT, ĐĂNG ký")
    assert data.count(b"\x1bt") == 2  # to 31 for ĐẠT, ĐĂNG (ASCII between needs none), to 30
    assert without_table_switches(data) == (
        b"Nguy" + iconv("ễ", "TCVN5712-1") + b"n V" + iconv("ă", "TCVN5712-1") + b"n "
        + iconv("Đ", "TCVN5712-1") + iconv("ạ", "TCVN5712-1") + b"T, "
        + iconv("Đ", "TCVN5712-1") + iconv("Ă", "TCVN5712-1") + b"NG k" + iconv("ý", "TCVN5712-1")
    )
    assert encoder.current == 30


@pytest.mark.parametrize("row", ROWS_LOWER + ROWS_UPPER)
def test_cp1258_is_glibc_cp1258(row: str) -> None:
    encoded = _encoder("cp1258").encode(row)
    assert encoded == iconv(row, "CP1258")
    # and Python's codec reads it back once the separate tone marks are composed
    import unicodedata

    assert unicodedata.normalize("NFC", encoded.decode("cp1258")) == row


def test_cp1258_whole_alphabet_in_one_go() -> None:
    text = "".join(ALPHABET)
    assert _encoder("cp1258").encode(text) == iconv(text, "CP1258")


def test_ascii_fold_keeps_case_and_drops_marks() -> None:
    assert ascii_fold("Nguyễn Văn Đạt") == "Nguyen Van Dat"
    assert ascii_fold("ĐĂNG KÝ KHAI SINH") == "DANG KY KHAI SINH"
    for letter in ALPHABET:
        folded = ascii_fold(letter)
        assert len(folded) == 1 and folded.isascii() and folded.isalpha(), letter
        assert folded.lower() == fold(letter)


def test_ascii_mode_bytes() -> None:
    assert _encoder("ascii").encode("UBND xã Minh Hòa – 50.000₫") == b"UBND xa Minh Hoa - 50.000d"


@pytest.mark.parametrize("mode", ["tcvn3", "cp1258", "ascii"])
def test_encoders_never_emit_control_bytes(mode: str) -> None:
    encoded = _encoder(mode).encode("Đạt\x1b@\x1dV\x10\x04\x01\x00\x7f\x9b€…")
    assert all(b >= 0x20 and b != 0x7F for b in without_table_switches(encoded))


@pytest.mark.parametrize(
    ("mode", "text", "expected"),
    [("tcvn3", "“x”…€", b'"x"...?'), ("cp1258", "ŁŻ→x", b"?Z?x")],
)
def test_characters_outside_the_table_fall_back_to_ascii(
    mode: str, text: str, expected: bytes
) -> None:
    assert without_table_switches(_encoder(mode).encode(text)) == expected


def test_code_tables_come_from_the_profile() -> None:
    profiles = escpos_safe.capabilities()["profiles"]
    assert CodeTables.for_profile(profiles["default"]["codePages"]) == CodeTables(30, 31, 52, 0)
    assert CodeTables.for_profile(profiles["TM-T88V"]["codePages"]) == CodeTables(30, 31, 52, 0)
    assert CodeTables.for_profile(profiles["NT-5890K"]["codePages"]).cp1258 == 27
    assert CodeTables.for_profile(profiles["RP326"]["codePages"]).cp1258 == 35
    assert CodeTables.for_profile({}) == CodeTables()


def test_select_after_reset_is_the_base_table() -> None:
    assert ByteEncoder("tcvn3").select() == SELECT_30
    assert ByteEncoder("cp1258").select() == b"\x1bt\x34"
    assert ByteEncoder("cp1258", CodeTables(cp1258=94)).select() == b"\x1bt\x5e"
    assert ByteEncoder("ascii").select() == b"\x1bt\x00"
    with pytest.raises(ValueError):
        ByteEncoder("raster")


def test_raster_font_covers_every_vietnamese_letter(raster_font: None) -> None:
    for bold in (False, True):
        font = RasterFont(find_font(bold=bold), 22)
        missing = font.draw("\U000f0000")  # a private-use character: the font's .notdef box
        assert missing is not None
        seen: dict[bytes, str] = {}
        for letter in [*ALPHABET, *"aeiouyAEIOUYdD"]:
            image = font.draw(letter)
            assert image is not None, letter
            key = repr(image.size).encode() + image.tobytes()
            assert key != repr(missing.size).encode() + missing.tobytes(), letter
            assert key not in seen, (letter, seen.get(key))  # every mark visibly drawn
            seen[key] = letter


def test_raster_lines_hold_the_tallest_letters(raster_font: None) -> None:
    font = RasterFont(find_font(), 20)
    for text in ("ỖẪẤ", "ỵợjgy", "Ấy"):
        image = font.draw(text)
        assert image is not None and image.height == font.height
        ink = image.point(lambda v: 255 - v).getbbox()
        assert ink is not None and ink[1] > 0 and ink[3] < image.height, text


def test_raster_wrap_fits_the_width(raster_font: None) -> None:
    font = RasterFont(find_font(), 20)
    text = "Tờ khai đăng ký khai sinh (bản chính: 1); Giấy chứng sinh " * 3 + "x" * 80
    lines = font.wrap(text, 300)
    assert all(font.width(line) <= 300 for line in lines)
    assert " ".join(lines).replace(" ", "") == text.replace(" ", "")
