"""Vietnamese text in the four ways an ESC/POS printer can be made to print it.

Each printer is configured with one text mode (config `printer.text_mode`):

`tcvn3`
    TCVN 5712:1993 "VN3" (the "ABC" font encoding), in Epson's character code tables 30
    ("TCVN-3 (Vietnamese)", lower case) and 31 ("TCVN-3 (Vietnamese)", capitals), selected with
    ESC t n. Lower-case letters (and ASCII) are sent with table 30, capitals with table 31; ASCII
    is the same in both, so the encoder switches tables only where the case of a Vietnamese letter
    changes.

    Which variant, and why not glibc's: TCVN 5712:1993 defines VN1, VN2 and VN3. glibc's
    `TCVN5712-1` is VN1: all 134 precomposed letters in one 8-bit table, which it can only fit by
    putting 12 capitals in the C0 control range (Ú=0x01, Ụ=0x02, Ừ=0x04, Ử=0x05, Ữ=0x06,
    Ứ=0x11, Ự=0x12, Ỳ=0x13, Ỷ=0x14, Ỹ=0x15, Ý=0x16, Ỵ=0x17) and the rest in 0x80-0x9F and in
    gaps of 0xA0-0xFF. A printer reads 0x10-0x17 as commands (DLE EOT is a real-time status
    request), so VN1 cannot be sent to an ESC/POS printer. Printers implement VN3 instead, which
    has no capitals with tone marks: like the ABC fonts (.VnTime / .VnTimeH) it uses a second,
    capitals table in which each capital sits at the byte of its lower-case letter.

    Evidence for the bytes: (1) lower case: VN3 and glibc's VN1 agree on every lower-case letter
    (0xA8-0xAE for ă â ê ô ơ ư đ, 0xB5-0xFE for the toned letters), so the tests check those bytes
    against `iconv -t TCVN5712-1`; (2) Epson's tables as typed from its code-page charts into
    escpos-printer-db, shipped with python-escpos as `TCVN-3-1` (table 30) and `TCVN-3-2` (table
    31) in the profiles TM-T20II, TM-T88II, TM-T88IV-SA, TM-T88V, TM-P80, TM-L90, CT-S651,
    TEP-200M and "default". There, table 30 has exactly VN3's lower case and nothing at
    0xA1-0xA7; table 31 has every toned capital at its lower-case byte, Ê Ô Ơ Ư at the bytes of
    ê ô ơ ư (0xAA-0xAD), and Ă Â Đ at VN3's capital bytes 0xA1, 0xA2, 0xA7 (the database writes
    Đ as U+00D0 "Ð", a look-alike; the printer's glyph is Đ). The hand table below follows both;
    the tests check it against glibc (lower case, and Ă Â Đ) and against the escpos-printer-db
    tables (every letter). Table numbers differ between brands: they come from the printer's
    escpos profile when it names them (`CodeTables`), e.g. cp1258 is table 52 on Epson, 27 on
    NT-5890K/POS-5890 (which also list 94), 35 on RP326.

`cp1258`
    Windows-1258, Epson table 52 ("WPC1258"). It holds few precomposed letters (à á â è é ê í ó ô
    ù ú, ă ơ ư đ and their capitals); any other letter is sent as its base letter (circumflex,
    breve or horn included where cp1258 has it) followed by one of five combining tone bytes
    (0xCC grave, 0xEC acute, 0xD2 hook, 0xDE tilde, 0xF2 dot below). Python's codec maps one
    character to one byte only, so the decomposition is done here; the tests check every letter
    against `iconv -t CP1258`, which does the same. Cheap printers print the tone byte beside the
    letter instead of over it: use `tcvn3` or `raster` for those.

`ascii`
    Marks removed (Nguyễn → Nguyen, Đ → D), case kept: the last resort, readable everywhere.

`raster`
    Text drawn with a TrueType font that covers Vietnamese (DejaVu Sans, or `printer.font`) into a
    1-bit image and sent as a raster image (GS v 0): right on every printer, but many times the
    bytes of a text mode. `RasterFont` measures, wraps and draws the lines.

Text reaching an encoder must already be `counter_tui.core.text.clean`ed; the encoders also drop
anything below 0x20 themselves, so no byte of user text can become a printer command.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from counter_tui.core.records import frozen

if TYPE_CHECKING:
    from PIL import Image, ImageFont

TEXT_MODES = ("tcvn3", "cp1258", "ascii", "raster")
BYTE_MODES = ("tcvn3", "cp1258", "ascii")

ESC = b"\x1b"

GRAVE, ACUTE, HOOK, TILDE, DOT = "\u0300", "\u0301", "\u0309", "\u0303", "\u0323"
TONES = (GRAVE, HOOK, TILDE, ACUTE, DOT)  # VN3's order within each vowel's row

# TCVN 5712:1993 VN3, typed from the standard's chart: the toned forms of each lower-case vowel,
# in the order grave, hook above, tilde, acute, dot below.
_VN3_TONED: dict[str, tuple[int, int, int, int, int]] = {
    "a": (0xB5, 0xB6, 0xB7, 0xB8, 0xB9),
    "ă": (0xBB, 0xBC, 0xBD, 0xBE, 0xC6),
    "â": (0xC7, 0xC8, 0xC9, 0xCA, 0xCB),
    "e": (0xCC, 0xCE, 0xCF, 0xD0, 0xD1),
    "ê": (0xD2, 0xD3, 0xD4, 0xD5, 0xD6),
    "i": (0xD7, 0xD8, 0xDC, 0xDD, 0xDE),
    "o": (0xDF, 0xE1, 0xE2, 0xE3, 0xE4),
    "ô": (0xE5, 0xE6, 0xE7, 0xE8, 0xE9),
    "ơ": (0xEA, 0xEB, 0xEC, 0xED, 0xEE),
    "u": (0xEF, 0xF1, 0xF2, 0xF3, 0xF4),
    "ư": (0xF5, 0xF6, 0xF7, 0xF8, 0xF9),
    "y": (0xFA, 0xFB, 0xFC, 0xFD, 0xFE),
}
_VN3_PLAIN_LOWER = {"ă": 0xA8, "â": 0xA9, "ê": 0xAA, "ô": 0xAB, "ơ": 0xAC, "ư": 0xAD, "đ": 0xAE}
# Capitals without a tone in table 31 (see the module docstring for the evidence).
_TABLE31_PLAIN_UPPER = {"Ă": 0xA1, "Â": 0xA2, "Đ": 0xA7, "Ê": 0xAA, "Ô": 0xAB, "Ơ": 0xAC, "Ư": 0xAD}


def _vn3_tables() -> tuple[dict[str, int], dict[str, int]]:
    lower: dict[str, int] = dict(_VN3_PLAIN_LOWER)
    for base, codes in _VN3_TONED.items():
        for tone, code in zip(TONES, codes, strict=True):
            lower[unicodedata.normalize("NFC", base + tone)] = code
    upper = {ch.upper(): code for ch, code in lower.items() if ch not in _VN3_PLAIN_LOWER}
    upper.update(_TABLE31_PLAIN_UPPER)
    return lower, upper


TCVN3_LOWER, TCVN3_UPPER = _vn3_tables()
"""Unicode letter -> byte, in table 30 (lower case) and table 31 (capitals)."""

_CP1258_TONE_BYTES = {GRAVE: 0xCC, ACUTE: 0xEC, HOOK: 0xD2, TILDE: 0xDE, DOT: 0xF2}

# Punctuation a Vietnamese text may carry that no code table here has.
_ASCII_EXTRA = str.maketrans({
    "đ": "d", "Đ": "D", "₫": "d", "–": "-", "—": "-", "‐": "-", "‑": "-", "−": "-",
    "‘": "'", "’": "'", "‚": ",", "“": '"', "”": '"', "„": '"', "«": '"', "»": '"',
    "…": "...", "•": "*", "·": ".", "×": "x", "÷": ":", "°": "o", "\u00a0": " ",
})


@frozen
class CodeTables:
    """ESC t table numbers for the byte modes. Defaults are Epson's numbering."""

    tcvn3_lower: int = 30
    tcvn3_upper: int = 31
    cp1258: int = 52
    ascii: int = 0  # PC437: every printer has it, and ASCII is the same in all tables

    @classmethod
    def for_profile(cls, code_pages: Mapping[str, str]) -> CodeTables:
        """The numbers a printer profile gives its code pages (`{"30": "TCVN-3-1", ...}`).

        A profile that does not list a page keeps Epson's number: many profiles are incomplete,
        and Epson's numbering is what clones copy.
        """
        by_name: dict[str, int] = {}
        for number, name in sorted(code_pages.items(), key=lambda kv: int(kv[0])):
            by_name.setdefault(name, int(number))
        default = cls()
        return cls(
            tcvn3_lower=by_name.get("TCVN-3-1", default.tcvn3_lower),
            tcvn3_upper=by_name.get("TCVN-3-2", default.tcvn3_upper),
            cp1258=by_name.get("CP1258", default.cp1258),
            ascii=by_name.get("CP437", default.ascii),
        )


def select_table(number: int) -> bytes:
    """ESC t n: select character code table n."""
    return ESC + b"t" + bytes([number])


def ascii_fold(text: str) -> str:
    """The text without marks, case kept: 'Nguyễn Văn Đạt' -> 'Nguyen Van Dat'.

    Anything still outside printable ASCII afterwards becomes '?'.
    """
    decomposed = unicodedata.normalize("NFD", text.translate(_ASCII_EXTRA))
    out = []
    for ch in decomposed:
        if unicodedata.combining(ch):
            continue
        out.append(ch if " " <= ch <= "~" else "?")
    return "".join(out)


def _printable(ch: str) -> bool:
    return ch >= " " and ch != "\x7f"


def cp1258_char(ch: str) -> bytes | None:
    """One NFC character in Windows-1258: one byte, or base + combining tone byte; None if none."""
    if " " <= ch <= "~":
        return ch.encode("ascii")
    try:
        return ch.encode("cp1258")
    except UnicodeEncodeError:
        pass
    decomposed = unicodedata.normalize("NFD", ch)
    tones = [m for m in decomposed[1:] if m in _CP1258_TONE_BYTES]
    if len(tones) != 1:
        return None
    base = unicodedata.normalize("NFC", "".join(m for m in decomposed if m not in tones))
    try:
        encoded = base.encode("cp1258")
    except UnicodeEncodeError:
        return None
    return encoded + bytes([_CP1258_TONE_BYTES[tones[0]]]) if len(encoded) == 1 else None


def tcvn3_char(ch: str) -> tuple[str | None, int] | None:
    """One character in VN3: ("lower" | "upper" | None for either table, byte), or None."""
    if " " <= ch <= "~":
        return None, ord(ch)
    if ch in TCVN3_LOWER:
        return "lower", TCVN3_LOWER[ch]
    if ch in TCVN3_UPPER:
        return "upper", TCVN3_UPPER[ch]
    return None


class ByteEncoder:
    """Encodes lines of text for one byte mode, keeping track of the selected code table.

    The printer forgets its table at ESC @, and so must this encoder: call `select()` right after
    every reset and send what it returns.
    """

    def __init__(self, mode: str, tables: CodeTables | None = None) -> None:
        if mode not in BYTE_MODES:
            raise ValueError(f"not a byte text mode: {mode!r} (one of {', '.join(BYTE_MODES)})")
        self.mode = mode
        self.tables = tables or CodeTables()
        self.current: int | None = None

    @property
    def base_table(self) -> int:
        if self.mode == "tcvn3":
            return self.tables.tcvn3_lower
        return self.tables.cp1258 if self.mode == "cp1258" else self.tables.ascii

    def select(self) -> bytes:
        """ESC t for this mode's table; to be sent after every ESC @."""
        self.current = self.base_table
        return select_table(self.current)

    def _switch(self, table: int) -> bytes:
        if table == self.current:
            return b""
        self.current = table
        return select_table(table)

    def encodable(self, ch: str) -> bool:
        """Whether `ch` prints as exactly one character cell in this mode."""
        if self.mode == "tcvn3":
            return tcvn3_char(ch) is not None
        if self.mode == "cp1258":
            return cp1258_char(ch) is not None
        return " " <= ch <= "~"

    def encode(self, text: str) -> bytes:
        """Bytes for `text` (one line, no newline), with any table switches it needs."""
        text = unicodedata.normalize("NFC", text)
        if self.mode == "ascii":
            return ascii_fold("".join(ch for ch in text if _printable(ch))).encode("ascii")
        out = bytearray()
        for ch in text:
            if not _printable(ch):
                continue
            out += self._encode_char(ch)
        return bytes(out)

    def _encode_char(self, ch: str) -> bytes:
        if self.mode == "cp1258":
            encoded = cp1258_char(ch)
            if encoded is not None:
                return self._switch(self.tables.cp1258) + encoded
            return ascii_fold(ch).encode("ascii")
        found = tcvn3_char(ch)
        if found is None:
            return ascii_fold(ch).encode("ascii")
        case, code = found
        if case == "lower":
            return self._switch(self.tables.tcvn3_lower) + bytes([code])
        if case == "upper":
            return self._switch(self.tables.tcvn3_upper) + bytes([code])
        return bytes([code])


# --- raster ---------------------------------------------------------------------------------

FONT_DIRS = (
    Path("/usr/share/fonts/truetype/dejavu"),
    Path("/usr/share/fonts/dejavu"),
    Path("/usr/local/share/fonts"),
    Path("/Library/Fonts"),
    Path("C:/Windows/Fonts"),
)
REGULAR_FONT = "DejaVuSans.ttf"
BOLD_FONT = "DejaVuSans-Bold.ttf"

# Lookup tables for Image.point (a Python callable there is called 256 times per image).
_PAPER_OR_INK = [0] * 128 + [255] * 128  # grey -> black ink or white paper
_INK_ONLY = [255] * 128 + [0] * 128  # ink as non-zero, for getbbox()

# The tallest Vietnamese letters (stacked marks above, dot below): a line must hold them unclipped.
_TALL_SAMPLE = "ẤỖỄẪỦỸÝjgyỵợ"


class FontMissing(FileNotFoundError):
    """No TrueType font covering Vietnamese was found for raster mode."""


def find_font(configured: str = "", *, bold: bool = False) -> Path:
    """The font file for raster mode: `printer.font` if set (its -Bold sibling for bold text,
    when there is one), else DejaVu Sans from the usual font folders."""
    if configured:
        path = Path(configured)
        if not path.is_file():
            raise FontMissing(f"printer.font = {configured!r}: no such font file")
        if bold:
            sibling = path.with_name(f"{path.stem}-Bold{path.suffix}")
            if sibling.is_file():
                return sibling
        return path
    name = BOLD_FONT if bold else REGULAR_FONT
    for folder in FONT_DIRS:
        candidate = folder / name
        if candidate.is_file():
            return candidate
    raise FontMissing(
        f"raster text mode needs the font {name} (Debian: apt-get install fonts-dejavu-core) "
        "or printer.font set to a TrueType font that covers Vietnamese"
    )


@cache
def _truetype(path: str, size: int) -> ImageFont.FreeTypeFont:
    from PIL import ImageFont

    return ImageFont.truetype(path, size)


class RasterFont:
    """One face at one size: measures, wraps and draws lines as cropped 1-bit images."""

    def __init__(self, path: Path, size: int) -> None:
        self.path, self.size = path, size
        self.font: Any = _truetype(str(path), size)
        ascent, descent = self.font.getmetrics()
        _, top, _, bottom = self.font.getbbox(_TALL_SAMPLE, anchor="ls")
        self.ascent: int = max(int(ascent), -int(top)) + 1
        self.height: int = self.ascent + max(int(descent), int(bottom)) + 2

    def width(self, text: str) -> int:
        return round(self.font.getlength(text))

    def wrap(self, text: str, max_width: int) -> list[str]:
        """Greedy word wrap by measured width; a word wider than a line is cut by characters."""
        lines: list[str] = []
        for paragraph in text.split("\n"):
            line = ""
            for word in paragraph.split(" "):
                candidate = f"{line} {word}" if line else word
                if self.width(candidate) <= max_width:
                    line = candidate
                    continue
                if line:
                    lines.append(line)
                line = ""
                for ch in word:
                    if line and self.width(line + ch) > max_width:
                        lines.append(line)
                        line = ""
                    line += ch
            lines.append(line)
        return lines

    def draw(self, text: str, align: str = "left") -> Image.Image | None:
        """The line as a black-on-white 1-bit image cropped to its ink; None if it has no ink.

        Left-aligned lines keep their left edge (x = 0) so consecutive lines line up; centred and
        right-aligned lines are cropped on both sides and positioned by the printer (ESC a).
        """
        from PIL import Image, ImageDraw

        width = max(1, self.width(text) + 4)
        canvas = Image.new("L", (width, self.height), 255)
        ImageDraw.Draw(canvas).text((0, self.ascent), text, font=self.font, fill=0, anchor="ls")
        mono = canvas.point(_PAPER_OR_INK, mode="1")
        bbox = canvas.point(_INK_ONLY).getbbox()
        if bbox is None:
            return None
        left = 0 if align == "left" else bbox[0]
        return mono.crop((left, 0, bbox[2], self.height))


@cache
def raster_font(path: Path, size: int) -> RasterFont:
    """A shared `RasterFont`: measuring the tall letters once per face and size is enough."""
    return RasterFont(path, size)
