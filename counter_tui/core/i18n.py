"""Vietnamese first, English selectable: every text a person reads comes from a message catalogue.

The code names a message by a symbolic key (`t("counter.key.issue")`); the words live in one
gettext catalogue per language, `counter_tui/locale/<lang>/LC_MESSAGES/counter_tui.po` (the key
is the msgid, the text the msgstr), compiled to the standard `.mo` file read here (each message
found when first shown). So adding a language touches no screen (one more .po, and its code in
LANGUAGES here and in config), and a text is looked up when it is shown: `set_language` switches
at any time and the next `t()` speaks the new language.

A key that no catalogue holds is a bug. Under development (`python -X dev`) and in the tests it
raises `UnknownMessage`; for an officer it shows the key itself, never a blank or a crash, and is
logged once. `known()` asks without that consequence, for a label that may legitimately be
missing (a value added later is shown by its name).

`python -m tests.tools.catalogue` checks and compiles the catalogues (Babel, a development tool
only: nothing here imports it).
"""

from __future__ import annotations

import gettext
import io
import os
import struct
import sys

LANGUAGES = ("vi", "en")
DOMAIN = "counter_tui"
# The catalogues shipped inside the package (gettext needs a folder: installs unpack to one,
# so the package's own folder is found from this file, without importlib.resources and the
# zip machinery it imports at every start).
LOCALE_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "locale")


class UnknownMessage(LookupError):
    """A key in no catalogue: raised under development and in tests, where it is a bug to fix."""

    def __init__(self, key: str, lang: str) -> None:
        super().__init__(
            f"no message {key!r} in the {lang!r} catalogue: add it to every "
            f"counter_tui/locale/*/LC_MESSAGES/{DOMAIN}.po and run "
            f"`python -m tests.tools.catalogue compile`")
        self.key, self.lang = key, lang


class _NotInCatalogue(Exception):
    """Raised by the last fallback of every catalogue, so a miss never passes for a text."""


class _Absent(gettext.NullTranslations):
    def gettext(self, message: str) -> str:
        raise _NotInCatalogue

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        raise _NotInCatalogue


_ABSENT = _Absent()
_loaded: dict[str, gettext.NullTranslations] = {}
_lang = "vi"
_strict = bool(sys.flags.dev_mode)
_reported: set[tuple[str, str]] = set()


class _CompiledCatalogue(gettext.NullTranslations):
    """A compiled catalogue whose messages are found one by one as they are shown.

    `gettext.GNUTranslations` decodes every message of the file when it opens it: 5 ms of
    every start of the app and of every command a kiosk's script runs, for the dozen texts
    they show. Compilers write a catalogue's keys sorted, so a key is found here by binary
    search in the file's table of keys and decoded alone. Should a key not be found that
    way (a file compiled by a tool that does not sort), the whole file is read the standard
    way and asked again, so a text is never missed: only the first miss is slower."""

    def __init__(self, data: bytes) -> None:
        super().__init__()
        self._data = data
        order = "<" if data[:4] == b"\xde\x12\x04\x95" else ">"
        self._count, self._keys, self._texts = struct.unpack_from(order + "3I", data, 8)
        self._pair = order + "2I"
        self._found: dict[str, tuple[str, bool]] = {}
        self._standard: gettext.NullTranslations | None = None
        self._plural = lambda n: int(n != 1)
        header = self._text_of(b"")
        for line in (header[0] if header else "").splitlines():
            name, _, value = line.partition(":")
            if name.strip().lower() == "plural-forms" and "plural=" in value:
                self._plural = gettext.c2py(value.split("plural=")[1].strip().rstrip(";"))

    def _text_of(self, key: bytes) -> tuple[str, bool] | None:
        """The text stored for `key` (a plural entry's forms joined by NUL) and whether the
        entry is a plural one, or None."""
        data, pair = self._data, self._pair
        lo, hi = 0, self._count
        while lo < hi:
            mid = (lo + hi) // 2
            length, start = struct.unpack_from(pair, data, self._keys + 8 * mid)
            if data[start:start + length] < key:
                lo = mid + 1
            else:
                hi = mid
        if lo == self._count:
            return None
        length, start = struct.unpack_from(pair, data, self._keys + 8 * lo)
        found = data[start:start + length]
        if found != key and not found.startswith(key + b"\0"):
            return None
        length, start = struct.unpack_from(pair, data, self._texts + 8 * lo)
        return data[start:start + length].decode("utf-8"), found != key

    def _standard_way(self) -> gettext.NullTranslations:
        if self._standard is None:
            self._standard = gettext.GNUTranslations(io.BytesIO(self._data))
            fallback = getattr(self, "_fallback", None)
            if fallback is not None:
                self._standard.add_fallback(fallback)
        return self._standard

    def _lookup(self, key: str) -> tuple[str, bool] | None:
        entry = self._found.get(key)
        if entry is None and key:
            entry = self._text_of(key.encode("utf-8"))
            if entry is not None:
                self._found[key] = entry
        return entry

    def gettext(self, message: str) -> str:
        entry = self._lookup(message)
        if entry is None or entry[1]:  # a plural entry: as gettext answers it
            return self._standard_way().gettext(message)
        return entry[0]

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        entry = self._lookup(msgid1)
        if entry is None or not entry[1]:  # not a plural entry: as gettext answers it
            return self._standard_way().ngettext(msgid1, msgid2, n)
        forms = entry[0].split("\0")
        return forms[min(self._plural(n), len(forms) - 1)]


def catalogue_file(lang: str, suffix: str = ".mo") -> str:
    return os.path.join(LOCALE_DIR, lang, "LC_MESSAGES", DOMAIN + suffix)


def _load(lang: str) -> gettext.NullTranslations:
    translations: gettext.NullTranslations
    try:
        with open(catalogue_file(lang), "rb") as fp:
            translations = _CompiledCatalogue(fp.read())
    except OSError:
        if _strict:
            raise
        import logging

        logging.getLogger(__name__).error(
            "message catalogue %s is missing or unreadable: texts show as their keys; "
            "reinstall counter-tui", catalogue_file(lang))
        translations = gettext.NullTranslations()
    translations.add_fallback(_ABSENT)
    _loaded[lang] = translations
    return translations


def _catalogue(lang: str) -> gettext.NullTranslations:
    return _loaded.get(lang) or _load(lang)


def set_language(lang: str) -> None:
    global _lang
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; known: {', '.join(LANGUAGES)}")
    _lang = lang


def language() -> str:
    return _lang


def set_strict(strict: bool) -> None:
    """Strict: an unknown key raises (the tests turn this on). Otherwise it shows as itself."""
    global _strict
    _strict = strict


def _unknown(key: str, lang: str) -> str:
    if _strict:
        raise UnknownMessage(key, lang)
    if (key, lang) not in _reported:
        _reported.add((key, lang))
        import logging

        logging.getLogger(__name__).warning(
            "message %r is in no %s catalogue; shown as its key", key, lang)
    return key


def t(key: str, **params: object) -> str:
    """The text of `key` in the current language, `{name}` fields filled from `params`."""
    lang = _lang
    try:
        text = _catalogue(lang).gettext(key)
    except _NotInCatalogue:
        return _unknown(key, lang)
    return text.format(**params) if params else text


def tn(key: str, n: int, **params: object) -> str:
    """The plural form of `key` for the number `n` (filled in as `{n}`): Vietnamese has one form,
    English two ("1 copy", "2 copies")."""
    lang = _lang
    try:
        text = _catalogue(lang).ngettext(key, key, n)
    except _NotInCatalogue:
        return _unknown(key, lang)
    return text.format(n=n, **params)


def known(key: str) -> bool:
    """Whether `key` has a text in the current language (no error, nothing logged)."""
    try:
        _catalogue(_lang).gettext(key)
    except _NotInCatalogue:
        return False
    return True
