"""How ticket numbers are read aloud in Vietnamese, and the exact text the speech engine gets:
digit by digit or as a number, the office's wording per group, Southern number words."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from counter_tui.config import ConfigError, parse
from counter_tui.core.announce import call_text, number_words, spell, template_problem
from counter_tui.core.i18n import set_language
from tests.conftest import config_data


@pytest.mark.parametrize(("n", "words"), [
    (0, "không"), (1, "một"), (4, "bốn"), (5, "năm"), (10, "mười"), (11, "mười một"),
    (14, "mười bốn"), (15, "mười lăm"), (19, "mười chín"), (20, "hai mươi"),
    (21, "hai mươi mốt"), (24, "hai mươi bốn"), (25, "hai mươi lăm"), (50, "năm mươi"),
    (55, "năm mươi lăm"), (71, "bảy mươi mốt"), (99, "chín mươi chín"), (100, "một trăm"),
    (101, "một trăm linh một"), (105, "một trăm linh năm"), (110, "một trăm mười"),
    (111, "một trăm mười một"), (115, "một trăm mười lăm"), (121, "một trăm hai mươi mốt"),
    (205, "hai trăm linh năm"), (350, "ba trăm năm mươi"), (999, "chín trăm chín mươi chín"),
    (1000, "một nghìn"), (1005, "một nghìn không trăm linh năm"),
    (1010, "một nghìn không trăm mười"), (1021, "một nghìn không trăm hai mươi mốt"),
    (2500, "hai nghìn năm trăm"), (15015, "mười lăm nghìn không trăm mười lăm"),
])
def test_vietnamese_number_words(n: int, words: str) -> None:
    assert number_words(n) == words


def test_southern_number_words() -> None:
    assert number_words(105, southern=True) == "một trăm lẻ năm"
    assert number_words(1000, southern=True) == "một ngàn"
    assert number_words(21, southern=True) == "hai mươi mốt"


@pytest.mark.parametrize(("code", "digits", "number"), [
    ("A001", "A không không một", "A một"),
    ("A015", "A không một lăm", "A mười lăm"),
    ("A021", "A không hai một", "A hai mươi mốt"),
    ("B105", "B một không năm", "B một trăm linh năm"),
    ("C150", "C một lăm không", "C một trăm năm mươi"),
    ("D000", "D không không không", "D không"),
])
def test_a_code_read_both_ways(code: str, digits: str, number: str) -> None:
    set_language("vi")
    assert spell(code, "digits") == digits
    assert spell(code, "number") == number


@pytest.mark.parametrize(("code", "counter", "reading", "template", "sent"), [
    ("A015", 3, "digits", "", "Mời khách hàng số A không một lăm đến quầy số ba."),
    ("A015", 3, "number", "", "Mời khách hàng số A mười lăm đến quầy số ba."),
    ("B121", 12, "number", "", "Mời khách hàng số B một trăm hai mươi mốt đến quầy số mười hai."),
    ("C007", 15, "digits", "Xin mời số {number}, quầy {counter}",
     "Xin mời số C không không bảy, quầy mười lăm"),
    ("D105", 21, "number", "  Số {number}   mời đến quầy {counter}. ",
     "Số D một trăm linh năm mời đến quầy hai mươi mốt."),
])
def test_the_text_sent_to_the_speech_engine(code: str, counter: int, reading: str,
                                            template: str, sent: str) -> None:
    set_language("vi")
    text = call_text(code, counter, reading=reading, template=template)  # type: ignore[arg-type]
    assert text == sent
    assert unicodedata.is_normalized("NFC", text)


def test_english_leaves_a_number_in_figures_for_the_engine() -> None:
    set_language("en")
    try:
        assert call_text("A015", 3, reading="number") == "Number A 15, please go to counter 3."
        assert spell("A015") == "A zero one five"
    finally:
        set_language("vi")


def test_a_template_may_hold_only_number_and_counter() -> None:
    assert template_problem("Mời số {number} đến quầy {counter}") is None
    assert template_problem("Mời {name}") == "{name}"
    assert template_problem("Mời {number") is not None


def test_the_wording_per_group_from_config(tmp_path: Path) -> None:
    data = config_data(tmp_path)
    data["groups"][0]["voice_call"] = "Mời công dân số {number} đến quầy {counter} (hộ tịch)"
    data["voice"] = {"numbers": "number", "recall": "Nhắc lại: số {number}, quầy {counter}",
                     "voice": "vi-vn-x-south"}
    cfg = parse(data)
    first, second = cfg.groups[0], cfg.groups[1]
    assert cfg.voice.numbers == "number" and cfg.voice.southern
    assert cfg.voice.template(first, recall=False).startswith("Mời công dân")
    assert cfg.voice.template(first, recall=True).startswith("Nhắc lại")
    assert cfg.voice.template(second, recall=False) == ""  # the catalogue's
    data["groups"][0]["voice_call"] = "Mời {ten}"
    with pytest.raises(ConfigError) as info:
        parse(data)
    assert info.value.key == "groups[0].voice_call"
