"""A form's template: the office's wording and layout, editable without touching code.

Each form is a Jinja2 template (`mau01.txt` ... `mau06.txt`) that writes layout lines, one a
line, read by render.py:

    title TEXT / subtitle TEXT   centred, bold / centred
    heading A | O | M | S        the heading block: the body above the office (A), the
                                 office (O), beside the national motto (M) and slogan (S)
    number LEFT | RIGHT          under it: "Số: ..." and the place and date
    p TEXT                       a paragraph; **bold** inside it
    center TEXT / right TEXT     a line centred / to the right
    field LABEL | VALUE          "Label: value", the value wrapping under itself
    table W1 W2 ...              a table with column widths in per cent, then
      th A | B | ...             its heading row (repeated on each page), and
      tr a | b | ...             its rows, until
    end
    qr TEXT                      TEXT (the dossier code) beside its QR code
    sign A | B                   signature blocks side by side: "TITLE\\NOTE\\NAME" each
    space MM / page              vertical space / a new page
    # ...                        a comment

The shipped templates are the 2018 layout; an office copies one into its override folder
(`[forms] templates` in config.toml) and changes the words, drops a line, adds a field. The
templates run in Jinja2's sandbox, and every value from the store is marked so that a "|" or
"**" an applicant typed stays text and never becomes layout.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jinja2 import ChoiceLoader, FileSystemLoader, PackageLoader, StrictUndefined
from jinja2.sandbox import SandboxedEnvironment

from counter_tui.core.legal_forms import Form

# a value from the store sits between these, so the layout reader treats it as plain text
OPEN, CLOSE = "\ue000", "\ue001"
SHIPPED = Path(__file__).parent / "templates"


def _mark(value: Any) -> Any:
    if isinstance(value, str) and value:
        # one line each: a newline typed into a note must not start a layout line
        text = " ".join(value.replace(OPEN, "").replace(CLOSE, "").split())
        return f"{OPEN}{text}{CLOSE}"
    return value


_ENVS: dict[str, SandboxedEnvironment] = {}


def environment(override: str = "") -> SandboxedEnvironment:
    """The templates of the office's folder first, then the shipped ones (cached per folder)."""
    env = _ENVS.get(override)
    if env is None:
        loaders: list[Any] = [FileSystemLoader(override)] if override else []
        loaders.append(PackageLoader("counter_tui.printing.pdf", "templates"))
        env = SandboxedEnvironment(loader=ChoiceLoader(loaders), trim_blocks=True,
                                   lstrip_blocks=True, keep_trailing_newline=True,
                                   undefined=StrictUndefined, finalize=_mark, autoescape=False)
        _ENVS[override] = env
    return env


def template_name(form: Form) -> str:
    return f"mau{form.value}.txt"


def layout_lines(form: Form, context: dict[str, Any], *, override: str = "") -> str:
    """The layout lines of `form` for `context`, by the office's template or the shipped one."""
    return environment(override).get_template(template_name(form)).render(**context)
