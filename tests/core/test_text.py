"""Control characters and lone surrogates are taken out of text as before, now that the
patterns are compiled only for text that has one: the fast path rests on none of them being
printable."""

from __future__ import annotations

import re

from counter_tui.commands.output import JSON_UNSAFE, json_text, terminal_safe
from counter_tui.core.text import CONTROL, clean, has_surrogates, without_controls


def test_no_character_the_patterns_remove_is_printable() -> None:
    control, unsafe = re.compile(CONTROL), re.compile(JSON_UNSAFE)
    for code in range(0x110000):
        ch = chr(code)
        if control.match(ch) or unsafe.match(ch):
            assert not ch.isprintable(), hex(code)


def test_clean_takes_controls_and_marks_out() -> None:
    assert clean("  Nguyễn\tVăn\x1b[31m  An\u200b\u202e ") == "Nguyễn Văn [31m An"
    assert clean("Trần Thị Bình") == "Trần Thị Bình"
    assert clean("a\x85b\r\nc\x00\n\nd  ", multiline=True) == "ab\nc\n\nd"
    assert without_controls("x\x07y\ufeff", "?") == "x?y?"
    assert without_controls("Hộ tịch") == "Hộ tịch"


def test_surrogates_are_found_exactly() -> None:
    assert has_surrogates("a\udc80b") and has_surrogates("\ud800")
    assert not has_surrogates("Đất đai 🙂") and not has_surrogates("")


def test_json_and_terminal_text_stay_neutral() -> None:
    assert json_text({"name": "Hộ tịch"}) == '{"name": "Hộ tịch"}'
    assert json_text({"v": "a\x9bb\u2028c\udc80"}) == '{"v": "a\\u009bb\\u2028c\\udc80"}'
    assert json_text({"v": "\u200fx"}, indent=1) == '{\n "v": "\\u200fx"\n}'
    assert terminal_safe("a\udc80b\x1b\nc") == "a\ufffdb\nc"
