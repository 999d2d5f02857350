"""CSV files as offices really have them: saved by Excel, LibreOffice or an old Windows program.

Excel's "CSV UTF-8" starts with a byte-order mark; its "Unicode Text" is UTF-16 with a mark
and tabs between the columns; a Vietnamese Windows in its legacy code page writes Windows-1258,
where a tone mark is a separate byte after its vowel; some locales separate columns with ";".
`open_csv` recognises each of these before a single row is used, so an import never stores
half a file and then stops at a bad byte: a file it cannot read is refused whole, naming the
line of the first byte it could not read and how to save the file as UTF-8. A file that is
not UTF-8 is taken as Windows-1258 only when every letter it then gives is a Vietnamese one:
TCVN3 or VNI bytes read that way give letters Vietnamese does not have, and are refused.
"""

from __future__ import annotations

import codecs
import csv
import io
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

from counter_tui.core.errors import UserError, os_reason
from counter_tui.core.records import frozen

CHUNK = 1 << 20
DELIMITERS = (",", "\t", ";")

# Letters Vietnamese writes (lower case; upper case is checked through lower()).
_VIETNAMESE = frozenset(
    "àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ")
# What else a Vietnamese spreadsheet holds beyond ASCII. Kept short on purpose: TCVN3 puts
# letters where Windows-1258 has «, ©, ®, µ and the like, which must not pass for text.
_PUNCTUATION = frozenset("\u00a0–—‘’“”…€₫•×")


@frozen
class CsvText:
    """An open CSV file: its stream, the encoding and the delimiter it was read with."""

    stream: TextIO
    encoding: str
    delimiter: str

    def reader(self) -> Iterator[list[str]]:
        return csv.reader(self.stream, delimiter=self.delimiter)


def _first_bad_byte(path: Path, encoding: str) -> tuple[int, int] | None:
    """(line, byte) of the first byte `encoding` cannot read in the file, or None."""
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    lines = 1
    with path.open("rb") as fh:
        while True:
            chunk = fh.read(CHUNK)
            try:
                decoder.decode(chunk, final=not chunk)
            except UnicodeDecodeError as exc:
                # the error's position counts from the bytes the decoder still held
                at = max(0, exc.start - (len(exc.object) - len(chunk)))
                return lines + chunk[:at].count(b"\n"), chunk[at] if at < len(chunk) else 0
            if not chunk:
                return None
            lines += chunk.count(b"\n")


def _plausibly_vietnamese(path: Path, encoding: str) -> bool:
    """Whether the file, read in `encoding`, is Vietnamese text: every letter beyond ASCII a
    Vietnamese one, and every tone mark on a letter (Windows-1258 writes a mark as a byte of
    its own after its vowel; composed, none is left over)."""
    with path.open(encoding=encoding, errors="strict", newline="") as fh:
        for line in fh:
            for ch in set(unicodedata.normalize("NFC", line)):
                if not (ch.isascii() or ch.lower() in _VIETNAMESE or ch in _PUNCTUATION):
                    return False
    return True


def _encoding(path: Path) -> str:
    with path.open("rb") as fh:
        head = fh.read(4)
    if head.startswith(codecs.BOM_UTF8):
        encoding = "utf-8-sig"
    elif head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"  # Excel's "Unicode Text": the codec reads the mark's byte order
    else:
        encoding = "utf-8"
    bad = _first_bad_byte(path, encoding)
    if bad is None:
        return encoding
    if encoding == "utf-8" and _first_bad_byte(path, "cp1258") is None \
            and _plausibly_vietnamese(path, "cp1258"):
        return "cp1258"
    line, byte = bad
    raise UserError("csvfile.encoding", path=str(path), line=line, byte=f"{byte:02X}")


def _delimiter(header: str, expected: tuple[str, ...]) -> str:
    """The separator that splits the header into the most expected column names."""
    def score(sep: str) -> int:
        return sum(1 for name in header.split(sep) if name.strip().strip('"').lower()
                   in expected)

    return max(DELIMITERS, key=score)


def open_csv(path: Path, expected: tuple[str, ...]) -> CsvText:
    """The file, checked readable from its first byte to its last, open at its first line;
    `expected` are column names the header should hold (to tell the delimiter)."""
    try:
        encoding = _encoding(path)
        stream = path.open(encoding=encoding, newline="")
    except OSError as exc:
        raise UserError("csvfile.unreadable", path=str(path),
                        reason=os_reason(exc)) from None
    header = stream.readline()
    stream.seek(0)  # the decoder starts again too, reading the mark as a mark
    return CsvText(stream, encoding, _delimiter(header, expected))


def read_text(path: Path, expected: tuple[str, ...]) -> str:
    """The whole file as text, read the way open_csv would, with ',' between columns."""
    opened = open_csv(path, expected)
    with opened.stream:
        if opened.delimiter == ",":
            return opened.stream.read()
        out = io.StringIO()
        csv.writer(out, lineterminator="\n").writerows(opened.reader())
        return out.getvalue()
