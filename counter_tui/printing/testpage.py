"""The printer test page: the technician prints it in each text mode and keeps the one whose
letters come out right.

It carries the whole Vietnamese alphabet, lower and upper case, every vowel with each of the
five tone marks, a sentence, large type, the mode's name, the paper width as configured, and a QR
code (native or drawn, as the profile says), so one look tells whether the mode, the width and
the QR work on this printer.
"""

from __future__ import annotations

import unicodedata
from datetime import datetime

from counter_tui.config import PrinterConfig
from counter_tui.core.clock import office_now
from counter_tui.core.i18n import known, t
from counter_tui.core.layout import QR, Block, Cut, Feed, Field, Rule, Slip, Text

ALPHABET = "a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y"
VOWELS = "aăâeêioôơuưy"
TONES = ("", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323")  # ngang huyền sắc hỏi ngã nặng
SENTENCE = "Cộng hòa xã hội chủ nghĩa Việt Nam — Độc lập, Tự do, Hạnh phúc"


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def tone_rows() -> list[str]:
    """'a à á ả ã ạ', one row per vowel, then 'đ d'."""
    return [" ".join(_nfc(v + mark) for mark in TONES) for v in VOWELS] + ["đ d"]


def mode_name(mode: str) -> str:
    key = f"testpage.mode_name.{mode}"
    return f"{mode} — {t(key)}" if known(key) else mode


def test_page(printer: PrinterConfig, when: datetime | None = None) -> Slip:
    """The test page for `printer` as configured (its text mode, paper and profile)."""
    when = when or office_now()
    rows = tone_rows()
    target = printer.target if printer.kind != "usb" else (
        f"{printer.usb_vendor:04x}:{printer.usb_product:04x}")
    blocks: list[Block] = [
        Text(t("testpage.title"), align="center", bold=True, scale=2),
        Text(when.strftime("%H:%M %d/%m/%Y"), align="center"),
        Rule(),
        Field(t("testpage.mode"), mode_name(printer.text_mode), bold=True),
        Field(t("testpage.paper"), t("testpage.paper_value", mm=printer.paper_mm,
                                     columns=printer.width_columns, dots=printer.width_dots)),
        Field(t("testpage.printer"), f"{printer.kind} {target}".strip()),
        Field(t("testpage.profile"), printer.profile),
        Rule(),
        Text(t("testpage.lower"), bold=True),
        Text(ALPHABET),
        *(Text(row) for row in rows),
        Text(t("testpage.upper"), bold=True),
        Text(ALPHABET.upper()),
        *(Text(row.upper()) for row in rows),
        Rule(),
        Text(SENTENCE),
        Text(SENTENCE.upper()),
        Text(t("testpage.big"), align="center", bold=True, scale=2),
        Rule("="),
        Text(t("testpage.check")),
        QR(f"counter-tui test {printer.text_mode} {printer.paper_mm}mm", module=4),
        Text(t("testpage.qr"), align="center"),
        Feed(3),
        Cut(),
    ]
    return Slip("test", tuple(blocks))
