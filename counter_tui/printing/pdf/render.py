"""Layout lines (templates.py) -> a PDF with fpdf2, in the embedded Vietnamese font.

fpdf2 is pure Python (no system libraries, unlike WeasyPrint's Pango/Cairo), embeds TrueType
fonts subset to the glyphs used, and writes a one-page form in milliseconds; the forms need
nothing it lacks: wrapped paragraphs, tables that continue on the next page with their heading,
rectangles for the QR code.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Literal

import qrcode
from fpdf import FPDF
from fpdf.enums import MethodReturnValue, XPos, YPos

from counter_tui.core.records import frozen
from counter_tui.printing.pdf.fonts import FAMILY, font_files
from counter_tui.printing.pdf.templates import CLOSE, OPEN

Paper = Literal["A4", "A5"]
PAPERS: dict[str, tuple[float, float]] = {"A4": (210, 297), "A5": (148, 210)}  # mm
_MARKERS = ("**", "__", "--")


class LayoutError(ValueError):
    """A template wrote a line the layout does not know: says which line and why."""


@frozen
class _Sizes:
    body: float
    table: float
    line: float
    margin: float
    qr: float


_SIZES = {"A4": _Sizes(12, 10, 6.0, 18, 24), "A5": _Sizes(10, 8, 4.6, 12, 20)}
_REGISTER_SIZES = {"A4": _Sizes(9, 7, 4.4, 10, 16), "A5": _Sizes(7, 6, 3.6, 8, 14)}


def split_cells(text: str) -> list[str]:
    """Cells of a line split on "|" outside the marked values."""
    cells: list[str] = []
    current: list[str] = []
    inside = False
    for ch in text:
        if ch == OPEN:
            inside = True
        elif ch == CLOSE:
            inside = False
        elif ch == "|" and not inside:
            cells.append("".join(current).strip())
            current = []
            continue
        current.append(ch)
    cells.append("".join(current).strip())
    return cells


def split_on(text: str, sep: str) -> list[str]:
    parts: list[str] = []
    current: list[str] = []
    inside = False
    for ch in text:
        inside = True if ch == OPEN else False if ch == CLOSE else inside
        if ch == sep and not inside:
            parts.append("".join(current).strip())
            current = []
        else:
            current.append(ch)
    parts.append("".join(current).strip())
    return parts


def plain(text: str) -> str:
    return text.replace(OPEN, "").replace(CLOSE, "")


def markdown(text: str) -> str:
    """The template's own **bold** kept; a value's "**" escaped, so it prints as typed."""
    out, inside, i = [], False, 0
    while i < len(text):
        ch = text[i]
        if ch in (OPEN, CLOSE):
            inside = ch == OPEN
        elif inside and ch == "\\":
            out.append("\\\\")
        elif inside and text[i:i + 2] in _MARKERS:
            out.append("\\" + text[i:i + 2])
            i += 2
            continue
        else:
            out.append(ch)
        i += 1
    return "".join(out)


class _Document(FPDF):
    footer_text = ""

    def footer(self) -> None:
        self.set_y(-10)
        self.set_font(FAMILY, "", 7)
        self.cell(0, 4, f"{self.footer_text}   {self.page_no()}/{{nb}}", align="R")


def _lines(source: str) -> Iterator[tuple[int, str, str]]:
    for number, raw in enumerate(source.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        word, _, rest = line.partition(" ")
        yield number, word.lower(), rest.strip()


class _Renderer:
    def __init__(self, paper: str, landscape: bool, code: str, footer: str) -> None:
        if paper not in PAPERS:
            raise LayoutError(f"paper {paper!r}: A4 or A5")
        self.sizes = (_REGISTER_SIZES if landscape else _SIZES)[paper]
        pdf = _Document(orientation="L" if landscape else "P", unit="mm", format=PAPERS[paper])
        pdf.footer_text = footer
        for style, path in font_files().items():
            pdf.add_font(FAMILY, style, str(path))
        for font in pdf.fonts.values():
            # the glyphs' bounding boxes are right in the font already: recomputing them when
            # fpdf2 writes the subset decodes and re-encodes every glyph (half the form's time)
            ttfont = getattr(font, "ttfont", None)
            if ttfont is not None:
                ttfont.recalcBBoxes = False
        pdf.set_margins(self.sizes.margin, self.sizes.margin * 0.7, self.sizes.margin * 0.8)
        pdf.set_auto_page_break(True, margin=14)
        pdf.set_title(footer)
        pdf.set_creator("counter-tui")
        pdf.add_page()
        self.pdf, self.code = pdf, code
        self.body()

    def body(self, bold: bool = False, size: float | None = None) -> None:
        self.pdf.set_font(FAMILY, "B" if bold else "", size or self.sizes.body)

    def write(self, text: str, *, align: str = "L", bold: bool = False, md: bool = False,
              width: float = 0, size: float | None = None) -> None:
        self.body(bold, size)
        self.pdf.multi_cell(width, self.sizes.line, markdown(text) if md else plain(text),
                            align=align, markdown=md, new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def columns(self, cells: list[list[tuple[str, bool]]], widths: list[float],
                gap: float = 0, size: float | None = None) -> None:
        """Blocks of centred lines side by side, starting on one line; y ends below the
        tallest."""
        pdf, top, bottom = self.pdf, self.pdf.get_y(), self.pdf.get_y()
        x = pdf.l_margin
        for block, width in zip(cells, widths, strict=True):
            pdf.set_xy(x, top)
            for text, bold in block:
                if text == "\x00rule":
                    y = pdf.get_y() + 0.5
                    pdf.line(x + width * 0.3, y, x + width * 0.7, y)
                    pdf.set_xy(x, y + 1.5)
                    continue
                if text.startswith("\x00space"):
                    pdf.set_xy(x, pdf.get_y() + float(text[7:]))
                    continue
                self.body(bold, size)
                pdf.multi_cell(width, self.sizes.line, plain(text), align="C",
                               new_x=XPos.LEFT, new_y=YPos.NEXT)
            bottom = max(bottom, pdf.get_y())
            x += width + gap
        pdf.set_xy(pdf.l_margin, bottom)

    def heading(self, rest: str) -> None:
        cells = [*split_cells(rest), "", "", "", ""]
        authority, office, motto, slogan = cells[:4]
        full = self.pdf.epw
        left = [(authority.upper(), False)] if plain(authority) else []
        left += [(office.upper(), True), ("\x00rule", False)]
        right = [(motto, True), (slogan, True), ("\x00rule", False)]
        self.columns([left, right], [full * 0.4, full * 0.6], size=self.sizes.body - 1)

    def number(self, rest: str) -> None:
        cells = [*split_cells(rest), ""]
        full = self.pdf.epw
        self.columns([[(cells[0], False)], [(cells[1], False)]], [full * 0.4, full * 0.6],
                     size=self.sizes.body - 2)

    def qr(self, rest: str) -> None:
        pdf, size = self.pdf, self.sizes.qr
        if pdf.get_y() + size > pdf.page_break_trigger:
            pdf.add_page()
        top = pdf.get_y()
        # one mask pattern, not the best of eight: every mask reads alike on a laser print,
        # and trying all eight was a fifth of the form's time
        code = qrcode.QRCode(border=0, error_correction=qrcode.constants.ERROR_CORRECT_M,
                             mask_pattern=0)
        code.add_data(self.code)
        code.make(fit=True)
        matrix = code.get_matrix()
        module = size / len(matrix)
        x0 = pdf.l_margin + pdf.epw - size
        for y, row in enumerate(matrix):
            start = None
            for x, dark in enumerate([*row, False]):  # runs of dark modules: fewer shapes
                if dark and start is None:
                    start = x
                elif not dark and start is not None:
                    pdf.rect(x0 + start * module, top + y * module, (x - start) * module,
                             module, style="F")
                    start = None
        pdf.set_xy(pdf.l_margin, top + size / 2 - self.sizes.line)
        self.write(rest or self.code, bold=True, width=pdf.epw - size - 4)
        pdf.set_xy(pdf.l_margin, max(pdf.get_y(), top + size + 2))

    def field(self, rest: str) -> None:
        cells = split_cells(rest)
        label, value = cells[0], " ".join(cells[1:]) if len(cells) > 1 else ""
        self.write(f"{label}: **{value}**" if value else label, md=True)

    def table(self, number: int, widths_text: str, rows: list[tuple[bool, list[str]]]) -> None:
        """A grid whose rows grow with their text and never split across pages; the heading
        rows are drawn again at the top of each new page. (fpdf2's own table lays each cell
        out twice; this once, which halves the time of a long form.)"""
        try:
            weights = [float(w) for w in widths_text.split()]
        except ValueError:
            raise LayoutError(f"line {number}: table widths must be numbers") from None
        if not weights or not rows or sum(weights) <= 0:
            return
        pdf = self.pdf
        widths = [pdf.epw * w / sum(weights) for w in weights]
        heads = [cells for head, cells in rows if head]
        size, line, pad = self.sizes.table, self.sizes.line * 0.8, 0.8
        pdf.set_line_width(0.2)

        def laid(cells: list[str], bold: bool) -> tuple[list[list[str]], float]:
            self.body(bold, size)
            texts = [plain(c) for c in (cells + [""] * len(widths))[:len(widths)]]
            lines: list[list[str]] = [
                list(pdf.multi_cell(w - 2 * pad, line, text, dry_run=True,  # type: ignore[arg-type]
                                    output=MethodReturnValue.LINES)) if text else []
                for w, text in zip(widths, texts, strict=True)]
            return lines, max(1, *(len(x) for x in lines)) * line + 2 * pad

        def draw(lines: list[list[str]], height: float, bold: bool) -> None:
            self.body(bold, size)
            x, y = pdf.l_margin, pdf.get_y()
            for w, cell_lines in zip(widths, lines, strict=True):
                pdf.rect(x, y, w, height)
                for i, text in enumerate(cell_lines):
                    pdf.set_xy(x + pad, y + pad + i * line)
                    pdf.cell(w - 2 * pad, line, text, align="C" if bold else "L")
                x += w
            pdf.set_xy(pdf.l_margin, y + height)

        head_laid = [laid(cells, True) for cells in heads]
        for lines, height in head_laid:
            draw(lines, height, True)
        for head, cells in rows:
            if head:
                continue
            lines, height = laid(cells, False)
            if pdf.get_y() + height > pdf.page_break_trigger:
                pdf.add_page()
                for hl, hh in head_laid:
                    draw(hl, hh, True)
            draw(lines, height, False)
        self.body()
        pdf.ln(1)

    def sign(self, rest: str) -> None:
        blocks = [split_on(cell, "\\") for cell in split_cells(rest)]
        pdf = self.pdf
        if pdf.get_y() + 40 > pdf.page_break_trigger:
            pdf.add_page()
        cells: list[list[tuple[str, bool]]] = []
        for parts in blocks:
            parts = [*parts, "", "", ""]
            cells.append([(parts[0], True), (parts[1], False), ("\x00space 18", False),
                          (parts[2], True)])
        width = pdf.epw / max(1, len(cells))
        self.columns(cells, [width] * len(cells))

    def output(self) -> bytes:
        return bytes(self.pdf.output())


def render_pdf(source: str, *, paper: str = "A4", landscape: bool = False, code: str = "",
               footer: str = "") -> bytes:
    """The PDF of a form's layout lines."""
    r = _Renderer(paper, landscape, code, footer)
    rows: list[tuple[bool, list[str]]] | None = None
    widths, table_line = "", 0
    for number, word, rest in _lines(source):
        if rows is not None:
            if word in ("th", "tr"):
                rows.append((word == "th", split_cells(rest)))
                continue
            if word != "end":
                raise LayoutError(f"line {number}: {word!r} inside a table (th, tr or end)")
            r.table(table_line, widths, rows)
            rows = None
            continue
        handler: Any = {
            "heading": r.heading, "number": r.number, "qr": r.qr, "field": r.field,
            "sign": r.sign,
        }.get(word)
        if handler is not None:
            handler(rest)
        elif word == "title":
            r.pdf.ln(2)
            r.write(rest, align="C", bold=True, size=r.sizes.body + 1)
        elif word == "subtitle":
            r.write(rest, align="C", bold=False)
        elif word == "p":
            r.write(rest, align="J", md=True)
        elif word == "center":
            r.write(rest, align="C", md=True)
        elif word == "right":
            r.write(rest, align="R", md=True)
        elif word == "table":
            rows, widths, table_line = [], rest, number
        elif word == "space":
            try:
                r.pdf.ln(float(rest or "4"))
            except ValueError:
                raise LayoutError(f"line {number}: space takes millimetres") from None
        elif word == "page":
            r.pdf.add_page()
        else:
            raise LayoutError(f"line {number}: unknown layout word {word!r}")
    if rows is not None:
        r.table(table_line, widths, rows)
    return r.output()
