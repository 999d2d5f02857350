"""The one-off conversion of `messages({...})` tables into the catalogues, on a made-up checkout:
what it moves, what it leaves of each module, that a second run changes nothing, and that it
changes nothing at all when it cannot do the whole job."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.tools import catalogue as cat
from tests.tools.convert_messages import run

SCREEN = '''\
"""A module with a table in the middle, comments and joined strings."""

from __future__ import annotations

from counter_tui.core.i18n import messages, t

LIMIT = 3

messages({
    # the title
    "demo.title": ("Tiêu đề", "Title"),  # short
    "demo.long": (
        "Một câu "
        "dài",
        "A long "
        "sentence",
    ),
})


def title(count: int) -> str:
    return t("demo.title") + t("demo.long", count=count)
'''
SCREEN_AFTER = '''\
"""A module with a table in the middle, comments and joined strings."""

from __future__ import annotations

from counter_tui.core.i18n import t

LIMIT = 3


def title(count: int) -> str:
    return t("demo.title") + t("demo.long", count=count)
'''
ERRORS = '''\
from counter_tui.core.errors import UserError
from counter_tui.core.i18n import (
    messages,
)
from counter_tui.core.text import clean

messages({"demo.refused": ("Không được {what}", "Not allowed: {what}")})


def refuse(what: str) -> None:
    raise UserError("demo.refused", what=clean(what))


messages({"demo.unused": ("Thừa", "Spare")})
'''
ERRORS_AFTER = '''\
from counter_tui.core.errors import UserError
from counter_tui.core.text import clean


def refuse(what: str) -> None:
    raise UserError("demo.refused", what=clean(what))
'''


def checkout(root: Path, **modules: str) -> Path:
    for name, source in modules.items():
        path = root / "counter_tui" / f"{name}.py"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(source)
    (root / "db").mkdir(exist_ok=True)
    return root


def files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file()}


def test_tables_move_into_both_catalogues_and_leave_the_modules_clean(tmp_path: Path) -> None:
    root = checkout(tmp_path, screen=SCREEN, errors=ERRORS)
    assert run(root, dry_run=False, keep_blocks=False, drop_unused=True) == 0
    assert (root / "counter_tui" / "screen.py").read_text() == SCREEN_AFTER
    assert (root / "counter_tui" / "errors.py").read_text() == ERRORS_AFTER
    vi, en = (cat.entries(cat.read(lang, root)) for lang in cat.LANGUAGES)
    assert vi == {"demo.title": "Tiêu đề", "demo.long": "Một câu dài",
                  "demo.refused": "Không được {what}"}
    assert en["demo.long"] == "A long sentence"
    assert cat.read("vi", root)["demo.title"].auto_comments == ["the title", "short"]
    assert cat.compiled(cat.mo_path("en", root)) == cat.compiled_from_po("en", root)
    ruff = Path(sys.executable).with_name("ruff")
    lint = subprocess.run([str(ruff), "check", "--no-cache", "--isolated", "--select",
                           "E,F,W,I", "--line-length", "100", str(root / "counter_tui")],
                          capture_output=True, text=True)
    assert lint.returncode == 0, lint.stdout


def test_a_second_run_changes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = checkout(tmp_path, screen=SCREEN, errors=ERRORS)
    run(root, dry_run=False, keep_blocks=False, drop_unused=False)
    before = files(root)
    assert run(root, dry_run=False, keep_blocks=False, drop_unused=False) == 0
    assert files(root) == before
    out = capsys.readouterr().out
    assert "no messages({...}) tables left to move" in out
    assert "[vi] unchanged: counter_tui/locale/vi/LC_MESSAGES/counter_tui.po and its .mo" in out


def test_keep_blocks_fills_the_catalogues_and_leaves_the_modules(tmp_path: Path) -> None:
    root = checkout(tmp_path, screen=SCREEN)
    assert run(root, dry_run=False, keep_blocks=True, drop_unused=False) == 0
    assert (root / "counter_tui" / "screen.py").read_text() == SCREEN
    assert set(cat.entries(cat.read("en", root))) == {"demo.title", "demo.long"}


def test_a_dry_run_writes_nothing(tmp_path: Path) -> None:
    root = checkout(tmp_path, screen=SCREEN)
    before = files(root)
    assert run(root, dry_run=True, keep_blocks=False, drop_unused=False) == 0
    assert files(root) == before


def test_a_changed_text_wins_and_a_plural_entry_is_kept(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = checkout(tmp_path, screen=SCREEN)
    for lang in cat.LANGUAGES:
        catalogue = cat.new_catalogue(lang)
        catalogue.add("demo.title", "Old")
        catalogue.add(("demo.long", "demo.long"), ("x",) * (1 if lang == "vi" else 2))
        cat.write(lang, catalogue, root)
    assert run(root, dry_run=False, keep_blocks=False, drop_unused=False) == 0
    en = cat.entries(cat.read("en", root))
    assert en == {"demo.title": "Title", "demo.long": ("x", "x")}
    out = capsys.readouterr().out
    assert "[en]   changed: demo.title: 'Old' -> 'Title'" in out
    assert "[en]   kept plural: demo.long (the table said 'A long sentence')" in out


@pytest.mark.parametrize("other", [
    pytest.param('from counter_tui.core.i18n import messages\n\n'
                 'messages({"demo.title": ("Khác", "Other")})\n', id="two-texts-for-one-key"),
    pytest.param('from counter_tui.core.i18n import messages\n\nTABLE = {}\nmessages(TABLE)\n',
                 id="not-a-literal-table"),
    pytest.param('from counter_tui.core.i18n import messages\n\n'
                 'X = 1; messages({"demo.x": ("x", "x")})\n', id="shares-a-line"),
])
def test_what_cannot_be_moved_stops_the_run_before_anything_changes(
        tmp_path: Path, other: str, capsys: pytest.CaptureFixture[str]) -> None:
    root = checkout(tmp_path, screen=SCREEN, other=other)
    before = files(root)
    assert run(root, dry_run=False, keep_blocks=False, drop_unused=False) == 1
    assert files(root) == before
    assert "ERROR" in capsys.readouterr().err


def test_the_command_line_says_what_it_did(tmp_path: Path) -> None:
    root = checkout(tmp_path, screen=SCREEN, errors=ERRORS)
    done = subprocess.run(
        [sys.executable, "-m", "tests.tools.convert_messages", "--root", str(root),
         "--drop-unused"], capture_output=True, text=True, cwd=cat.ROOT, check=True)
    assert textwrap.dedent('''\
        found counter_tui/errors.py: 2 table(s), 2 entries (lines 7-7, lines 14-14)
        found counter_tui/screen.py: 1 table(s), 2 entries (lines 9-18)
        [vi] 4 added, 0 already there, 0 changed, 0 kept as plural
        [en] 4 added, 0 already there, 0 changed, 0 kept as plural
        [vi] wrote counter_tui/locale/vi/LC_MESSAGES/counter_tui.po and its .mo
        [en] wrote counter_tui/locale/en/LC_MESSAGES/counter_tui.po and its .mo
        removed 2 table(s) from counter_tui/errors.py
        removed 1 table(s) from counter_tui/screen.py
        [vi] dropped demo.unused (nothing uses it): ('Thừa',)
        [en] dropped demo.unused (nothing uses it): ('Spare',)
        ''') == done.stdout
