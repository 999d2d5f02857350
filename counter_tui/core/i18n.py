"""Vietnamese first, English selectable: every text a person reads comes from a message catalogue.

The code names a message by a symbolic key (`t("counter.key.issue")`); the words live in one
gettext catalogue per language, `counter_tui/locale/<lang>/LC_MESSAGES/counter_tui.po` (the key
is the msgid, the text the msgstr), compiled to the `.mo` file read here with the standard
library's `gettext`. So adding a language touches no screen (one more .po, and its code in
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
import os
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


def catalogue_file(lang: str, suffix: str = ".mo") -> str:
    return os.path.join(LOCALE_DIR, lang, "LC_MESSAGES", DOMAIN + suffix)


def _load(lang: str) -> gettext.NullTranslations:
    translations: gettext.NullTranslations
    try:
        with open(catalogue_file(lang), "rb") as fp:
            translations = gettext.GNUTranslations(fp)
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
