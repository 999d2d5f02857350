"""Text rules shared by storage, search and printing.

Vietnamese arrives from keyboards, scanners and CSV files in both composed and decomposed forms;
everything is stored NFC so equal names compare equal. Search ignores diacritics, so names are
also kept "folded" (no marks, đ→d, lower case, single spaces). User text can carry terminal or
printer control bytes (a scanner suffix, a pasted ESC sequence): `clean` removes them before the
text is stored, shown or printed.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

# Control characters, invisible and bidirectional marks: none of them is printable
# (str.isprintable), so text that is printable, nearly all of it, never needs the pattern,
# which is compiled when first needed: a class beyond Latin-1 costs half a millisecond to
# compile, at every start of the program.
CONTROL = r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]"
_SPACES = re.compile(r"\s+")
_FOLD_EXTRA = str.maketrans({"đ": "d", "Đ": "d"})


@cache
def _control() -> re.Pattern[str]:
    return re.compile(CONTROL)


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def without_controls(text: str, replacement: str = "") -> str:
    """`text` with each control character or invisible mark replaced by `replacement`."""
    return text if text.isprintable() else _control().sub(replacement, text)


def has_surrogates(text: str) -> bool:
    """Whether `text` holds lone surrogates: bytes that were not UTF-8, as Python keeps them
    in arguments, the environment and file names. Strict UTF-8 refuses exactly those."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def clean(text: str, *, multiline: bool = False) -> str:
    """NFC, without control characters; single-line text also has its whitespace collapsed."""
    text = nfc(text)
    if multiline:
        lines = [without_controls(line).rstrip()
                 for line in text.replace("\r\n", "\n").split("\n")]
        return "\n".join(lines).strip("\n")
    return _SPACES.sub(" ", without_controls(text.replace("\t", " "), " ")).strip()


def fold(text: str) -> str:
    """The search key of a text: no diacritics, đ→d, lower case, single spaces.

    >>> fold("  Nguyễn   Văn ĐẠT ")
    'nguyen van dat'
    """
    decomposed = unicodedata.normalize("NFD", clean(text).translate(_FOLD_EXTRA))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return stripped.lower()


def digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())
