"""The words a call is announced with, before any speech engine hears them.

Waiting rooms read a ticket letter by letter and digit by digit ("A không một hai"), and a
speech engine reading "A012" as one word says something else, so the number is spelt here,
with the digits' words from the message catalogue (Vietnamese, or English when configured).
The sentence itself is a catalogue message too, so an office's wording is one place to change.
"""

from __future__ import annotations

from counter_tui.core.i18n import t


def spell(code: str) -> str:
    """A ticket code as it is read aloud: each letter and digit on its own."""
    words = []
    for ch in code:
        if ch.isdigit():
            words.append(t(f"voice.digit.{ch}"))
        elif ch.isalnum():
            words.append(ch.upper())
    return " ".join(words)


def call_text(code: str, counter: int, *, recall: bool = False) -> str:
    """The sentence for a call (or a second call) of `code` to counter number `counter`."""
    key = "voice.recall" if recall else "voice.call"
    return t(key, code=spell(code), counter=counter)
