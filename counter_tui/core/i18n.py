"""Vietnamese first, English selectable.

Each module registers its own messages next to the code that uses them (a key, the Vietnamese
text, the English text), so a message is never separated from where it is said. `t()` looks a key
up in the language chosen at start (config `ui.language`).
"""

from __future__ import annotations

_CATALOG: dict[str, tuple[str, str]] = {}
_LANG = {"index": 0}
LANGUAGES = ("vi", "en")
DOMAIN = "counter_tui"  # the catalogues: counter_tui/locale/<lang>/LC_MESSAGES/counter_tui.po


def messages(table: dict[str, tuple[str, str]]) -> None:
    """Register {key: (vietnamese, english)}; a key registered twice must say the same thing."""
    for key, pair in table.items():
        if key in _CATALOG and _CATALOG[key] != pair:
            raise ValueError(f"message {key!r} registered twice with different text")
        _CATALOG[key] = pair


def set_language(lang: str) -> None:
    _LANG["index"] = LANGUAGES.index(lang)


def language() -> str:
    return LANGUAGES[_LANG["index"]]


def t(key: str, **params: object) -> str:
    pair = _CATALOG.get(key)
    if pair is None:
        return key
    text = pair[_LANG["index"]]
    return text.format(**params) if params else text


def catalog() -> dict[str, tuple[str, str]]:
    return dict(_CATALOG)
