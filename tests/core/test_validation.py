"""Intake field rules: every field, accepted and refused input, the message in both languages."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator
from datetime import date
from typing import Any

import pytest

from counter_tui.core import validation as v
from counter_tui.core.errors import UserError
from counter_tui.core.i18n import set_language
from tests.tools.catalogue import catalogue_entries, spoken

TODAY = date(2025, 6, 1)

Messages = Callable[[UserError], tuple[str, str]]


@pytest.fixture
def both_languages() -> Iterator[Messages]:
    """The Vietnamese and the English text of an error; Vietnamese is restored afterwards even
    if an assertion fails."""
    set_language("vi")

    def read(err: UserError) -> tuple[str, str]:
        vi = str(err)
        set_language("en")
        try:
            en = str(err)
        finally:
            set_language("vi")
        return vi, en

    yield read
    set_language("vi")


def refused(fn: Callable[..., Any], value: Any, **kwargs: Any) -> UserError:
    with pytest.raises(UserError) as info:
        fn(value, **kwargs)
    return info.value


def assert_message(err: UserError, read: Messages, key: str, field: str,
                   vi_part: str, en_part: str) -> None:
    assert err.key == key
    assert err.field == field
    vi, en = read(err)
    assert vi != key and en != key, "message not registered"
    assert vi != en
    assert vi_part in vi, vi
    assert en_part in en, en


# --- every message: both languages, the same placeholders --------------------------------

FIELDS = re.compile(r"{(\w+)}")


@pytest.mark.parametrize("key", sorted(k for k in catalogue_entries("vi")
                                         if k.startswith("validation.")))
def test_message_has_both_languages_with_the_same_placeholders(key: str) -> None:
    vi, en = spoken(key)
    assert vi.strip() and en.strip()
    assert set(FIELDS.findall(vi)) == set(FIELDS.findall(en))


# --- person name ----------------------------------------------------------------------------

@pytest.mark.parametrize(("typed", "stored"), [
    pytest.param("Nguyễn Văn An", "Nguyễn Văn An", id="plain"),
    pytest.param("  nguyễn   văn  an ", "nguyễn văn an", id="case-kept-spaces-collapsed"),
    pytest.param("Nguyễn\tVăn\nAn", "Nguyễn Văn An", id="tab-and-newline-become-space"),
    pytest.param(unicodedata.normalize("NFD", "Trần Thị Ánh"), "Trần Thị Ánh",
                 id="decomposed-stored-nfc"),
    pytest.param("ĐẶNG ĐỨC TRỌNG", "ĐẶNG ĐỨC TRỌNG", id="upper-case-kept"),
    pytest.param("H'Hen Niê", "H'Hen Niê", id="apostrophe"),
    pytest.param("H’Hen Niê", "H'Hen Niê", id="curly-apostrophe-straightened"),
    pytest.param("Lê Thị Thu-Hà", "Lê Thị Thu-Hà", id="hyphen"),
    pytest.param("Nguyễn V. An", "Nguyễn V. An", id="dot"),
    pytest.param("José Müller", "José Müller", id="foreign-latin"),
    pytest.param("Ly", "Ly", id="shortest-2"),
    pytest.param("Ư" * 100, "Ư" * 100, id="longest-100"),
])
def test_name_accepted(typed: str, stored: str) -> None:
    assert v.validate_name(typed) == stored


@pytest.mark.parametrize(("typed", "key", "vi_part", "en_part"), [
    pytest.param("", "required", "Chưa nhập họ tên", "The name is empty", id="empty"),
    pytest.param("   ", "required", "Chưa nhập họ tên", "The name is empty", id="blank"),
    pytest.param("A", "too_short", "ít nhất 2 ký tự", "at least 2 characters", id="one-char"),
    pytest.param("A" * 101, "too_long", "quá 100 ký tự", "more than the 100", id="101-chars"),
    pytest.param("Nguyễn Văn 3", "bad_chars", "«3»", "«3»", id="digit"),
    pytest.param("an@vn", "bad_chars", "Chỉ dùng chữ cái", "Use only letters", id="at-sign"),
    pytest.param("Nguyễn, An", "bad_chars", "«,»", "«,»", id="comma"),
    pytest.param("Иван", "bad_chars", "«И»", "«И»", id="cyrillic-look-alike"),
    pytest.param("-An", "bad_start", "bắt đầu bằng chữ cái", "must start with a letter",
                 id="starts-with-hyphen"),
    pytest.param(".An", "bad_start", "«.»", "«.»", id="starts-with-dot"),
])
def test_name_refused(typed: str, key: str, vi_part: str, en_part: str,
                      both_languages: Messages) -> None:
    err = refused(v.validate_name, typed)
    assert_message(err, both_languages, f"validation.name.{key}", "name", vi_part, en_part)


def test_name_field_can_be_renamed_for_another_person() -> None:
    assert refused(v.validate_name, "", field="recipient_name").field == "recipient_name"


# --- ID number ------------------------------------------------------------------------------

# As listed in Thông tư 07/2016/TT-BCA, Phụ lục I, typed out independently of the module.
OFFICIAL_PROVINCE_CODES = [
    "001", "002", "004", "006", "008", "010", "011", "012", "014", "015", "017", "019", "020",
    "022", "024", "025", "026", "027", "030", "031", "033", "034", "035", "036", "037", "038",
    "040", "042", "044", "045", "046", "048", "049", "051", "052", "054", "056", "058", "060",
    "062", "064", "066", "067", "068", "070", "072", "074", "075", "077", "079", "080", "082",
    "083", "084", "086", "087", "089", "091", "092", "093", "094", "095", "096",
]


def test_province_list_is_the_63_official_codes() -> None:
    assert len(v.PROVINCES) == 63
    assert sorted(v.PROVINCES) == OFFICIAL_PROVINCE_CODES
    assert v.PROVINCES["001"] == "Hà Nội"
    assert v.PROVINCES["046"] == "Thừa Thiên Huế"
    assert v.PROVINCES["079"] == "Hồ Chí Minh"
    assert v.PROVINCES["096"] == "Cà Mau"
    assert all(unicodedata.is_normalized("NFC", name) for name in v.PROVINCES.values())


@pytest.mark.parametrize(("digit", "century", "gender"), [
    pytest.param("0", 1900, "male", id="0-20th-male"),
    pytest.param("1", 1900, "female", id="1-20th-female"),
    pytest.param("2", 2000, "male", id="2-21st-male"),
    pytest.param("3", 2000, "female", id="3-21st-female"),
    pytest.param("4", 2100, "male", id="4-22nd-male"),
    pytest.param("5", 2100, "female", id="5-22nd-female"),
    pytest.param("6", 2200, "male", id="6-23rd-male"),
    pytest.param("7", 2200, "female", id="7-23rd-female"),
    pytest.param("8", 2300, "male", id="8-24th-male"),
    pytest.param("9", 2300, "female", id="9-24th-female"),
])
def test_century_and_sex_digit(digit: str, century: int, gender: str) -> None:
    assert v.CENTURY_OF_DIGIT[digit] == century
    far_future = date(2399, 12, 31)
    decoded = v.validate_id_number(f"001{digit}00123456", today=far_future)
    assert (decoded.birth_year, decoded.gender) == (century, gender)


@pytest.mark.parametrize(("typed", "expected"), [
    pytest.param("001085012345",
                 v.IdNumber("001085012345", "cccd", "001", "Hà Nội", "male", 1985),
                 id="cccd-hanoi-male-1985"),
    pytest.param("079 301 012345",
                 v.IdNumber("079301012345", "cccd", "079", "Hồ Chí Minh", "female", 2001),
                 id="cccd-spaces-hcm-female-2001"),
    pytest.param("038.190.123.456",
                 v.IdNumber("038190123456", "cccd", "038", "Thanh Hóa", "female", 1990),
                 id="cccd-dots"),
    pytest.param("096-205-000001",
                 v.IdNumber("096205000001", "cccd", "096", "Cà Mau", "male", 2005),
                 id="cccd-dashes-last-province"),
    pytest.param("001225000001",
                 v.IdNumber("001225000001", "cccd", "001", "Hà Nội", "male", 2025),
                 id="born-this-year"),
    pytest.param("286200000002",
                 v.IdNumber("286200000002", "cccd", "286", None, "male", 2000),
                 id="birth-registered-abroad"),
    pytest.param("123456789", v.IdNumber("123456789", "cmnd"), id="cmnd-9-digits"),
    pytest.param(" 012 345 678 ", v.IdNumber("012345678", "cmnd"), id="cmnd-with-spaces"),
])
def test_id_number_accepted(typed: str, expected: v.IdNumber) -> None:
    assert v.validate_id_number(typed, today=TODAY) == expected


def test_id_number_helpers() -> None:
    home = v.validate_id_number("001185012345", today=TODAY)
    assert home.masked == "0011******45"
    assert home.gender_label == "Nữ"
    assert not home.born_abroad
    assert v.validate_id_number("286200000002", today=TODAY).born_abroad
    assert not v.validate_id_number("123456789").born_abroad


@pytest.mark.parametrize(("typed", "key", "vi_part", "en_part"), [
    pytest.param("", "required", "Chưa nhập số định danh", "The ID number is empty", id="empty"),
    pytest.param("00108501234A", "not_digits", "«A»", "«A»", id="letter"),
    pytest.param("0010850123", "length", "có 10 chữ số", "this one has 10", id="10-digits"),
    pytest.param("0010850123456", "length", "có 13 chữ số", "this one has 13", id="13-digits"),
    pytest.param("003085012345", "province", "«003»", "«003»", id="gap-code-003"),
    pytest.param("000085012345", "province", "«000»", "«000»", id="code-000"),
    pytest.param("097085012345", "province", "đăng ký khai sinh", "birth registration",
                 id="past-last-province-097"),
    pytest.param("001230012345", "future_year", "năm sinh 2030", "year of birth 2030",
                 id="21st-century-future"),
    pytest.param("001485012345", "future_year", "năm sinh 2185", "year of birth 2185",
                 id="digit-4-22nd-century"),
    pytest.param("001885012345", "future_year", "năm sinh 2385", "year of birth 2385",
                 id="digit-8-is-24th-not-19th-century"),
])
def test_id_number_refused(typed: str, key: str, vi_part: str, en_part: str,
                           both_languages: Messages) -> None:
    err = refused(v.validate_id_number, typed, today=TODAY)
    assert_message(err, both_languages, f"validation.id.{key}", "id_number", vi_part, en_part)


def test_id_number_messages_never_repeat_the_number(both_languages: Messages) -> None:
    for typed in ("00108501234A", "0010850123", "001230012345"):
        for text in both_languages(refused(v.validate_id_number, typed, today=TODAY)):
            assert typed not in text


@pytest.mark.parametrize(("value", "masked"), [
    pytest.param("001234567845", "0012******45", id="cccd-first-4-last-2"),
    pytest.param("0012 3456 7845", "0012******45", id="cccd-typed-with-spaces"),
    pytest.param("123456789", "123****89", id="cmnd-first-3-last-2"),
    pytest.param("B1234567", "******67", id="other-keeps-last-2-only"),
    pytest.param("AB", "**", id="too-short-all-hidden"),
    pytest.param("", "", id="empty"),
])
def test_mask_id(value: str, masked: str) -> None:
    assert v.mask_id(value) == masked


# --- phone ----------------------------------------------------------------------------------

@pytest.mark.parametrize(("typed", "stored"), [
    pytest.param("0912345678", "0912345678", id="mobile-09"),
    pytest.param("0352 123 456", "0352123456", id="mobile-03-spaces"),
    pytest.param("0562.123.456", "0562123456", id="mobile-05-dots"),
    pytest.param("070-123-4567", "0701234567", id="mobile-07-dashes"),
    pytest.param("(081) 234 5678", "0812345678", id="mobile-08-brackets"),
    pytest.param("+84912345678", "0912345678", id="plus-84"),
    pytest.param("+84 912 345 678", "0912345678", id="plus-84-spaces"),
    pytest.param("+84 (0) 912 345 678", "0912345678", id="plus-84-with-0"),
    pytest.param("84912345678", "0912345678", id="84-without-plus"),
    pytest.param("0084 912 345 678", "0912345678", id="0084-prefix"),
    pytest.param("024 3825 1234", "02438251234", id="landline-hanoi"),
    pytest.param("0225 3123 456", "02253123456", id="landline-province"),
    pytest.param("+84 28 3829 1234", "02838291234", id="landline-international"),
])
def test_phone_accepted(typed: str, stored: str) -> None:
    assert v.validate_phone(typed) == stored


def test_phone_optional_may_be_empty() -> None:
    assert v.validate_phone("  ", required=False) == ""


@pytest.mark.parametrize(("typed", "key", "vi_part", "en_part"), [
    pytest.param("", "required", "0912 345 678", "0912 345 678", id="empty"),
    pytest.param("0112345678", "invalid", "03, 05, 07, 08 hoặc 09",
                 "starting 03, 05, 07, 08 or 09", id="prefix-01"),
    pytest.param("0412345678", "invalid", "Ví dụ: 0912 345 678", "Example: 0912 345 678",
                 id="prefix-04"),
    pytest.param("091234567", "invalid", "có 9 chữ số", "9 digits", id="9-digits"),
    pytest.param("091234567890", "invalid", "có 12 chữ số", "12 digits", id="12-digits"),
    pytest.param("0243825123", "invalid", "máy bàn có 11 chữ số", "landlines have 11 digits",
                 id="landline-10-digits"),
    pytest.param("01693456789", "old_prefix", "0169 đã đổi thành 039",
                 "prefix 0169 became 039", id="old-viettel-0169"),
    pytest.param("0123 456 7890", "old_prefix", "đổi thành 083", "became 083",
                 id="old-vinaphone-0123"),
    pytest.param("+1 202 555 0100", "foreign", "Chỉ nhận số điện thoại Việt Nam",
                 "Only Vietnamese phone numbers", id="foreign"),
    pytest.param("0912abc678", "bad_chars", "«a», «b», «c»", "«a», «b», «c»", id="letters"),
    pytest.param("0912 345 678 / 0987 654 321", "bad_chars", "«/»", "«/»",
                 id="two-numbers"),
])
def test_phone_refused(typed: str, key: str, vi_part: str, en_part: str,
                       both_languages: Messages) -> None:
    err = refused(v.validate_phone, typed)
    assert_message(err, both_languages, f"validation.phone.{key}", "phone", vi_part, en_part)


# --- email ----------------------------------------------------------------------------------

@pytest.mark.parametrize(("typed", "stored"), [
    pytest.param("", "", id="empty-is-fine"),
    pytest.param(" an@b.vn ", "an@b.vn", id="trimmed"),
    pytest.param("An.Nguyen@Gmail.COM", "An.Nguyen@gmail.com", id="domain-lower-cased"),
    pytest.param("van.an+hs@congan.gov.vn", "van.an+hs@congan.gov.vn", id="plus-and-subdomain"),
])
def test_email_accepted(typed: str, stored: str) -> None:
    assert v.validate_email(typed) == stored


@pytest.mark.parametrize(("typed", "key", "vi_part", "en_part"), [
    pytest.param("an.nguyen", "invalid", "ten@mien.vn", "name@domain.vn", id="no-at"),
    pytest.param("an@gmail", "invalid", "ten@mien.vn", "name@domain.vn", id="no-dot-domain"),
    pytest.param("an nguyen@gmail.com", "invalid", "không có dấu cách", "without spaces",
                 id="space"),
    pytest.param("nguyễn@gmail.com", "invalid", "không dấu", "accents", id="accents"),
    pytest.param("a@@b.vn", "invalid", "ten@mien.vn", "name@domain.vn", id="double-at"),
    pytest.param("a..b@b.vn", "invalid", "ten@mien.vn", "name@domain.vn", id="double-dot"),
    pytest.param("x" * 116 + "@b.vn", "too_long", "quá 120", "more than the 120",
                 id="longer-than-store"),
])
def test_email_refused(typed: str, key: str, vi_part: str, en_part: str,
                       both_languages: Messages) -> None:
    err = refused(v.validate_email, typed)
    assert_message(err, both_languages, f"validation.email.{key}", "email", vi_part, en_part)


# --- address and note -----------------------------------------------------------------------

@pytest.mark.parametrize(("typed", "required", "stored"), [
    pytest.param("", False, "", id="optional-empty"),
    pytest.param("  Số 1,  đường Lê Lợi\n P. Bến Nghé ", True,
                 "Số 1, đường Lê Lợi P. Bến Nghé", id="one-line"),
    pytest.param("a" * 255, True, "a" * 255, id="longest-255"),
])
def test_address_accepted(typed: str, required: bool, stored: str) -> None:
    assert v.validate_address(typed, required=required) == stored


@pytest.mark.parametrize(("typed", "required", "key", "vi_part", "en_part"), [
    pytest.param(" ", True, "required", "xã hoặc phường", "commune or ward", id="required-empty"),
    pytest.param("a" * 256, False, "too_long", "quá 255", "more than the 255", id="256-chars"),
])
def test_address_refused(typed: str, required: bool, key: str, vi_part: str, en_part: str,
                         both_languages: Messages) -> None:
    err = refused(v.validate_address, typed, required=required)
    assert_message(err, both_languages, f"validation.address.{key}", "address",
                   vi_part, en_part)


@pytest.mark.parametrize(("typed", "stored"), [
    pytest.param("", "", id="empty"),
    pytest.param("dòng 1  \r\ndòng 2\x1b[31m\n", "dòng 1\ndòng 2[31m",
                 id="lines-kept-controls-out"),
    pytest.param("a" * 1000, "a" * 1000, id="longest-1000"),
])
def test_note_accepted(typed: str, stored: str) -> None:
    assert v.validate_note(typed) == stored


def test_note_refused(both_languages: Messages) -> None:
    err = refused(v.validate_note, "a" * 1001)
    assert_message(err, both_languages, "validation.note.too_long", "note",
                   "quá 1000", "more than the 1000")


# --- counts and sets ------------------------------------------------------------------------

@pytest.mark.parametrize(("typed", "stored"), [
    pytest.param("0", 0, id="none-received"),
    pytest.param(" 2 ", 2, id="spaces"),
    pytest.param("99", 99, id="highest-99"),
    pytest.param(5, 5, id="int-from-a-spinner"),
])
def test_count_accepted(typed: str | int, stored: int) -> None:
    assert v.validate_count(typed) == stored


@pytest.mark.parametrize(("typed", "key", "vi_part", "en_part"), [
    pytest.param("", "required", "từ 0 đến 99", "from 0 to 99", id="empty"),
    pytest.param("100", "invalid", "«100»", "«100»", id="100"),
    pytest.param("-1", "invalid", "số nguyên từ 0 đến 99", "whole number from 0 to 99",
                 id="negative"),
    pytest.param("1.5", "invalid", "«1.5»", "«1.5»", id="fraction"),
    pytest.param("hai", "invalid", "«hai»", "«hai»", id="word"),
    pytest.param("٣", "invalid", "«٣»", "«٣»", id="non-ascii-digit"),
    pytest.param(100, "invalid", "«100»", "«100»", id="int-100"),
    pytest.param(True, "invalid", "từ 0 đến 99", "from 0 to 99", id="bool"),
])
def test_count_refused(typed: str | int, key: str, vi_part: str, en_part: str,
                       both_languages: Messages) -> None:
    err = refused(v.validate_count, typed, field="copies")
    assert_message(err, both_languages, f"validation.count.{key}", "copies", vi_part, en_part)


@pytest.mark.parametrize(("typed", "stored"), [
    pytest.param("1", 1, id="lowest-1"),
    pytest.param("20", 20, id="highest-20"),
    pytest.param(3, 3, id="int"),
])
def test_sets_accepted(typed: str | int, stored: int) -> None:
    assert v.validate_sets(typed) == stored


@pytest.mark.parametrize(("typed", "key", "vi_part", "en_part"), [
    pytest.param("", "required", "thường là 1", "usually 1", id="empty"),
    pytest.param("0", "invalid", "từ 1 đến 20", "from 1 to 20", id="zero"),
    pytest.param("21", "invalid", "«21»", "«21»", id="21"),
    pytest.param("x", "invalid", "«x»", "«x»", id="letter"),
])
def test_sets_refused(typed: str, key: str, vi_part: str, en_part: str,
                      both_languages: Messages) -> None:
    err = refused(v.validate_sets, typed)
    assert_message(err, both_languages, f"validation.sets.{key}", "sets", vi_part, en_part)


# --- fee ------------------------------------------------------------------------------------

@pytest.mark.parametrize(("typed", "stored"), [
    pytest.param("0", 0, id="free"),
    pytest.param("50000", 50_000, id="plain-digits"),
    pytest.param("50.000", 50_000, id="dot-thousands"),
    pytest.param("50,000", 50_000, id="comma-thousands"),
    pytest.param("50 000", 50_000, id="space-thousands"),
    pytest.param("50000đ", 50_000, id="dong-sign"),
    pytest.param("50.000 đ", 50_000, id="dots-and-dong-sign"),
    pytest.param("50.000 VNĐ", 50_000, id="vnd-upper-with-stroke"),
    pytest.param("50000vnd", 50_000, id="vnd-plain"),
    pytest.param("50.000 đồng", 50_000, id="dong-word"),
    pytest.param("1.000.000", 1_000_000, id="million"),
    pytest.param("100.000.000", 100_000_000, id="maximum"),
    pytest.param(25_000, 25_000, id="int"),
])
def test_fee_accepted(typed: str | int, stored: int) -> None:
    assert v.validate_fee(typed) == stored


@pytest.mark.parametrize(("typed", "key", "vi_part", "en_part"), [
    pytest.param("", "required", "0 nếu miễn phí", "0 if free", id="empty"),
    pytest.param("50,5", "invalid", "không có số lẻ", "without decimals", id="decimal-comma"),
    pytest.param("50.00", "invalid", "«50.00»", "«50.00»", id="decimal-dot"),
    pytest.param("5.0000", "invalid", "«5.0000»", "«5.0000»", id="bad-grouping"),
    pytest.param("1.000,000", "invalid", "50.000, 50,000", "50.000, 50,000",
                 id="mixed-separators"),
    pytest.param("-5000", "invalid", "«-5000»", "«-5000»", id="negative"),
    pytest.param("năm mươi nghìn", "invalid", "không phải số tiền", "is not an amount",
                 id="words"),
    pytest.param(-1, "invalid", "«-1»", "«-1»", id="negative-int"),
    pytest.param("100.000.001", "too_high", "100.000.001 đồng vượt mức tối đa 100.000.000",
                 "more than the maximum of 100.000.000", id="over-maximum"),
    pytest.param(200_000_000, "too_high", "số chữ số 0", "number of zeros", id="int-too-high"),
])
def test_fee_refused(typed: str | int, key: str, vi_part: str, en_part: str,
                     both_languages: Messages) -> None:
    err = refused(v.validate_fee, typed)
    assert_message(err, both_languages, f"validation.fee.{key}", "fee", vi_part, en_part)


def test_format_vnd() -> None:
    assert [v.format_vnd(n) for n in (0, 999, 1000, 1_234_567)] == [
        "0", "999", "1.000", "1.234.567"]


# --- waybill --------------------------------------------------------------------------------

@pytest.mark.parametrize(("typed", "stored"), [
    pytest.param("EL123456789VN", "EL123456789VN", id="s10"),
    pytest.param(" el 123 456 789 vn\r\n", "EL123456789VN", id="scanner-lower-spaces"),
    pytest.param("123456", "123456", id="digits-6"),
    pytest.param("1" * 20, "1" * 20, id="digits-20"),
])
def test_waybill_accepted(typed: str, stored: str) -> None:
    assert v.validate_waybill(typed) == stored


@pytest.mark.parametrize(("typed", "key", "vi_part", "en_part"), [
    pytest.param("", "required", "quét mã vạch", "Scan the barcode", id="empty"),
    pytest.param("EL123", "invalid", "6 đến 20", "6 to 20", id="5-chars"),
    pytest.param("1" * 21, "invalid", "6 đến 20", "6 to 20", id="21-chars"),
    pytest.param("ABCDEFG", "invalid", "EL123456789VN", "EL123456789VN", id="no-digit"),
    pytest.param("EL12345678ĐVN", "invalid", "không dấu", "without accents", id="accented"),
    pytest.param("EL123/456789", "invalid", "chữ số", "digits", id="slash"),
])
def test_waybill_refused(typed: str, key: str, vi_part: str, en_part: str,
                         both_languages: Messages) -> None:
    err = refused(v.validate_waybill, typed)
    assert_message(err, both_languages, f"validation.waybill.{key}", "waybill", vi_part, en_part)


@pytest.mark.parametrize(("code", "ok"), [
    pytest.param("AA473124829GB", True, id="upu-example"),
    pytest.param("AA473124828GB", False, id="one-digit-off"),
    pytest.param("EE100000140VN", True, id="remainder-1-gives-0"),
    pytest.param("EE100000025VN", True, id="remainder-0-gives-5"),
    pytest.param("123456789", None, id="not-s10"),
])
def test_waybill_check_digit(code: str, ok: bool | None) -> None:
    assert v.waybill_check_ok(code) is ok


# --- portal dossier code --------------------------------------------------------------------

@pytest.mark.parametrize(("typed", "stored"), [
    pytest.param("000.17.22.H56-210531-0001", "000.17.22.H56-210531-0001", id="agency-style"),
    pytest.param(" g22.99-250115-0001 ", "G22.99-250115-0001", id="lower-case-upper-cased"),
    pytest.param("ABC123", "ABC123", id="shortest-6"),
    pytest.param("A" * 40, "A" * 40, id="longest-40"),
])
def test_portal_code_accepted(typed: str, stored: str) -> None:
    assert v.validate_portal_code(typed) == stored


@pytest.mark.parametrize(("typed", "key", "vi_part", "en_part"), [
    pytest.param("", "required", "Cổng dịch vụ công", "public service portal", id="empty"),
    pytest.param("ABC12", "invalid", "6 đến 40", "6 to 40", id="5-chars"),
    pytest.param("A" * 41, "invalid", "6 đến 40", "6 to 40", id="41-chars"),
    pytest.param("-ABC123", "invalid", "gạch nối", "dashes", id="leading-dash"),
    pytest.param("HS#123456", "invalid", "chép lại", "Copy the code again", id="hash"),
    pytest.param("hồsơ123", "invalid", "không dấu", "without accents", id="accents"),
])
def test_portal_code_refused(typed: str, key: str, vi_part: str, en_part: str,
                             both_languages: Messages) -> None:
    err = refused(v.validate_portal_code, typed)
    assert_message(err, both_languages, f"validation.portal_code.{key}", "portal_code",
                   vi_part, en_part)


@pytest.mark.parametrize(("name", "conditional"), [
    ("Văn bản ủy quyền (nếu nộp thay)", True),
    ("Giấy xác nhận tình trạng hôn nhân (nếu đăng ký ngoài nơi cư trú)", True),
    ("Bản án hoặc quyết định ly hôn (NẾU ĐÃ LY HÔN)", True),
    ("Giấy tờ chứng minh (trường hợp đăng ký lại)", True),
    ("Sổ hộ khẩu (đối với người sinh trước 2021)", True),
    ("Power of attorney (if submitted by someone else)", True),
    ("Van ban uy quyen (neu nop thay)", True),
    ("Giấy chứng sinh (bản chính)", False),
    ("Tờ khai đăng ký khai sinh", False),
    ("Giấy tờ nêu rõ nơi cư trú", False),  # "nếu" inside a word or without "(" is not a case
    ("Giấy báo tử hoặc giấy tờ thay giấy báo tử (bản chính)", False),
])
def test_conditional_documents_are_told_by_their_wording(name: str, conditional: bool) -> None:
    from counter_tui.core.views import DocumentView, is_conditional

    assert is_conditional(name) is conditional
    doc = DocumentView(name, 1, 0)
    assert doc.starting() == ((0, 0) if conditional else (1, 0))
    assert DocumentView("Bản sao giấy khai sinh", 0, 1).starting() == (0, 1)
