"""Everything the command line writes goes through here, so no value reaches a terminal raw.

Values echoed back come from people and files: a CSV cell or an argument can carry escape
sequences that retitle the window, clear the screen or hide the lines after them, and bytes
that are not UTF-8 arrive as lone surrogates that a strict stream refuses to encode (a crash
after the work was done). `core.text.clean` already takes control characters out of text on
its way to paper; the same rule guards the terminal here, once, for every command.

JSON stays exact: a control character inside a string is written as its `\\uXXXX` escape, so
a script reads back the very value that was stored while a terminal shows nothing harmful.
"""

from __future__ import annotations

import contextlib
import json
import re
import sys
from typing import Any, TextIO

from counter_tui.core.text import clean, has_surrogates

# What json.dumps(ensure_ascii=False) leaves raw but a terminal acts on: DEL and the C1
# controls (CSI 0x9b starts an escape sequence on its own), invisible and bidirectional
# marks, and lone surrogates (undecodable bytes of an argument or a file). None of them is
# printable, so the pattern (half a millisecond to compile) is compiled for output that needs
# it: most JSON is one printable line.
JSON_UNSAFE = "[\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff\ud800-\udfff]"


def terminal_safe(text: str) -> str:
    """`text` with every control character removed, line breaks kept (and blank lines)."""
    if has_surrogates(text):
        text = "".join("\ufffd" if "\ud800" <= ch <= "\udfff" else ch for ch in text)
    return "\n".join(clean(line, multiline=True) for line in text.split("\n"))


def json_text(data: Any, *, indent: int | None = None) -> str:
    """`data` as JSON (one line unless `indent`) whose strings carry no raw control
    character."""
    from counter_tui.core.jsonable import jsonable

    raw = json.dumps(jsonable(data), ensure_ascii=False, indent=indent)
    if raw.isprintable():
        return raw
    return re.sub(JSON_UNSAFE, lambda m: f"\\u{ord(m.group()):04x}", raw)


def say(text: str, *, stream: TextIO | None = None) -> None:
    """One or more lines for the standard output, neutralised."""
    (stream or sys.stdout).write(terminal_safe(text) + "\n")


def warn(text: str) -> None:
    """One or more lines for the standard error, neutralised."""
    sys.stderr.write(terminal_safe(text) + "\n")


def emit(data: Any, as_json: bool, text: str) -> None:
    """The result of a command: `data` as JSON with --json, else `text` for people."""
    if as_json:
        sys.stdout.write(json_text(data) + "\n")
    else:
        say(text)


def tolerate_encoding(*streams: TextIO) -> None:
    """A terminal whose locale cannot show Vietnamese gets '?' for what it cannot show, not a
    crash after the work was done."""
    for stream in streams:
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            # a closed or detached stream: nothing to guard
            with contextlib.suppress(ValueError, OSError):
                reconfigure(errors="replace")
