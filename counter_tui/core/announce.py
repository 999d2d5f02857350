"""The words a call is announced with, before any speech engine (or any recorded clip) hears them.

A speech engine reading "A015" as one word says something else, so the number is put into
words here, the way Vietnamese waiting rooms read it, chosen per office:

- digit by digit ("digits"): "A không một lăm". A 5 after another non-zero digit is "lăm", as
  people say "một lăm" for 15 and "hai lăm" for 25; a 5 first or after a 0 stays "năm".
- as a number ("number"): "A mười lăm", with the rules of Vietnamese numerals: "mười" for the
  tens of 10-19, "mươi" for 20 and up; "mốt" for a 1 after "mươi" (21 "hai mươi mốt", but 11
  "mười một"); "lăm" for a 5 after either (15, 25); "linh" (Southern: "lẻ") for a zero tens
  after hundreds (105 "một trăm linh năm"); "nghìn" (Southern: "ngàn").

The counter number is read as a number ("quầy số ba", "quầy số mười hai"). The sentence is
the catalogue's, or an office's own template per group with {number} and {counter}. In English
the digits' words come from the catalogue and a number is left in figures for the engine.
"""

from __future__ import annotations

import string
import unicodedata
from typing import Literal

from counter_tui.core.i18n import language, t

Reading = Literal["digits", "number"]
READINGS: tuple[Reading, ...] = ("digits", "number")
PLACEHOLDERS = frozenset({"number", "counter"})

_DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")


def _below_thousand(n: int, *, full: bool, southern: bool) -> list[str]:
    """0-999 in words; `full`: a higher group was said, so a zero hundreds is said too."""
    hundreds, rest = divmod(n, 100)
    tens, units = divmod(rest, 10)
    words: list[str] = []
    if hundreds or full:
        words += [_DIGITS[hundreds], "trăm"]
    if tens == 0:
        if units:
            if hundreds or full:
                words.append("lẻ" if southern else "linh")
            words.append(_DIGITS[units])
    elif tens == 1:
        words.append("mười")
        if units:
            words.append("lăm" if units == 5 else _DIGITS[units])
    else:
        words += [_DIGITS[tens], "mươi"]
        if units:
            words.append({1: "mốt", 5: "lăm"}.get(units, _DIGITS[units]))
    return words


def number_words(n: int, *, southern: bool = False) -> str:
    """`n` (0 to 999 999) in Vietnamese words: 15 "mười lăm", 21 "hai mươi mốt"."""
    if not 0 <= n < 1_000_000:
        raise ValueError(n)
    if n == 0:
        return _DIGITS[0]
    thousands, rest = divmod(n, 1000)
    words: list[str] = []
    if thousands:
        words += _below_thousand(thousands, full=False, southern=southern)
        words.append("ngàn" if southern else "nghìn")
    if rest:
        words += _below_thousand(rest, full=bool(thousands), southern=southern)
    return " ".join(words)


def _digits(figures: str) -> list[str]:
    vietnamese = language() == "vi"
    words = []
    for i, ch in enumerate(figures):
        after_digit = i > 0 and figures[i - 1] != "0"
        if vietnamese and ch == "5" and after_digit:
            words.append("lăm")
        else:
            words.append(t(f"voice.digit.{ch}"))
    return words


def spell(code: str, reading: Reading = "digits", *, southern: bool = False) -> str:
    """A ticket code as it is read aloud: its letters one by one, then its figures."""
    words: list[str] = []
    figures = ""

    def flush() -> None:
        nonlocal figures
        if not figures:
            return
        if reading == "number" and len(figures) <= 6:
            n = int(figures)
            words.append(number_words(n, southern=southern) if language() == "vi" else str(n))
        else:
            words.extend(_digits(figures))
        figures = ""

    for ch in code:
        if ch.isdigit() and ch.isascii():
            figures += ch
        elif ch.isalnum():
            flush()
            words.append(ch.upper())
    flush()
    return " ".join(words)


def counter_words(counter: int, *, southern: bool = False) -> str:
    """A counter's number as said ("ba", "mười hai"); figures for an English engine."""
    if language() == "vi" and 0 <= counter < 1_000_000:
        return number_words(counter, southern=southern)
    return str(counter)


def template_problem(template: str) -> str | None:
    """Why `template` cannot be an announcement's wording, or None: placeholders other than
    {number} and {counter}, or braces that do not close."""
    try:
        names = {name for _, name, spec, conv in string.Formatter().parse(template)
                 if name is not None}
    except ValueError as exc:
        return str(exc)
    unknown = names - PLACEHOLDERS
    if unknown:
        return ", ".join(sorted("{" + n + "}" for n in unknown))
    return None


def call_text(code: str, counter: int, *, recall: bool = False, reading: Reading = "digits",
              template: str = "", southern: bool = False) -> str:
    """The sentence for a call (or a second call) of `code` to counter number `counter`, in
    the office's `template` if it has one, else the catalogue's."""
    number = spell(code, reading, southern=southern)
    said = counter_words(counter, southern=southern)
    if template:
        text = template.format(number=number, counter=said)
    else:
        text = t("voice.recall" if recall else "voice.call", number=number, counter=said)
    return unicodedata.normalize("NFC", " ".join(text.split()))
