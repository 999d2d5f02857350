"""A picture of the paper an ESC/POS stream would print, from the decoder's reading of it.

`printer preview` and the simulated printer show an officer (or a test) what a job looks like
without a printer: text lines in a monospaced font at the printer's character grid, raster images
as sent, native QR codes drawn from their payload, a dashed line where the paper is cut.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from counter_tui.printing.decode import CutMark, Decoded, Gap, Line, Picture, QRCode, decode

if TYPE_CHECKING:
    from PIL import Image

# Drawn one character per cell, like the printer's own fixed-pitch font. DejaVu Sans Condensed
# rather than DejaVu Sans Mono: the mono face draws several stacked Vietnamese marks badly.
CELL_FONTS = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSansCondensed.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/dejavu/DejaVuSansCondensed.ttf",
    "/usr/share/fonts/dejavu/DejaVuSans.ttf",
)
MARGIN = 8


def _font(cell_width: int) -> Any:
    from PIL import ImageFont

    for path in CELL_FONTS:
        if Path(path).is_file():
            return ImageFont.truetype(path, max(6, round(cell_width * 1.7)))
    return ImageFont.load_default()


def _text_line(item: Line, cell: int, line_height: int, width_dots: int) -> Image.Image:
    from PIL import Image, ImageDraw

    font = _font(cell * item.width)
    step = cell * item.width
    height = line_height * item.height
    piece = Image.new("L", (max(1, min(width_dots, step * len(item.text))), height), 255)
    draw = ImageDraw.Draw(piece)
    baseline = round(height * 0.78)
    for i, ch in enumerate(item.text):
        if ch == " ":
            continue
        x = i * step + step / 2
        draw.text((x, baseline), ch, font=font, fill=0, anchor="ms")
        if item.bold:  # a second pass one dot to the right, as printers embolden
            draw.text((x + 1, baseline), ch, font=font, fill=0, anchor="ms")
    return piece


def _qr_picture(payload: str, module: int) -> Image.Image:
    import qrcode
    from PIL import Image

    code = qrcode.QRCode(box_size=1, border=2)
    code.add_data(payload)
    code.make(fit=True)
    matrix = code.get_matrix()
    count = len(matrix)
    small = Image.new("1", (count, count), 1)
    small.putdata([0 if dark else 1 for row in matrix for dark in row])
    size = count * max(1, module)
    return small.resize((size, size), Image.Resampling.NEAREST)


def _x(align: str, width: int, paper: int) -> int:
    if align == "center":
        return max(0, (paper - width) // 2)
    if align == "right":
        return max(0, paper - width)
    return 0


def render_preview(decoded: Decoded, width_dots: int, columns: int = 0) -> Image.Image:
    """The decoded stream drawn on a strip of paper `width_dots` wide (white, black ink)."""
    from PIL import Image, ImageDraw

    columns = columns or (32 if width_dots < 512 else 48)
    cell = max(1, width_dots // columns)
    line_height = round(cell * 2.5)  # 12 x 24 dot font A with the default 30-dot line
    pieces: list[tuple[Image.Image, str]] = []
    for item in decoded.items:
        if isinstance(item, Line):
            pieces.append((_text_line(item, cell, line_height, width_dots), item.align))
        elif isinstance(item, Gap):
            pieces.append((Image.new("L", (1, max(1, item.dots)), 255), "left"))
        elif isinstance(item, Picture):
            pieces.append((item.image.convert("L"), item.align))
        elif isinstance(item, QRCode):
            pieces.append((_qr_picture(item.payload, item.module).convert("L"), item.align))
        elif isinstance(item, CutMark):
            mark = Image.new("L", (width_dots, 9), 255)
            draw = ImageDraw.Draw(mark)
            for x in range(0, width_dots, 12):
                draw.line((x, 4, x + 6, 4), fill=0, width=1)
            pieces.append((mark, "left"))
    height = sum(p.height for p, _ in pieces) + 2 * MARGIN
    paper = Image.new("L", (width_dots + 2 * MARGIN, max(height, 2 * MARGIN + 1)), 255)
    y = MARGIN
    for piece, align in pieces:
        paper.paste(piece, (MARGIN + _x(align, piece.width, width_dots), y))
        y += piece.height
    return paper


def preview_png(
    data: bytes, path: str | Path, width_dots: int, *, profile: str = "default", columns: int = 0
) -> Path:
    """Decode `data` and save a PNG picture of the slip at `path`; returns the path."""
    target = Path(path)
    render_preview(decode(data, profile=profile), width_dots, columns).save(target, "PNG")
    return target
