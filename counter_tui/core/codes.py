"""The two numbers a citizen carries away: the dossier code on the receipt and the queue ticket.

A dossier code is `<agency identifier>-<YYMMDD>-<NNNN>` (e.g. `000.17.22.H56-210531-0001`):
the agency's code under the national standard for agency identifiers, the day of receipt and
the running number of that agency's dossiers that day. It is printed as text and as a QR code,
and comes back through a barcode scanner, which types like a keyboard: surrounding spaces, a
trailing Enter, lower case if Caps Lock was on. Parsing forgives exactly that, and nothing that
could turn one dossier's code into another's.

A ticket number is the group's series letter and a running number, `A015`.

Taking the next number safely is the store's job (services.numbering); this module only says
what numbers look like.
"""

from __future__ import annotations

import re
from datetime import date

from counter_tui.core.errors import UserError
from counter_tui.core.records import frozen
from counter_tui.core.text import clean

AGENCY_MAX = 40
# Digits beyond four appear only past the 9999th dossier of a day; a leading zero in a longer
# number is never produced, so a code carrying one was not made here and is not accepted.
_SEQ = r"(?:[0-9]{4}|[1-9][0-9]{4,})"
_AGENCY = re.compile(r"[A-Z0-9]+(?:\.[A-Z0-9]+)*")
_DOSSIER = re.compile(rf"(?P<agency>{_AGENCY.pattern})-(?P<day>[0-9]{{6}})-(?P<seq>{_SEQ})")
_SPACES = re.compile(r"\s+")


@frozen(order=True)
class DossierCode:
    agency: str
    day: date
    seq: int

    def __str__(self) -> str:
        return format_dossier_code(self.agency, self.day, self.seq)


def validate_agency(text: str, *, field: str = "agency") -> str:
    """The office's agency identifier as configured, upper case: dot-separated groups of
    letters and digits (the national standard's `000.17.22.H56` shape). No dash, because the
    dash separates the parts of a dossier code."""
    value = clean(text).upper()  # a space inside is refused, never silently closed up
    if not (value.isascii() and _AGENCY.fullmatch(value) and len(value) <= AGENCY_MAX):
        raise UserError("codes.agency.invalid", field=field, value=clean(text), max=AGENCY_MAX)
    return value


def validate_series_letter(text: str, *, field: str = "letter") -> str:
    """A service group's series letter, upper case A-Z: announced aloud and printed large, so
    no Vietnamese letters (Đ, Ư) that a speech voice or a printer code page might mangle."""
    value = clean(text).upper()
    if not (len(value) == 1 and "A" <= value <= "Z"):
        raise UserError("codes.series.invalid", field=field, value=clean(text))
    return value


def format_dossier_code(agency: str, day: date, seq: int) -> str:
    """`000.17.22.H56-210531-0001`. `seq` starts at 1; past 9999 it simply takes more digits
    (`-10000`) rather than refusing the 10,000th dossier of a day. Such a code no longer sorts
    as text among the 4-digit ones, so order codes by (day, seq), never by their text.

    `agency` must already be validated (`validate_agency`, at configuration time): a bad one
    here is a programming error, not something the officer can fix, hence ValueError.
    """
    if not _AGENCY.fullmatch(agency) or len(agency) > AGENCY_MAX:
        raise ValueError(f"agency identifier not validated: {agency!r}")
    if seq < 1:
        raise ValueError(f"dossier sequence starts at 1, got {seq}")
    if not 2000 <= day.year <= 2099:
        raise ValueError(f"YYMMDD cannot hold the year {day.year}")
    return f"{agency}-{day:%y%m%d}-{seq:04d}"


def parse_dossier_code(text: str) -> DossierCode | None:
    """The code in what a scanner or an officer typed, or None if it is not a dossier code.

    Forgiven: surrounding spaces, spaces typed inside, a trailing CR/LF or other control
    character, lower-case letters. Not forgiven: a date that does not exist, a number 0000,
    a longer number with a leading zero; those were not made by `format_dossier_code`.
    """
    compact = _SPACES.sub("", clean(text)).upper()
    match = _DOSSIER.fullmatch(compact)
    if match is None or len(match["agency"]) > AGENCY_MAX:
        return None
    raw_day = match["day"]
    try:
        day = date(2000 + int(raw_day[:2]), int(raw_day[2:4]), int(raw_day[4:]))
    except ValueError:
        return None
    seq = int(match["seq"])
    if seq < 1:
        return None
    return DossierCode(agency=match["agency"], day=day, seq=seq)


def looks_like_dossier_code(text: str) -> bool:
    """Whether the lookup box should search by code rather than by name or phone."""
    return parse_dossier_code(text) is not None


def format_ticket(letter: str, number: int) -> str:
    """`A015`: the series letter and at least 3 digits; more past 999 (`A1000`) rather than
    wrapping round to a number someone in the room may still hold."""
    if not (len(letter) == 1 and "A" <= letter <= "Z"):
        raise ValueError(f"series letter must be one of A-Z, got {letter!r}")
    if number < 1:
        raise ValueError(f"ticket numbers start at 1, got {number}")
    return f"{letter}{number:03d}"

