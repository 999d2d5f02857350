"""Messages: every key the code says is in every catalogue, the catalogues agree with each other
and with their compiled files, and texts are looked up when they are shown.

What counts as using a key is written in tests/tools/catalogue.py (the same rules as
`python -m tests.tools.catalogue check`); the tests at the end run those rules on a small
made-up tree, so each check is seen to fail when it should.
"""

from __future__ import annotations

import io
import logging
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog

from counter_tui.core import i18n
from counter_tui.core.i18n import (
    LANGUAGES,
    UnknownMessage,
    known,
    language,
    set_language,
    set_strict,
    t,
    tn,
)
from tests.tools import catalogue as cat


@pytest.fixture(scope="module")
def usage() -> cat.Usage:
    return cat.scan()


@pytest.fixture(scope="module")
def tables() -> dict[str, dict[str, cat.Text]]:
    return {lang: cat.catalogue_entries(lang) for lang in LANGUAGES}


@pytest.fixture
def lenient() -> Iterator[None]:
    """As an officer runs the app: an unknown key shows as itself."""
    set_strict(False)
    yield
    set_strict(True)


@pytest.fixture
def own_catalogues(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The runtime reading catalogues from `tmp_path/locale` instead of the shipped ones."""
    monkeypatch.setattr(i18n, "LOCALE_DIR", str(tmp_path / "locale"))
    monkeypatch.setattr(i18n, "_loaded", {})
    monkeypatch.setattr(i18n, "_reported", set())
    return tmp_path


def write_catalogue(root: Path, lang: str, entries: dict[str | tuple[str, str], object]) -> None:
    catalogue = cat.new_catalogue(lang)
    for key, text in entries.items():
        catalogue.add(key, text)  # type: ignore[arg-type]
    path = root / "locale" / lang / "LC_MESSAGES" / f"{i18n.DOMAIN}.mo"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(cat.mo_bytes(catalogue))


# --- the shipped catalogues -------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_key_the_source_uses_is_in_the_catalogue(usage: cat.Usage,
                                                       tables: dict[str, dict[str, cat.Text]],
                                                       lang: str) -> None:
    assert [use for use in usage.required if not use.family], "the source scan found no key"
    assert cat.missing_uses(usage, tables[lang]) == []


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_catalogue_entry_is_unused(usage: cat.Usage, lang: str) -> None:
    """`python -m tests.tools.catalogue update` drops what nothing uses."""
    assert cat.unused(usage, cat.entries(cat.read(lang))) == []


def test_the_catalogues_hold_the_same_keys(tables: dict[str, dict[str, cat.Text]]) -> None:
    vi, en = tables["vi"], tables["en"]
    assert {"only in vi": sorted(vi.keys() - en.keys()),
            "only in en": sorted(en.keys() - vi.keys())} == {"only in vi": [], "only in en": []}


def test_each_message_has_the_same_fields_in_every_language(
        tables: dict[str, dict[str, cat.Text]]) -> None:
    differ = {}
    for key in tables["vi"].keys() & tables["en"].keys():
        fields = [set().union(*map(cat.placeholders, cat.texts(tables[lang][key])))
                  for lang in LANGUAGES]
        if fields[0] != fields[1]:
            differ[key] = fields
    assert differ == {}


def test_plural_entries_have_each_language_s_number_of_forms(
        tables: dict[str, dict[str, cat.Text]]) -> None:
    forms = {lang: {k: len(v) for k, v in tables[lang].items() if isinstance(v, tuple)}
             for lang in LANGUAGES}
    assert forms["vi"].keys() == forms["en"].keys()
    assert set(forms["vi"].values()) <= {1} and set(forms["en"].values()) <= {2}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_text_is_nfc_and_says_something(tables: dict[str, dict[str, cat.Text]],
                                              lang: str) -> None:
    import unicodedata

    bad = [key for key, value in tables[lang].items() for text in cat.texts(value)
           if not text.strip() or unicodedata.normalize("NFC", text) != text]
    assert bad == []


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_mo_file_is_compiled_from_the_po_file(lang: str) -> None:
    """Else: `python -m tests.tools.catalogue compile`."""
    assert cat.compiled(cat.mo_path(lang)) == cat.compiled_from_po(lang)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_po_file_is_sorted_by_key_as_the_tools_write_it(lang: str) -> None:
    """Sorted, no line numbers: two branches adding messages merge without conflicts. Else:
    `python -m tests.tools.catalogue compile` rewrites it so."""
    assert cat.po_path(lang).read_bytes().decode() == cat.po_bytes(cat.read(lang)).decode()


def test_the_app_reads_the_files_the_tools_write() -> None:
    for lang in LANGUAGES:
        assert Path(i18n.catalogue_file(lang)) == cat.mo_path(lang)
        assert Path(i18n.catalogue_file(lang, ".po")) == cat.po_path(lang)


def test_the_wheel_ships_the_catalogues() -> None:
    import fnmatch
    import tomllib

    patterns = tomllib.loads((cat.ROOT / "pyproject.toml").read_text())["tool"]["setuptools"][
        "package-data"]["counter_tui"]
    shipped = sorted(p.relative_to(cat.ROOT / "counter_tui").as_posix()
                     for p in cat.locale_dir().rglob("*.[mp]o"))
    assert len(shipped) == 2 * len(LANGUAGES)
    assert [p for p in shipped if not any(fnmatch.fnmatch(p, pat) for pat in patterns)] == []


# --- the runtime ------------------------------------------------------------------------------


def test_a_text_is_looked_up_when_shown_in_the_language_of_that_moment() -> None:
    assert (language(), t("app.quit")) == ("vi", "Thoát")
    set_language("en")
    assert t("app.quit") == "Quit"
    assert t("status.unknown", code=11) == "Status 11"
    set_language("vi")
    assert t("status.unknown", code=11) == "Trạng thái 11"


def test_an_unknown_language_is_refused() -> None:
    with pytest.raises(ValueError, match="fr"):
        set_language("fr")
    assert language() == "vi"


def test_a_key_is_found_whatever_module_was_imported_first() -> None:
    """The help screen's close key says `issue.cancel`, a message of the ticket dialog: it used
    to show as the raw key unless that dialog's module had been imported before."""
    code = ("from counter_tui.core.i18n import t, set_language; print(t('issue.cancel')); "
            "set_language('en'); print(t('worklist.due_today'))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.split("\n")
    assert out[:2] == [cat.spoken("issue.cancel")[0], cat.spoken("worklist.due_today")[1]]
    assert "issue.cancel" not in out[0] and "worklist" not in out[1]


def test_an_unknown_key_is_an_error_under_development() -> None:
    with pytest.raises(UnknownMessage, match=r"no\.such\.key"):
        t("no.such.key")
    with pytest.raises(UnknownMessage):
        tn("no.such.key", 2)


def test_an_unknown_key_shows_as_itself_for_an_officer_and_is_logged_once(
        lenient: None, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.setattr(i18n, "_reported", set())
    with caplog.at_level(logging.WARNING, logger="counter_tui.core.i18n"):
        assert t("no.such.key", n=1) == "no.such.key"
        assert t("no.such.key") == "no.such.key"
        assert tn("no.such.plural", 3) == "no.such.plural"
    assert [r.getMessage() for r in caplog.records] == [
        "message 'no.such.key' is in no vi catalogue; shown as its key",
        "message 'no.such.plural' is in no vi catalogue; shown as its key"]


def test_known_asks_without_error_or_log(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.DEBUG):
        assert known("app.quit") and not known("no.such.key")
    assert caplog.records == []


def test_plural_forms_follow_each_language(own_catalogues: Path) -> None:
    write_catalogue(own_catalogues, "vi", {("demo.copies", "demo.copies"): ("{n} bản sao",)})
    write_catalogue(own_catalogues, "en", {("demo.copies", "demo.copies"): (
        "{n} copy of {name}", "{n} copies of {name}")})
    assert [tn("demo.copies", n, name="x") for n in (0, 1, 2)] == [
        "0 bản sao", "1 bản sao", "2 bản sao"]
    set_language("en")
    assert [tn("demo.copies", n, name="x") for n in (0, 1, 2, 21)] == [
        "0 copies of x", "1 copy of x", "2 copies of x", "21 copies of x"]


def test_a_missing_catalogue_shows_keys_and_says_so(own_catalogues: Path, lenient: None,
                                                     caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="counter_tui.core.i18n"):
        assert t("app.quit") == "app.quit"
    assert "reinstall counter-tui" in caplog.records[0].getMessage()


def test_a_missing_catalogue_fails_under_development(own_catalogues: Path) -> None:
    with pytest.raises(FileNotFoundError):
        t("app.quit")


def test_babel_is_never_imported_at_run_time() -> None:
    code = ("import sys, counter_tui.cli, counter_tui.ui.app\n"
            "from counter_tui.core.i18n import set_language, t\n"
            "t('app.quit'); set_language('en'); t('app.quit')\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] == 'babel'))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "[]"


# --- the rules, on a made-up tree -------------------------------------------------------------

SOURCE = '''
from textual.binding import Binding

from counter_tui.core.errors import UserError
from counter_tui.core.i18n import t, tn

BINDINGS = [Binding("f2", "issue", "demo.key.issue", tooltip="demo.key.issue_help"),
            Binding("up", "up", show=False)]
KEPT = ("demo.kept", 1)
FAMILY = "demo.count"


def show(column: str, n: int, ok: bool) -> None:
    t("demo.present")
    t("demo.absent")
    t(f"demo.col.{column}")
    t(f"demo.row.{column}")
    t("demo.yes" if ok else "demo.no")
    tn("demo.copies", n)
    tn("demo.singular", n)
    t("demo.plural")
    raise UserError("demo.refused")
'''
TABLE: dict[str, cat.Text] = {
    "demo.key.issue": "x", "demo.present": "x", "demo.col.a": "x",
    "demo.yes": "x", "demo.no": "x", "demo.copies": ("x",), "demo.singular": "x",
    "demo.plural": ("x",), "demo.kept": "x", "demo.count.invalid": "x", "demo.orphan": "x",
}


@pytest.fixture
def made_up(tmp_path: Path) -> cat.Usage:
    (tmp_path / "counter_tui").mkdir()
    (tmp_path / "counter_tui" / "demo.py").write_text(textwrap.dedent(SOURCE))
    return cat.scan(tmp_path)


def test_the_scan_finds_each_kind_of_use_and_each_missing_key(made_up: cat.Usage) -> None:
    assert [p.split(": ", 1)[1] for p in cat.missing_uses(made_up, TABLE)] == [
        "no message 'demo.key.issue_help'",
        "no message 'demo.absent'",
        "no message starts with 'demo.row.'",
        "'demo.singular': tn() needs a plural entry",
        "'demo.plural': a plural entry needs tn()",
        "no message 'demo.refused'",
    ]


def test_the_scan_finds_entries_nothing_uses(made_up: cat.Usage) -> None:
    """A key kept in a tuple, a family named by a literal and one reached through an f-string
    are uses."""
    assert cat.unused(made_up, TABLE) == ["demo.orphan"]


def test_a_catalogue_written_by_the_tools_is_sorted_and_has_no_tool_version(
        tmp_path: Path) -> None:
    catalogue: Catalog = cat.new_catalogue("en")
    catalogue.add("b.second", "B")
    catalogue.add("a.first", "A")
    cat.write("en", catalogue, tmp_path)
    text = cat.po_path("en", tmp_path).read_text()
    assert text.index('msgid "a.first"') < text.index('msgid "b.second"')
    assert "Generated-By" not in text and "Plural-Forms: nplurals=2; plural=(n != 1);" in text
    assert cat.compiled(cat.mo_path("en", tmp_path)) == cat.compiled_from_po("en", tmp_path)
    assert not cat.write("en", cat.read("en", tmp_path), tmp_path)  # written as read: no change


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_the_compiled_catalogue_reads_every_message_as_gettext_does(lang: str) -> None:
    """Messages found one by one in the shipped .mo (i18n._CompiledCatalogue) are exactly
    what the standard library reads from it, plural forms included."""
    import gettext

    data = Path(i18n.catalogue_file(lang)).read_bytes()
    standard = gettext.GNUTranslations(io.BytesIO(data))
    ours = i18n._CompiledCatalogue(data)
    keys = [k for k in standard._catalog if k]  # type: ignore[attr-defined]
    assert len(keys) > 1000
    for key in keys:
        if isinstance(key, tuple):  # (msgid, form): a plural entry
            msgid = key[0]
            for n in (0, 1, 2, 5, 21):
                assert ours.ngettext(msgid, msgid, n) == standard.ngettext(msgid, msgid, n)
        else:
            assert ours.gettext(key) == standard.gettext(key)
    assert ours._standard is None  # every one found without reading the whole file


def test_a_catalogue_compiled_unsorted_still_finds_every_message(tmp_path: Path) -> None:
    """A .mo whose keys are not in order (another compiler): the first key the binary search
    misses reads the whole file the standard way, and nothing is missed."""
    import struct

    entries = [("b.key", "B"), ("a.key", "A"), ("c.key", "C")]  # not sorted
    keys = b"".join(k.encode() + b"\0" for k, _ in entries)
    texts = b"".join(v.encode() + b"\0" for _, v in entries)
    n, table = len(entries), 28
    start_keys, start_texts = table + 16 * n, table + 16 * n + len(keys)
    out = struct.pack("<7I", 0x950412DE, 0, n, table, table + 8 * n, 0, 0)
    at = start_keys
    for k, _ in entries:
        out += struct.pack("<2I", len(k), at)
        at += len(k) + 1
    at = start_texts
    for _, v in entries:
        out += struct.pack("<2I", len(v), at)
        at += len(v) + 1
    ours = i18n._CompiledCatalogue(out + keys + texts)
    assert [ours.gettext(k) for k, _ in entries] == ["B", "A", "C"]
