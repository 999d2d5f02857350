"""The test page names its text mode in the officer's language, from the catalogues."""

from __future__ import annotations

import pytest

from counter_tui.core.i18n import set_language
from counter_tui.printing.testpage import mode_name


@pytest.mark.parametrize(("lang", "mode", "name"), [
    pytest.param("vi", "tcvn3", "tcvn3 — TCVN-3 (bảng mã 30/31)", id="vi"),
    pytest.param("en", "cp1258", "cp1258 — Windows-1258 (code table 52)", id="en"),
    pytest.param("en", "future", "future", id="a-mode-added-later-shows-by-its-name"),
])
def test_mode_name(lang: str, mode: str, name: str) -> None:
    set_language(lang)
    assert mode_name(mode) == name
