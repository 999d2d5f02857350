"""What the intake form accepts for each field of a dossier, and the one form it is stored in.

Officers type fast, from a paper form or a card held up at the desk, with habits of their own
(spaces and dots in numbers, a +84 prefix, "50.000đ"). Each function takes what was typed and
returns the normalised value, or raises `UserError` whose message says what is wrong and how to
put it right, with `field` naming the input so the form can focus it. Keeping the rules here,
free of the UI and the store, lets the intake screen, the CSV import and the CLI agree.

Every length checked here is the length of the column the value is stored in (`core.limits`),
so what passes fits on SQLite and PostgreSQL alike.

Messages never repeat an ID number or a phone number: they are personal data (Nghị định
13/2023/NĐ-CP) and a message may end up in a log or on a shared screen.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from datetime import date
from types import MappingProxyType
from typing import Literal

from counter_tui.core.clock import office_today
from counter_tui.core.errors import UserError
from counter_tui.core.i18n import t
from counter_tui.core.limits import limit
from counter_tui.core.records import frozen
from counter_tui.core.text import clean

# Codes of the province where the birth was registered: the first three digits of a 12-digit
# ID number (Thông tư 07/2016/TT-BCA, Phụ lục I; unchanged by Thông tư 59/2021/TT-BCA). These
# are the 63 provinces before the 1 July 2025 merger: numbers already issued never change, and
# the merged provinces kept codes from this list, so it stays the list to decode against. If the
# Ministry of Public Security ever publishes new codes, add them here.
PROVINCES: Mapping[str, str] = MappingProxyType({
    "001": "Hà Nội", "002": "Hà Giang", "004": "Cao Bằng", "006": "Bắc Kạn",
    "008": "Tuyên Quang", "010": "Lào Cai", "011": "Điện Biên", "012": "Lai Châu",
    "014": "Sơn La", "015": "Yên Bái", "017": "Hòa Bình", "019": "Thái Nguyên",
    "020": "Lạng Sơn", "022": "Quảng Ninh", "024": "Bắc Giang", "025": "Phú Thọ",
    "026": "Vĩnh Phúc", "027": "Bắc Ninh", "030": "Hải Dương", "031": "Hải Phòng",
    "033": "Hưng Yên", "034": "Thái Bình", "035": "Hà Nam", "036": "Nam Định",
    "037": "Ninh Bình", "038": "Thanh Hóa", "040": "Nghệ An", "042": "Hà Tĩnh",
    "044": "Quảng Bình", "045": "Quảng Trị", "046": "Thừa Thiên Huế", "048": "Đà Nẵng",
    "049": "Quảng Nam", "051": "Quảng Ngãi", "052": "Bình Định", "054": "Phú Yên",
    "056": "Khánh Hòa", "058": "Ninh Thuận", "060": "Bình Thuận", "062": "Kon Tum",
    "064": "Gia Lai", "066": "Đắk Lắk", "067": "Đắk Nông", "068": "Lâm Đồng",
    "070": "Bình Phước", "072": "Tây Ninh", "074": "Bình Dương", "075": "Đồng Nai",
    "077": "Bà Rịa - Vũng Tàu", "079": "Hồ Chí Minh", "080": "Long An", "082": "Tiền Giang",
    "083": "Bến Tre", "084": "Trà Vinh", "086": "Vĩnh Long", "087": "Đồng Tháp",
    "089": "An Giang", "091": "Kiên Giang", "092": "Cần Thơ", "093": "Hậu Giang",
    "094": "Sóc Trăng", "095": "Bạc Liêu", "096": "Cà Mau",
})

# Fourth digit of a 12-digit ID number: century of birth and sex (Thông tư 07/2016/TT-BCA,
# Điều 7). Even is male, odd is female; 8 and 9 are the 24th century, not the 19th.
CENTURY_OF_DIGIT: Mapping[str, int] = MappingProxyType({
    "0": 1900, "1": 1900, "2": 2000, "3": 2000, "4": 2100,
    "5": 2100, "6": 2200, "7": 2200, "8": 2300, "9": 2300,
})

# Mobile prefixes withdrawn in the 2018 move from 11 to 10 digits, and what replaced them, so an
# officer copying an old number from a paper form is told the new one instead of "invalid".
OLD_MOBILE_PREFIXES: Mapping[str, str] = MappingProxyType({
    "0120": "070", "0121": "079", "0122": "077", "0126": "076", "0128": "078",
    "0123": "083", "0124": "084", "0125": "085", "0127": "081", "0129": "082",
    "0162": "032", "0163": "033", "0164": "034", "0165": "035", "0166": "036",
    "0167": "037", "0168": "038", "0169": "039",
    "0186": "056", "0188": "058", "0199": "059",
})

NAME_MIN, NAME_MAX = 2, limit("dossier.applicant_name")
ADDRESS_MAX = limit("dossier.address")
NOTE_MAX = 1000  # a TEXT column: the limit is what a slip and a screen can show
EMAIL_MAX = limit("dossier.email")  # real addresses are far shorter
DOCUMENT_MAX = limit("dossier_document.name")
COUNT_MIN, COUNT_MAX = 0, 99
SETS_MIN, SETS_MAX = 1, 20
FEE_MAX = 100_000_000
WAYBILL_MIN, WAYBILL_MAX = 6, limit("dossier.waybill")
PORTAL_MIN, PORTAL_MAX = 6, limit("dossier.portal_code")

Gender = Literal["male", "female"]
IdKind = Literal["cccd", "cmnd"]

_NAME_MARKS = frozenset(" '-.")
# A phone keyboard or a word processor turns ' into a curly quote; they are the same mark in a
# name, and the receipt printer's Vietnamese code page has only the straight one.
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u00b4": "'"})
_ID_SEPARATORS = re.compile(r"[\s.\-]+")
_PHONE_SEPARATORS = re.compile(r"[\s.\-()]+")
_MOBILE = re.compile(r"0[35789]\d{8}")
_LANDLINE = re.compile(r"02\d{9}")
_EMAIL = re.compile(
    r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.)+[A-Za-z]{2,}"
)
_CURRENCY = re.compile(r"(?:vnđ|vnd|đồng|dong|đ|d)$")
_GROUPED = re.compile(r"\d{1,3}(?:([.,])\d{3})?(?:\1\d{3})*")
_WAYBILL = re.compile(r"[A-Z0-9]+")
_PORTAL = re.compile(r"[A-Z0-9](?:[A-Z0-9.\-]*[A-Z0-9])?")
_S10 = re.compile(r"[A-Z]{2}(\d{8})(\d)[A-Z]{2}")
_S10_WEIGHTS = (8, 6, 4, 2, 3, 5, 9, 7)


def _show(chars: str) -> str:
    """The offending characters, each once, in the order typed, readable even if invisible."""
    seen: list[str] = []
    for ch in chars:
        shown = f"U+{ord(ch):04X}" if unicodedata.combining(ch) or not ch.isprintable() else ch
        if f"«{shown}»" not in seen:
            seen.append(f"«{shown}»")
    return ", ".join(seen)


def _is_letter(ch: str) -> bool:
    # Latin letters only: Vietnamese and foreign names in Latin script, but not a Cyrillic or
    # Greek look-alike from a wrong keyboard, which search would never find and the printer's
    # code page cannot print.
    return ch.isalpha() and "LATIN" in unicodedata.name(ch, "")


def validate_name(text: str, *, field: str = "name") -> str:
    """A person's name as typed (case kept, spaces collapsed, NFC): 2-100 characters of
    letters, spaces, apostrophes, hyphens and dots, starting with a letter."""
    name = clean(text.translate(_APOSTROPHES))
    if not name:
        raise UserError("validation.name.required", field=field)
    if not _is_letter(name[0]) and (name[0] in _NAME_MARKS):
        raise UserError("validation.name.bad_start", field=field, char=name[0])
    bad = "".join(ch for ch in name if not (_is_letter(ch) or ch in _NAME_MARKS))
    if bad:
        raise UserError("validation.name.bad_chars", field=field, chars=_show(bad))
    if len(name) < NAME_MIN:
        raise UserError("validation.name.too_short", field=field, min=NAME_MIN)
    if len(name) > NAME_MAX:
        raise UserError("validation.name.too_long", field=field, length=len(name), max=NAME_MAX)
    return name


@frozen
class IdNumber:
    """A checked ID number and what its digits say.

    For a 12-digit number (kind "cccd", which also covers the 12-digit CMND issued 2012-2016):
    the province of birth registration, sex and year of birth. `province_name` is None when the
    first three digits are a country code (birth registered abroad). A 9-digit CMND carries none
    of these, so they are all None.
    """

    value: str
    kind: IdKind
    province_code: str | None = None
    province_name: str | None = None
    gender: Gender | None = None
    birth_year: int | None = None

    @property
    def masked(self) -> str:
        return mask_id(self.value)

    @property
    def born_abroad(self) -> bool:
        return self.kind == "cccd" and self.province_name is None

    @property
    def gender_label(self) -> str:
        return t(f"validation.gender.{self.gender}") if self.gender else ""


def validate_id_number(text: str, *, field: str = "id_number",
                       today: date | None = None) -> IdNumber:
    """A citizen ID (CCCD, 12 digits) or an old ID card (CMND, 9 digits), with the spaces, dots
    and dashes officers type for readability removed.

    The first three digits of a 12-digit number are a province (001-096, checked against
    `PROVINCES`) or, for a birth registered abroad, a country. The country list is not kept
    here, so any code from 100 up is accepted as "abroad": refusing a real citizen at the desk
    costs more than a mistyped first digit, which the 0 of every province code mostly catches.
    """
    value = _ID_SEPARATORS.sub("", clean(text))
    if not value:
        raise UserError("validation.id.required", field=field)
    bad = "".join(ch for ch in value if not ("0" <= ch <= "9"))
    if bad:
        raise UserError("validation.id.not_digits", field=field, chars=_show(bad))
    if len(value) == 9:
        return IdNumber(value=value, kind="cmnd")
    if len(value) != 12:
        raise UserError("validation.id.length", field=field, count=len(value))
    code = value[:3]
    if code.startswith("0") and code not in PROVINCES:
        raise UserError("validation.id.province", field=field, code=code)
    year = CENTURY_OF_DIGIT[value[3]] + int(value[4:6])
    if year > (today or office_today()).year:
        raise UserError("validation.id.future_year", field=field, code=value[3:6], year=year)
    gender: Gender = "male" if int(value[3]) % 2 == 0 else "female"
    return IdNumber(value=value, kind="cccd", province_code=code,
                    province_name=PROVINCES.get(code), gender=gender, birth_year=year)


def mask_id(value: str) -> str:
    """The ID number as printed on slips and shown on screens that do not need it in full:
    "001234567845" -> "0012******45" (CCCD: first 4 and last 2), CMND: first 3 and last 2.

    Anything else (a number not validated, a foreign passport) keeps only its last 2
    characters: the helper must never print more than it should just because input was odd.
    """
    value = _ID_SEPARATORS.sub("", value)
    if len(value) == 12 and value.isdigit():
        return value[:4] + "*" * 6 + value[-2:]
    if len(value) == 9 and value.isdigit():
        return value[:3] + "*" * 4 + value[-2:]
    if len(value) <= 2:
        return "*" * len(value)
    return "*" * (len(value) - 2) + value[-2:]


def validate_phone(text: str, *, field: str = "phone", required: bool = True) -> str:
    """A Vietnamese phone number as 0xxxxxxxxx: a mobile (10 digits, 03/05/07/08/09, the
    numbering since the 2018 move to 10 digits) or a landline (11 digits, 02 + area code,
    since the 2017 area-code change). +84, 0084 and 84 prefixes, spaces, dots, dashes and
    brackets are accepted. The check is on the shape, not on today's list of carrier prefixes,
    which grows with every new mobile network."""
    raw = _PHONE_SEPARATORS.sub("", clean(text))
    if not raw:
        if required:
            raise UserError("validation.phone.required", field=field)
        return ""
    if raw.startswith("+"):
        if not raw.startswith("+84"):
            raise UserError("validation.phone.foreign", field=field)
        raw = "0" + raw[3:].removeprefix("0")
    elif raw.startswith("0084"):
        raw = "0" + raw[4:].removeprefix("0")
    elif raw.startswith("84") and len(raw) in (11, 12):
        # No Vietnamese number starts 84 nationally, so 84 + 9 or 10 digits is the country code
        # typed without its plus.
        raw = "0" + raw[2:]
    bad = "".join(ch for ch in raw if not ("0" <= ch <= "9"))
    if bad:
        raise UserError("validation.phone.bad_chars", field=field, chars=_show(bad))
    if _MOBILE.fullmatch(raw) or _LANDLINE.fullmatch(raw):
        return raw
    if len(raw) == 11 and raw[:4] in OLD_MOBILE_PREFIXES:
        raise UserError("validation.phone.old_prefix", field=field, old=raw[:4],
                        new=OLD_MOBILE_PREFIXES[raw[:4]])
    raise UserError("validation.phone.invalid", field=field, count=len(raw))


def validate_email(text: str, *, field: str = "email") -> str:
    """An optional email address: "" when left empty; otherwise a plain ASCII address with a
    dotted domain, the domain in lower case (it is case-blind; the part before @ is kept)."""
    value = clean(text)
    if not value:
        return ""
    if len(value) > EMAIL_MAX:
        raise UserError("validation.email.too_long", field=field, length=len(value),
                        max=EMAIL_MAX)
    if not value.isascii() or not _EMAIL.fullmatch(value):
        raise UserError("validation.email.invalid", field=field)
    local, _, domain = value.rpartition("@")
    return f"{local}@{domain.lower()}"


def validate_address(text: str, *, field: str = "address", required: bool = False) -> str:
    """An address on one line, at most 255 characters; required only where the result is
    delivered by post, so the caller says so."""
    value = clean(text)
    if not value and required:
        raise UserError("validation.address.required", field=field)
    if len(value) > ADDRESS_MAX:
        raise UserError("validation.address.too_long", field=field, length=len(value),
                        max=ADDRESS_MAX)
    return value


def validate_note(text: str, *, field: str = "note") -> str:
    """A free-text note, line breaks kept, at most 1000 characters; may be empty."""
    value = clean(text, multiline=True)
    if len(value) > NOTE_MAX:
        raise UserError("validation.note.too_long", field=field, length=len(value),
                        max=NOTE_MAX)
    return value


def validate_text(text: str, *, field: str, column: str, what: str,
                  required: bool = False) -> str:
    """A free text on one line, clean, that fits `column` (a key of core.limits); `what` names
    it for people (already translated). Empty is allowed unless `required`."""
    value = clean(text)
    if not value and required:
        raise UserError("validation.text.required", field=field, what=what)
    if len(value) > limit(column):
        raise UserError("validation.text.too_long", field=field, what=what, length=len(value),
                        max=limit(column))
    return value


def validate_document_name(text: str, *, field: str = "document") -> str:
    """The name of a document received or asked for: one line, at most 300 characters."""
    return validate_text(text, field=field, column="dossier_document.name",
                         what=t("validation.what.document"))


def _whole_number(value: str | int, *, field: str, low: int, high: int, key: str) -> int:
    if isinstance(value, bool):  # True is an int to Python, never a count to an officer
        raise UserError(f"{key}.invalid", field=field, value=value, min=low, max=high)
    if isinstance(value, int):
        number = value
    else:
        typed = clean(value)
        if not typed:
            raise UserError(f"{key}.required", field=field, min=low, max=high)
        if not typed.isascii() or not typed.isdigit():
            raise UserError(f"{key}.invalid", field=field, value=typed, min=low, max=high)
        number = int(typed)
    if not low <= number <= high:
        raise UserError(f"{key}.invalid", field=field, value=number, min=low, max=high)
    return number


def validate_count(value: str | int, *, field: str = "originals") -> int:
    """How many originals or copies of one document were received: 0-99."""
    return _whole_number(value, field=field, low=COUNT_MIN, high=COUNT_MAX,
                         key="validation.count")


def validate_sets(value: str | int, *, field: str = "sets") -> int:
    """How many sets of the dossier were received: 1-20."""
    return _whole_number(value, field=field, low=SETS_MIN, high=SETS_MAX,
                         key="validation.sets")


def format_vnd(amount: int) -> str:
    """100000 -> "100.000": the way amounts are written in Vietnam, for messages and slips."""
    return f"{amount:,}".replace(",", ".")


def validate_fee(value: str | int, *, field: str = "fee") -> int:
    """A fee in đồng, 0-100,000,000, as an integer. Accepts "50.000", "50,000", "50 000",
    "50000đ", "50.000 VNĐ": thousands separators must group by three, because "50,5" or
    "50.00" are typos of an amount with no subunit, not amounts."""
    if isinstance(value, bool):
        raise UserError("validation.fee.invalid", field=field, value=value)
    if isinstance(value, int):
        amount = value
        if amount < 0:
            raise UserError("validation.fee.invalid", field=field, value=value)
    else:
        typed = clean(value)
        if not typed:
            raise UserError("validation.fee.required", field=field)
        compact = _CURRENCY.sub("", typed.replace(" ", "").lower())
        if not compact.isascii() or not (_GROUPED.fullmatch(compact) or compact.isdigit()):
            raise UserError("validation.fee.invalid", field=field, value=typed)
        amount = int(compact.replace(".", "").replace(",", ""))
    if amount > FEE_MAX:
        raise UserError("validation.fee.too_high", field=field, amount=format_vnd(amount),
                        max=format_vnd(FEE_MAX))
    return amount


def validate_waybill(text: str, *, field: str = "waybill") -> str:
    """A postal waybill number (mã vận đơn), upper case: 6-20 letters and digits, as VNPost's
    UPU S10 codes ("EL123456789VN") and its all-digit domestic codes are. The S10 check digit
    is not enforced here: see `waybill_check_ok`."""
    value = re.sub(r"[\s\-]+", "", clean(text)).upper()
    if not value:
        raise UserError("validation.waybill.required", field=field)
    if not (value.isascii() and _WAYBILL.fullmatch(value)
            and WAYBILL_MIN <= len(value) <= WAYBILL_MAX and any(c.isdigit() for c in value)):
        raise UserError("validation.waybill.invalid", field=field, min=WAYBILL_MIN,
                        max=WAYBILL_MAX)
    return value


def waybill_check_ok(value: str) -> bool | None:
    """Whether an S10-shaped waybill (2 letters, 8 digits, check digit, 2 letters) has the
    right UPU check digit; None for any other shape.

    Meant for a warning ("check the number") rather than a refusal: a typed digit is caught,
    but a post office's own numbering that is not S10 must still be accepted.
    """
    match = _S10.fullmatch(value)
    if match is None:
        return None
    total = sum(int(d) * w for d, w in zip(match.group(1), _S10_WEIGHTS, strict=True))
    check = 11 - total % 11
    expected = {10: 0, 11: 5}.get(check, check)
    return expected == int(match.group(2))


def validate_portal_code(text: str, *, field: str = "portal_code") -> str:
    """The dossier code the public service portal gave an assisted online submission, upper
    case: 6-40 letters, digits, dots and dashes. Portals differ in format, so only the
    characters and length are checked; upper case lets a code typed in lower case be found."""
    value = re.sub(r"\s+", "", clean(text)).upper()
    if not value:
        raise UserError("validation.portal_code.required", field=field)
    if not (value.isascii() and _PORTAL.fullmatch(value)
            and PORTAL_MIN <= len(value) <= PORTAL_MAX):
        raise UserError("validation.portal_code.invalid", field=field, min=PORTAL_MIN,
                        max=PORTAL_MAX)
    return value
