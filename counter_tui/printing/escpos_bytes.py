"""The few ESC/POS commands a text-mode slip needs, written without python-escpos.

A kiosk's `counter-tui ticket issue` is one whole process per ticket, and importing python-escpos
(PIL, qrcode, python-barcode, YAML) cost it more than everything else it does. A slip in a byte
text mode (tcvn3, cp1258, ascii) needs only a handful of fixed commands: reset, justification,
bold, character size, feed, cut and, on a printer that draws QR codes itself, GS ( k. They are
written here, the same bytes python-escpos 3.1 writes for the same calls (a test renders every
text mode both ways and compares them byte for byte), with the same method names, so the
renderer drives either one. Images (raster mode, a QR code the printer cannot draw) still go
through python-escpos: `needs_escpos` says when.

Standard library only: this module is imported on the kiosk's hot path.
"""

from __future__ import annotations

from typing import Any

ESC, GS = b"\x1b", b"\x1d"
INIT = ESC + b"@"
ALIGN = {"left": ESC + b"a\x00", "center": ESC + b"a\x01", "right": ESC + b"a\x02"}
BOLD = {False: ESC + b"E\x00", True: ESC + b"E\x01"}
SIZE = GS + b"!"
FULL_CUT, PART_CUT = GS + b"V\x00", GS + b"V\x01"
CUT_FEED_LINES = 6  # escpos feeds this many lines before it cuts
QR_CODE = b"1"  # GS ( k: the symbol type "QR Code"
QR_MODEL_2 = 2
QR_EC_M = 1


def needs_escpos(text_mode: str, has_qr: bool, native_qr: bool) -> bool:
    """Whether a slip needs python-escpos' images: raster text, or a QR code the printer
    cannot draw itself (drawn here and sent as an image)."""
    return text_mode == "raster" or (has_qr and not native_qr)


class ByteCommands:
    """An `escpos.printer.Dummy` for text slips: the same calls, collecting the same bytes."""

    def __init__(self, profile: dict[str, Any]) -> None:
        self.features: dict[str, Any] = profile.get("features", {})
        self._parts: list[bytes] = []

    @property
    def output(self) -> bytes:
        return b"".join(self._parts)

    def _raw(self, data: bytes) -> None:
        self._parts.append(data)

    def hw(self, what: str) -> None:
        if what.upper() == "INIT":
            self._raw(INIT)

    def set(self, align: str | None = None, bold: bool | None = None,
            custom_size: bool | None = None, width: int | None = None,
            height: int | None = None) -> None:
        """escpos' order: size, then bold, then justification."""
        if custom_size:
            if not (isinstance(width, int) and isinstance(height, int)
                    and 1 <= width <= 8 and 1 <= height <= 8):
                raise ValueError("character size must be 1 to 8")
            self._raw(SIZE + bytes([(width - 1) << 4 | (height - 1)]))
        if bold is not None:
            self._raw(BOLD[bold])
        if align is not None:
            self._raw(ALIGN[align])

    def print_and_feed(self, n: int = 1) -> None:
        if not 0 <= n <= 255:
            raise ValueError("n must be between 0 and 255")
        self._raw(ESC + b"d" + bytes([n]))

    def cut(self) -> None:
        """Feed, then a full cut, else a partial one, else nothing, as the profile allows."""
        self.print_and_feed(CUT_FEED_LINES)
        if self.features.get("paperFullCut"):
            self._raw(FULL_CUT)
        elif self.features.get("paperPartCut"):
            self._raw(PART_CUT)

    def _2d(self, fn: int, data: bytes, m: bytes = b"") -> None:
        size = len(data) + len(m) + 2
        self._raw(GS + b"(k" + bytes([size & 0xFF, size >> 8]) + QR_CODE + bytes([fn]) + m
                  + data)

    def qr(self, content: str, ec: int = QR_EC_M, size: int = 3, native: bool = True) -> None:
        """The printer's own QR code (GS ( k): model 2, module size, error correction, data,
        print."""
        if not native:
            raise ValueError("a drawn QR code is an image: python-escpos sends it")
        if not 1 <= size <= 16:
            raise ValueError("QR module size must be 1 to 16")
        if content == "":
            return
        data = content.encode("utf-8")
        if len(data) + 3 > 0xFFFF:
            raise ValueError("QR content too long")
        self._2d(65, bytes([48 + QR_MODEL_2, 0]))
        self._2d(67, bytes([size]))
        self._2d(69, bytes([48 + ec]))
        self._2d(80, data, b"0")
        self._2d(81, b"", b"0")
