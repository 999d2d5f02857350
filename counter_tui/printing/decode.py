"""ESC/POS bytes read back into what the paper would show.

The renderer's tests, the `printer preview` command and the simulated printer all need to know
what a byte stream prints without a printer. This decoder is written from the ESC/POS command
set, not from the renderer: it shares no code with `render` or `textmodes`. Bytes of 0x80 and up
are read through the code table that ESC t selected last (ESC @ selects table 0 again), with the
tables of the printer's escpos profile: tables given as data in the printer database (TCVN-3) are
read from it, the others through Python's codecs; cp1258's separate tone marks are composed
(NFC) at the end of each line.

Unknown commands are skipped by their usual length and listed in `Decoded.unknown`, so a stream
from another program still decodes as far as it can.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Any

from counter_tui.core.records import frozen
from counter_tui.printing import escpos_safe

if TYPE_CHECKING:
    from PIL import Image

ESC, GS, FS, DLE = 0x1B, 0x1D, 0x1C, 0x10
UNKNOWN_CHAR = "\ufffd"

# ESC/GS/FS commands with a fixed number of parameter bytes after the command letter.
_ESC_ARGS = {
    "@": 0, "2": 0, "<": 0, "i": 0, "m": 0, "L": 0, "S": 0, "v": 0, "!": 1, "-": 1, "3": 1,
    "E": 1, "G": 1, "J": 1, "K": 1, "M": 1, "R": 1, "T": 1, "U": 1, "V": 1, "a": 1, "d": 1,
    "e": 1, "r": 1, "t": 1, "u": 1, "{": 1, " ": 1, "%": 1, "=": 1, "?": 1, "c": 2, "$": 2,
    "\\": 2, "B": 2, "p": 3, "W": 8,
}
_GS_ARGS = {
    "!": 1, "B": 1, "H": 1, "I": 1, "a": 1, "b": 1, "f": 1, "h": 1, "w": 1, "r": 1, "/": 1,
    "T": 1, "E": 1, "L": 2, "P": 2, "W": 2, "$": 2, "\\": 2, "^": 3, ":": 0, "g": 4,
}
_FS_ARGS = {".": 0, "&": 0, "!": 1, "-": 1, "C": 1, "W": 1, "S": 2, "p": 2}


@frozen
class Line:
    """One printed line of text with the style it was printed in."""

    text: str
    align: str = "left"
    bold: bool = False
    width: int = 1  # character size multipliers (GS !)
    height: int = 1


@frozen
class Picture:
    image: Image.Image
    align: str = "left"


@frozen
class QRCode:
    payload: str
    module: int = 3
    align: str = "left"


@frozen
class CutMark:
    partial: bool = False


@frozen
class Gap:
    """Paper fed by a distance in dots (ESC J n) rather than in lines."""

    dots: int


Item = Line | Picture | QRCode | CutMark | Gap


@dataclass
class Decoded:
    """What a byte stream prints, in paper order (`items`) and summed up for tests."""

    text: list[str] = field(default_factory=list)
    qr_payloads: list[str] = field(default_factory=list)
    cuts: int = 0
    images: list[Image.Image] = field(default_factory=list)
    items: list[Item] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)
    tables: list[int] = field(default_factory=list)  # every ESC t seen, in order


@cache
def _code_tables(profile: str) -> dict[int, Callable[[int], str]]:
    """table number -> (byte 0x80..0xFF -> character) for a printer profile."""
    caps = escpos_safe.capabilities()
    pages: dict[str, str] = dict(caps["profiles"]["default"].get("codePages", {}))
    if profile in caps["profiles"]:
        pages.update(caps["profiles"][profile].get("codePages", {}))
    out: dict[int, Callable[[int], str]] = {}
    for number, name in pages.items():
        reader = _table_reader(name, caps["encodings"].get(name, {}))
        if reader is not None:
            out[int(number)] = reader
    return out


def _table_reader(name: str, encoding: dict[str, Any]) -> Callable[[int], str] | None:
    if "data" in encoding:
        chars = list("".join(encoding["data"]))
        if len(chars) != 128:
            return None
        if name == "TCVN-3-2":
            # The database types the capital Đ as U+00D0 (Icelandic eth), its look-alike.
            chars = ["\u0110" if c == "\u00d0" else c for c in chars]
        table = [UNKNOWN_CHAR if c == " " else c for c in chars]
        return lambda b: table[b - 0x80]
    codec = encoding.get("python_encode")
    if codec:
        try:
            "".encode(codec)
        except LookupError:
            return None
        return lambda b: bytes([b]).decode(codec, errors="replace")
    return None


class _Reader:
    def __init__(self, data: bytes, profile: str) -> None:
        self.data = data
        self.tables = _code_tables(profile)
        self.out = Decoded()
        self.reset()
        self.pending_graphic: Image.Image | None = None
        self.pending_qr: str | None = None
        self.qr_module = 3

    def reset(self) -> None:
        self.line = ""
        self.table = 0
        self.align = "left"
        self.bold = False
        self.width = self.height = 1

    # -- output -----------------------------------------------------------------------------

    def flush(self, force: bool = True) -> None:
        if self.line or force:
            text = unicodedata.normalize("NFC", self.line)
            self.out.text.append(text)
            self.out.items.append(Line(text, self.align, self.bold, self.width, self.height))
        self.line = ""

    def feed(self, lines: int) -> None:
        """ESC d n: print what is buffered (that is the first line), then feed the rest."""
        if self.line:
            self.flush()
            lines -= 1
        for _ in range(max(0, lines)):
            self.flush()

    def picture(self, image: Image.Image) -> None:
        if self.line:
            self.flush()
        self.out.images.append(image)
        self.out.items.append(Picture(image, self.align))
        self.out.text.append(f"[raster {image.width}x{image.height}]")

    def char(self, b: int) -> None:
        if b < 0x80:
            self.line += chr(b)
            return
        reader = self.tables.get(self.table)
        self.line += reader(b) if reader else UNKNOWN_CHAR

    def unknown(self, what: str) -> None:
        self.out.unknown.append(what)

    # -- parsing ----------------------------------------------------------------------------

    def arg(self, i: int) -> int:
        return self.data[i] if i < len(self.data) else 0

    def run(self) -> Decoded:
        i, n = 0, len(self.data)
        while i < n:
            b = self.data[i]
            if b == 0x0A:
                self.flush()
                i += 1
            elif b == ESC:
                i = self.esc(i)
            elif b == GS:
                i = self.gs(i)
            elif b == FS:
                i = self.fs(i)
            elif b == DLE:
                i = self.dle(i)
            elif b == 0x09:
                self.line += " "
                i += 1
            elif b == 0x0C:
                self.flush(force=False)
                i += 1
            elif b < 0x20 or b == 0x7F:
                i += 1
            else:
                self.char(b)
                i += 1
        self.flush(force=False)
        return self.out

    def esc(self, i: int) -> int:
        cmd = chr(self.arg(i + 1))
        p = i + 2
        if cmd == "@":
            self.line = ""  # the printer clears its buffer
            self.reset()
        elif cmd == "t":
            self.table = self.arg(p)
            self.out.tables.append(self.table)
        elif cmd == "a":
            self.align = {0: "left", 1: "center", 2: "right", 48: "left", 49: "center",
                          50: "right"}.get(self.arg(p), "left")
        elif cmd == "E":
            self.bold = bool(self.arg(p) & 1)
        elif cmd == "!":
            mode = self.arg(p)
            self.bold = bool(mode & 0x08)
            self.width, self.height = (2 if mode & 0x20 else 1), (2 if mode & 0x10 else 1)
        elif cmd == "d":
            self.feed(self.arg(p))
        elif cmd == "J":
            if self.line:
                self.flush()
            self.out.items.append(Gap(self.arg(p)))
        elif cmd in ("i", "m"):
            self.cut(partial=True)
        elif cmd == "*":
            return self.column_image(i)
        elif cmd == "D":  # tab positions, NUL-terminated
            end = self.data.find(b"\x00", p)
            return len(self.data) if end < 0 else end + 1
        elif cmd == "(":  # ESC ( A / ESC ( Y ...: pL pH data
            size = self.arg(p + 1) | self.arg(p + 2) << 8
            return p + 3 + size
        elif cmd == "&":  # user-defined characters: y c1 c2 then (x, x*y bytes) per char
            y, c1, c2 = self.arg(p), self.arg(p + 1), self.arg(p + 2)
            j = p + 3
            for _ in range(max(0, c2 - c1 + 1)):
                j += 1 + self.arg(j) * y
            return j
        elif cmd not in _ESC_ARGS:
            self.unknown(f"ESC {cmd!r}")
        return p + _ESC_ARGS.get(cmd, 0)

    def gs(self, i: int) -> int:
        cmd = chr(self.arg(i + 1))
        p = i + 2
        if cmd == "!":
            size = self.arg(p)
            self.width, self.height = (size >> 4 & 7) + 1, (size & 7) + 1
        elif cmd == "V":
            m = self.arg(p)
            self.cut(partial=m in (1, 49, 66, 98, 104))
            return p + (2 if m >= 65 else 1)
        elif cmd == "v" and self.arg(p) == 0x30:
            return self.raster_image(p + 1)
        elif cmd == "(":
            size = self.arg(p + 1) | self.arg(p + 2) << 8
            body = self.data[p + 3 : p + 3 + size]
            self.gs_paren(chr(self.arg(p)), body)
            return p + 3 + size
        elif cmd == "8" and chr(self.arg(p)) == "L":
            size = int.from_bytes(self.data[p + 1 : p + 5], "little")
            self.gs_paren("L", self.data[p + 5 : p + 5 + size])
            return p + 5 + size
        elif cmd == "k":
            return self.barcode(p)
        elif cmd == "*":
            x, y = self.arg(p), self.arg(p + 1)
            return p + 2 + x * y * 8
        elif cmd not in _GS_ARGS:
            self.unknown(f"GS {cmd!r}")
        return p + _GS_ARGS.get(cmd, 0)

    def fs(self, i: int) -> int:
        cmd = chr(self.arg(i + 1))
        p = i + 2
        if cmd == "(":
            size = self.arg(p + 1) | self.arg(p + 2) << 8
            return p + 3 + size
        if cmd not in _FS_ARGS:
            self.unknown(f"FS {cmd!r}")
        return p + _FS_ARGS.get(cmd, 0)

    def dle(self, i: int) -> int:
        cmd = self.arg(i + 1)
        if cmd in (0x04, 0x05):  # DLE EOT n / DLE ENQ n: real-time requests
            return i + 3
        if cmd == 0x14:  # DLE DC4 fn m t
            return i + 5
        return i + 1

    def cut(self, partial: bool) -> None:
        if self.line:
            self.flush()
        self.out.cuts += 1
        self.out.items.append(CutMark(partial))

    # -- graphics ---------------------------------------------------------------------------

    def raster_image(self, p: int) -> int:
        """GS v 0 m xL xH yL yH d1...dk: k = x * y bytes, 8 dots a byte, MSB left, 1 = ink."""
        from PIL import Image

        m = self.arg(p)
        x = self.arg(p + 1) | self.arg(p + 2) << 8
        y = self.arg(p + 3) | self.arg(p + 4) << 8
        start, end = p + 5, p + 5 + x * y
        bits = self.data[start:end].ljust(x * y, b"\x00")
        if x and y:
            image = Image.frombytes("1", (x * 8, y), bits, "raw", "1;I")
            if m & 1 or m & 2:
                image = image.resize(
                    (image.width * (2 if m & 1 else 1), image.height * (2 if m & 2 else 1))
                )
            self.picture(image)
        return end

    def column_image(self, i: int) -> int:
        """ESC * m nL nH d: n columns of 1 (8-dot) or 3 (24-dot) bytes, MSB top."""
        from PIL import Image

        m = self.arg(i + 2)
        columns = self.arg(i + 3) | self.arg(i + 4) << 8
        rows = 3 if m in (32, 33) else 1
        start, end = i + 5, i + 5 + columns * rows
        chunk = self.data[start:end].ljust(columns * rows, b"\x00")
        image = Image.new("1", (max(1, columns), 8 * rows), 1)
        pixels: Any = image.load()
        for col in range(columns):
            for r in range(rows):
                byte = chunk[col * rows + r]
                for bit in range(8):
                    if byte & (0x80 >> bit):
                        pixels[col, r * 8 + bit] = 0
        if columns:
            self.picture(image)
        return end

    def gs_paren(self, fn_class: str, body: bytes) -> None:
        if fn_class == "k" and len(body) >= 2 and body[0] == 49:  # cn 49: QR Code
            fn = body[1]
            if fn == 67 and len(body) >= 3:
                self.qr_module = body[2]
            elif fn == 80:
                payload = body[3:].decode("utf-8", errors="replace")
                self.out.qr_payloads.append(payload)
                self.pending_qr = payload
            elif fn == 81 and self.pending_qr is not None:
                if self.line:
                    self.flush()
                self.out.items.append(QRCode(self.pending_qr, self.qr_module, self.align))
                self.out.text.append(f"[QR {self.pending_qr}]")
        elif fn_class == "L" and len(body) >= 2:
            fn = body[1]
            if fn == 112 and len(body) >= 10:  # store raster graphics: a bx by c xL xH yL yH d
                self.pending_graphic = self.graphic(body)
            elif fn in (2, 50) and self.pending_graphic is not None:
                self.picture(self.pending_graphic)
                self.pending_graphic = None

    def graphic(self, body: bytes) -> Image.Image | None:
        from PIL import Image

        bx, by = max(1, body[3]), max(1, body[4])
        x = body[6] | body[7] << 8
        y = body[8] | body[9] << 8
        row = (x + 7) // 8
        bits = body[10 : 10 + row * y].ljust(row * y, b"\x00")
        if not (x and y):
            return None
        image = Image.frombytes("1", (row * 8, y), bits, "raw", "1;I").crop((0, 0, x, y))
        return image.resize((x * bx, y * by)) if bx > 1 or by > 1 else image

    def barcode(self, p: int) -> int:
        m = self.arg(p)
        if m <= 6:
            end = self.data.find(b"\x00", p + 1)
            end = len(self.data) if end < 0 else end
            data, nxt = self.data[p + 1 : end], end + 1
        else:
            size = self.arg(p + 1)
            data, nxt = self.data[p + 2 : p + 2 + size], p + 2 + size
        if self.line:
            self.flush()
        self.out.text.append(f"[barcode {data.decode('latin-1')}]")
        self.out.items.append(Line(f"[barcode {data.decode('latin-1')}]", self.align))
        return nxt


def decode(data: bytes, *, profile: str = "default") -> Decoded:
    """Read an ESC/POS stream; `profile` (an escpos profile name) says which table ESC t n is."""
    return _Reader(data, profile).run()
