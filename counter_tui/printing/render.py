"""A printer-neutral `Slip` turned into the ESC/POS bytes of one print job.

The bytes depend on the printer as configured when the job is sent (profile, paper width, text
mode), never on the slip, so a stored job can be reprinted anywhere. python-escpos builds the
commands (`Dummy` collects them) when the job sends images; a text-mode job without images is
written by `escpos_bytes`, the same bytes without python-escpos' import. The traps of
python-escpos, worked around here:

- every job starts with ESC @ and then selects the code table again: ESC @ makes the printer
  forget it, and escpos' own encoder would not know (text is encoded by `textmodes`, never by
  escpos' guessing `text()`, which switches tables behind our back);
- `cut()` sends nothing on profiles without a cutter feature: the cut is checked and GS V added,
  so a Cut block always reaches the printer (a printer without a cutter ignores it);
- `qr(native=True)` is sent whatever the profile says: native QR (GS ( k) is used only when the
  profile has the `qrCode` feature, else the code is drawn and sent as an image;
- `image(center=True)` breaks on images taller than 960 dots: images are never centred by escpos,
  but positioned with ESC a (justification), which also keeps them cropped and small;
- `image()`, `qr()` print to stdout: they run inside `escpos_safe.quiet()`.

Byte modes wrap text to `printer.width_columns` (divided by the scale of scaled text); raster mode
draws each line with a TrueType font, wraps by measured width and sends 1-bit GS v 0 images
cropped to their ink.
"""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING, Any

from counter_tui.config import PrinterConfig
from counter_tui.core.layout import QR, Block, Cut, Feed, Field, Rule, Slip, Text
from counter_tui.core.records import frozen
from counter_tui.core.text import clean
from counter_tui.printing import escpos_safe
from counter_tui.printing.escpos_bytes import QR_EC_M, ByteCommands, needs_escpos
from counter_tui.printing.textmodes import (
    TEXT_MODES,
    ByteEncoder,
    CodeTables,
    RasterFont,
    find_font,
    raster_font,
)

if TYPE_CHECKING:
    from PIL import Image

ESC, GS, FS = b"\x1b", b"\x1d", b"\x1c"
CUT = GS + b"V"
FULL_CUT = GS + b"V\x00"
CANCEL_CHINESE = FS + b"."  # cheap printers start in GB18030 mode, reading 0x80+ as hanzi
MAX_SCALE = 4
FIELD_INDENT = "  "
QR_BORDER = 2  # modules of quiet zone; the paper margin adds the rest


class RenderError(ValueError):
    """The slip cannot be rendered for this printer (unknown text mode, no font, ...)."""


@frozen
class _Style:
    align: str = "left"
    bold: bool = False
    scale: int = 1


def _clamp(value: int, lo: int, hi: int) -> int:
    return max(lo, min(hi, value))


def _wrap(text: str, columns: int) -> list[str]:
    lines: list[str] = []
    for paragraph in text.split("\n"):
        lines.extend(
            textwrap.wrap(paragraph, max(1, columns), break_on_hyphens=False) or [""]
        )
    return lines


def field_lines(label: str, value: str, columns: int) -> list[str]:
    """'label: value' when it fits in `columns`, else the label, then the value indented."""
    one = f"{label}: {value}" if label else value
    if len(one) <= columns or not label:
        return _wrap(one, columns)
    body = _wrap(value, columns - len(FIELD_INDENT))
    return [f"{label}:"] + [FIELD_INDENT + line if line else line for line in body]


def _qr_image(payload: str, module: int, max_width: int) -> Image.Image:
    import qrcode
    from PIL import Image

    code = qrcode.QRCode(
        error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=1, border=QR_BORDER
    )
    code.add_data(payload)
    code.make(fit=True)
    matrix = code.get_matrix()
    count = len(matrix)
    module = _clamp(module, 1, max(1, max_width // count))
    small = Image.new("1", (count, count), 1)
    small.putdata([0 if dark else 1 for row in matrix for dark in row])
    return small.resize((count * module, count * module), Image.Resampling.NEAREST)


class _Job:
    """One print job being built on a fresh escpos Dummy, or on `ByteCommands`."""

    def __init__(self, printer: PrinterConfig, tables: CodeTables | None,
                 via_escpos: bool) -> None:
        if printer.text_mode not in TEXT_MODES:
            raise RenderError(
                f"printer.text_mode = {printer.text_mode!r}; allowed: {' | '.join(TEXT_MODES)}"
            )
        try:
            profile = escpos_safe.profile_data(printer.profile)
        except escpos_safe.UnknownProfile as exc:
            raise RenderError(str(exc)) from None
        self.printer = printer
        self.mode = printer.text_mode
        self.p: Any = (escpos_safe.dummy(printer.profile) if via_escpos
                       else ByteCommands(profile))
        self.columns = max(1, printer.width_columns)
        self.dots = printer.width_dots
        pixels = profile.get("media", {}).get("width", {}).get("pixels")
        if isinstance(pixels, int) and 0 < pixels < self.dots:
            self.dots = pixels  # escpos refuses images wider than the profile's paper
        self.native_qr = bool(profile.get("features", {}).get("qrCode"))
        self.encoder: ByteEncoder | None = None
        if self.mode != "raster":
            self.encoder = ByteEncoder(
                self.mode, tables or CodeTables.for_profile(profile.get("codePages", {}))
            )
        self.style = _Style()

    # -- commands ------------------------------------------------------------------------

    def raw(self, data: bytes) -> None:
        if data:
            self.p._raw(data)

    def reset(self) -> None:
        self.p.hw("INIT")  # ESC @
        self.style = _Style()
        if self.encoder is not None:
            self.raw(CANCEL_CHINESE)
            self.raw(self.encoder.select())

    def set_style(self, align: str = "left", bold: bool = False, scale: int = 1) -> None:
        want = _Style(align if align in ("left", "center", "right") else "left", bold, scale)
        if want.align != self.style.align:
            self.p.set(align=want.align)
        if want.bold != self.style.bold:
            self.p.set(bold=want.bold)
        if want.scale != self.style.scale:
            self.p.set(custom_size=True, width=want.scale, height=want.scale)
        self.style = want

    def image(self, img: Image.Image) -> None:
        with escpos_safe.quiet():
            self.p.image(img, impl="bitImageRaster", center=False)

    def cut(self) -> None:
        start = len(self.p.output)
        self.p.cut()
        if CUT not in self.p.output[start:]:
            # escpos dropped it: the profile has no cutter feature. Feed was sent; add the cut.
            self.raw(FULL_CUT)

    # -- blocks --------------------------------------------------------------------------

    def block(self, b: Block) -> None:
        if isinstance(b, Text):
            self.text_lines(
                _clean_lines(b.text), b.align, b.bold, _clamp(b.scale, 1, MAX_SCALE)
            )
        elif isinstance(b, Field):
            self.field(clean(b.label), clean(b.value), b.bold)
        elif isinstance(b, Rule):
            self.rule(clean(b.char)[:1] or "-")
        elif isinstance(b, QR):
            self.qr(clean(b.payload), _clamp(b.module, 1, 16))
        elif isinstance(b, Feed):
            self.set_style()
            self.p.print_and_feed(_clamp(b.lines, 0, 255))
        elif isinstance(b, Cut):
            self.set_style()
            self.cut()

    def text_lines(self, text: str, align: str, bold: bool, scale: int) -> None:
        if self.mode == "raster":
            font = self.font(bold, scale)
            self.raster_lines(font.wrap(text, self.dots), font, align)
            return
        self.set_style(align, bold, scale)
        for line in _wrap(text, self.columns // scale):
            self.byte_line(line)

    def field(self, label: str, value: str, bold: bool) -> None:
        if self.mode == "raster":
            font = self.font(bold, 1)
            one = f"{label}: {value}" if label else value
            if not label or font.width(one) <= self.dots:
                lines = font.wrap(one, self.dots)
            else:
                indent = font.width(FIELD_INDENT)
                body = font.wrap(value, self.dots - indent)
                lines = [f"{label}:"] + [FIELD_INDENT + line for line in body]
            self.raster_lines(lines, font, "left")
            return
        self.set_style("left", bold)
        for line in field_lines(label, value, self.columns):
            self.byte_line(line)

    def rule(self, char: str) -> None:
        if self.mode == "raster":
            self.set_style()
            font = self.font(False, 1)
            if char in "-=_":
                self.raster_rule(2 if char == "=" else 1, font.height)
            else:
                count = max(1, self.dots // max(1, font.width(char)))
                self.raster_lines([char * count], font, "left")
            return
        assert self.encoder is not None
        if not self.encoder.encodable(char):
            char = "-"
        self.set_style()
        self.byte_line(char * self.columns)

    def qr(self, payload: str, module: int) -> None:
        if not payload:
            return
        self.set_style("center")
        if self.mode != "raster" and self.native_qr:
            with escpos_safe.quiet():
                self.p.qr(payload, ec=QR_EC_M, size=module, native=True)
        else:
            self.image(_qr_image(payload, module, self.dots))
        self.set_style()

    # -- byte and raster lines -------------------------------------------------------------

    def byte_line(self, line: str) -> None:
        assert self.encoder is not None
        self.raw(self.encoder.encode(line) + b"\n")

    def font(self, bold: bool, scale: int) -> RasterFont:
        try:
            path = find_font(self.printer.font, bold=bold)
        except FileNotFoundError as exc:
            raise RenderError(str(exc)) from None
        # Sized so that a line holds about `width_columns` characters of ordinary text, like
        # the printer's own font would.
        base = max(8, round(self.dots / self.columns * 1.7))
        return raster_font(path, base * scale)

    def raster_rule(self, strokes: int, line_height: int) -> None:
        """A solid rule: a few rows of ink with paper feed (ESC J) around it, not a line of
        drawn dashes, which would cost a full-width image as tall as a text line."""
        from PIL import Image, ImageDraw

        thickness, gap = 2, 3
        height = strokes * thickness + (strokes - 1) * gap
        img = Image.new("1", (self.dots, height), 1)
        draw = ImageDraw.Draw(img)
        for i in range(strokes):
            top = i * (thickness + gap)
            draw.rectangle((0, top, self.dots - 1, top + thickness - 1), fill=0)
        pad = _clamp((line_height - height) // 2, 0, 255)
        self.raw(ESC + b"J" + bytes([pad]))
        self.image(img)
        self.raw(ESC + b"J" + bytes([pad]))

    def raster_lines(self, lines: list[str], font: RasterFont, align: str) -> None:
        self.set_style(align if align in ("left", "center", "right") else "left")
        for line in lines:
            img = font.draw(line, self.style.align)
            if img is None:
                self.raw(b"\n")
            else:
                self.image(img)


def _needs_escpos(slip: Slip, printer: PrinterConfig) -> bool:
    has_qr = any(isinstance(b, QR) and clean(b.payload) for b in slip.blocks)
    native_qr = False
    if has_qr:
        try:
            profile = escpos_safe.profile_data(printer.profile)
        except escpos_safe.UnknownProfile:
            return False  # _Job says which profiles there are
        native_qr = bool(profile.get("features", {}).get("qrCode"))
    return needs_escpos(printer.text_mode, has_qr, native_qr)


def _clean_lines(text: str) -> str:
    return clean(text, multiline=True).replace("\t", " ")


def render(slip: Slip, printer: PrinterConfig, *, tables: CodeTables | None = None,
           via_escpos: bool = False) -> bytes:
    """The ESC/POS bytes of one job printing `slip` on `printer` in its text mode.

    `tables` overrides the ESC t table numbers (by default from the printer's escpos profile,
    else Epson's: 30/31 TCVN-3, 52 CP1258). Raises RenderError for an unusable configuration.
    A slip with no image to send is written by `escpos_bytes` without importing python-escpos
    (the same bytes); `via_escpos` has python-escpos write it all the same (what the tests
    compare against).
    """
    job = _Job(printer, tables, via_escpos or _needs_escpos(slip, printer))
    job.reset()
    for block in slip.blocks:
        job.block(block)
    data: bytes = job.p.output
    return data
