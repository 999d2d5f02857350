"""Dossier codes and ticket numbers: what is printed, and what a scanner or an officer types
back."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

import pytest

from counter_tui.core import codes
from counter_tui.core.codes import DossierCode
from counter_tui.core.errors import UserError
from counter_tui.core.i18n import set_language
from tests.tools.catalogue import catalogue_entries, spoken

AGENCY = "000.17.22.H56"
CODE = "000.17.22.H56-210531-0001"


@pytest.fixture
def english() -> Iterator[None]:
    set_language("en")
    yield
    set_language("vi")


@pytest.mark.parametrize("key", sorted(k for k in catalogue_entries("vi")
                                         if k.startswith("codes.")))
def test_message_has_both_languages_with_the_same_placeholders(key: str) -> None:
    vi, en = spoken(key)
    assert vi.strip() and en.strip() and vi != en
    assert set(re.findall(r"{(\w+)}", vi)) == set(re.findall(r"{(\w+)}", en))


# --- dossier code: formatting ----------------------------------------------------------------

@pytest.mark.parametrize(("agency", "day", "seq", "text"), [
    pytest.param(AGENCY, date(2021, 5, 31), 1, CODE, id="first-of-the-day"),
    pytest.param(AGENCY, date(2021, 5, 31), 123, f"{AGENCY}-210531-0123", id="padded-to-4"),
    pytest.param(AGENCY, date(2021, 5, 31), 9999, f"{AGENCY}-210531-9999", id="last-4-digit"),
    pytest.param(AGENCY, date(2021, 5, 31), 10000, f"{AGENCY}-210531-10000",
                 id="past-9999-takes-5-digits"),
    pytest.param("H56", date(2000, 1, 1), 7, "H56-000101-0007", id="short-agency-year-2000"),
    pytest.param(AGENCY, date(2099, 12, 31), 1, f"{AGENCY}-991231-0001", id="year-2099"),
])
def test_format_dossier_code(agency: str, day: date, seq: int, text: str) -> None:
    assert codes.format_dossier_code(agency, day, seq) == text
    assert str(DossierCode(agency, day, seq)) == text


@pytest.mark.parametrize(("agency", "day", "seq"), [
    pytest.param(AGENCY, date(2021, 5, 31), 0, id="seq-0"),
    pytest.param(AGENCY, date(2021, 5, 31), -1, id="seq-negative"),
    pytest.param("000.17.22.h56", date(2021, 5, 31), 1, id="agency-not-normalised"),
    pytest.param("H-56", date(2021, 5, 31), 1, id="agency-with-dash"),
    pytest.param("", date(2021, 5, 31), 1, id="agency-empty"),
    pytest.param("A" * 41, date(2021, 5, 31), 1, id="agency-too-long"),
    pytest.param(AGENCY, date(1999, 12, 31), 1, id="year-1999"),
    pytest.param(AGENCY, date(2100, 1, 1), 1, id="year-2100"),
])
def test_format_dossier_code_refuses_programming_errors(agency: str, day: date, seq: int) -> None:
    with pytest.raises(ValueError):
        codes.format_dossier_code(agency, day, seq)


# --- dossier code: parsing what a scanner types ----------------------------------------------

PARSED = DossierCode(AGENCY, date(2021, 5, 31), 1)


@pytest.mark.parametrize(("typed", "parsed"), [
    pytest.param(CODE, PARSED, id="canonical"),
    pytest.param(f"  {CODE}  ", PARSED, id="surrounding-spaces"),
    pytest.param(f"{CODE}\r\n", PARSED, id="scanner-crlf"),
    pytest.param(f"{CODE}\n", PARSED, id="scanner-lf"),
    pytest.param(f"{CODE}\r", PARSED, id="scanner-cr"),
    pytest.param(f"\t{CODE}\x00", PARSED, id="tab-and-nul"),
    pytest.param(CODE.lower(), PARSED, id="lower-case-agency"),
    pytest.param("000.17.22.H56 - 210531 - 0001", PARSED, id="spaces-typed-inside"),
    pytest.param(f"{AGENCY}-210531-10000", DossierCode(AGENCY, date(2021, 5, 31), 10000),
                 id="5-digit-number"),
    pytest.param("H56-240229-0042", DossierCode("H56", date(2024, 2, 29), 42), id="leap-day"),
])
def test_parse_dossier_code(typed: str, parsed: DossierCode) -> None:
    assert codes.parse_dossier_code(typed) == parsed
    assert codes.looks_like_dossier_code(typed)


@pytest.mark.parametrize("typed", [
    pytest.param("", id="empty"),
    pytest.param("Nguyễn Văn An", id="a-name"),
    pytest.param("0912345678", id="a-phone"),
    pytest.param("001085012345", id="an-id-number"),
    pytest.param("A015", id="a-ticket"),
    pytest.param(f"{AGENCY}-210532-0001", id="day-32"),
    pytest.param(f"{AGENCY}-210229-0001", id="feb-29-not-leap"),
    pytest.param(f"{AGENCY}-211301-0001", id="month-13"),
    pytest.param(f"{AGENCY}-210531-0000", id="number-0000"),
    pytest.param(f"{AGENCY}-210531-001", id="3-digit-number"),
    pytest.param(f"{AGENCY}-210531-00001", id="5-digits-leading-zero"),
    pytest.param(f"{AGENCY}-21053-0001", id="5-digit-date"),
    pytest.param(f"{AGENCY}_210531_0001", id="underscores"),
    pytest.param("000..17-210531-0001", id="empty-agency-group"),
    pytest.param("-210531-0001", id="no-agency"),
    pytest.param(f"{CODE}-2", id="extra-part"),
    pytest.param(f"{AGENCY}-210531-０００１", id="full-width-digits"),
    pytest.param(f"{'A' * 41}-210531-0001", id="agency-too-long"),
])
def test_not_a_dossier_code(typed: str) -> None:
    assert codes.parse_dossier_code(typed) is None
    assert not codes.looks_like_dossier_code(typed)


@pytest.mark.parametrize("seq", [1, 42, 999, 9999, 10000, 123456])
def test_dossier_code_round_trip(seq: int) -> None:
    code = DossierCode(AGENCY, date(2025, 7, 1), seq)
    assert codes.parse_dossier_code(str(code)) == code


def test_dossier_codes_sort_by_day_then_number_not_text() -> None:
    day = date(2025, 7, 1)
    assert DossierCode(AGENCY, day, 9999) < DossierCode(AGENCY, day, 10000)
    assert str(DossierCode(AGENCY, day, 9999)) > str(DossierCode(AGENCY, day, 10000))


# --- agency identifier and series letter (configuration) -------------------------------------

@pytest.mark.parametrize(("typed", "stored"), [
    pytest.param(AGENCY, AGENCY, id="canonical"),
    pytest.param(" 000.17.22.h56 ", AGENCY, id="spaces-and-lower-case"),
    pytest.param("H56", "H56", id="single-group"),
])
def test_validate_agency(typed: str, stored: str) -> None:
    assert codes.validate_agency(typed) == stored


@pytest.mark.parametrize("typed", [
    pytest.param("", id="empty"),
    pytest.param("H-56", id="dash"),
    pytest.param("000..17", id="empty-group"),
    pytest.param("000 17", id="space-inside"),
    pytest.param(".H56", id="leading-dot"),
    pytest.param("Sở Tư pháp", id="a-name-not-a-code"),
    pytest.param("A" * 41, id="too-long"),
])
def test_validate_agency_refused(typed: str, english: None) -> None:
    with pytest.raises(UserError) as info:
        codes.validate_agency(typed)
    assert info.value.key == "codes.agency.invalid"
    assert info.value.field == "agency"
    assert "e.g. 000.17.22.H56" in str(info.value)
    set_language("vi")
    assert "ví dụ 000.17.22.H56" in str(info.value)


@pytest.mark.parametrize(("typed", "stored"), [
    pytest.param("A", "A", id="upper"),
    pytest.param(" d ", "D", id="lower-with-spaces"),
])
def test_validate_series_letter(typed: str, stored: str) -> None:
    assert codes.validate_series_letter(typed) == stored


@pytest.mark.parametrize("typed", [
    pytest.param("", id="empty"),
    pytest.param("AB", id="two-letters"),
    pytest.param("Đ", id="vietnamese-letter"),
    pytest.param("1", id="digit"),
])
def test_validate_series_letter_refused(typed: str, english: None) -> None:
    with pytest.raises(UserError) as info:
        codes.validate_series_letter(typed, field="group_letter")
    assert info.value.key == "codes.series.invalid"
    assert info.value.field == "group_letter"
    assert "one letter from A to Z" in str(info.value)
    set_language("vi")
    assert "một chữ cái từ A đến Z" in str(info.value)


# --- tickets --------------------------------------------------------------------------------

@pytest.mark.parametrize(("letter", "number", "text"), [
    pytest.param("A", 15, "A015", id="A015"),
    pytest.param("B", 1, "B001", id="first"),
    pytest.param("C", 999, "C999", id="last-3-digit"),
    pytest.param("D", 1000, "D1000", id="past-999-takes-4-digits"),
])
def test_format_ticket(letter: str, number: int, text: str) -> None:
    assert codes.format_ticket(letter, number) == text


@pytest.mark.parametrize(("letter", "number"), [
    pytest.param("a", 1, id="lower-case"),
    pytest.param("AB", 1, id="two-letters"),
    pytest.param("Đ", 1, id="vietnamese-letter"),
    pytest.param("A", 0, id="number-0"),
    pytest.param("A", -3, id="negative"),
])
def test_format_ticket_refuses_programming_errors(letter: str, number: int) -> None:
    with pytest.raises(ValueError):
        codes.format_ticket(letter, number)
