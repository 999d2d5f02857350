"""A new office's config.toml, written from the template shipped in the package.

`counter-tui init` fills the template's few blanks (office, counters, printer, language, time
zone) and keeps its comments, so the technician who opens the file later finds every setting
explained beside it. The result is parsed before it is written: a value that the parser would
refuse never reaches the disk.
"""

from __future__ import annotations

import json
import os
import tomllib
from importlib.resources import files
from pathlib import Path
from string import Template

from counter_tui.config import Config, parse
from counter_tui.core.clock import DEFAULT_TIMEZONE
from counter_tui.core.records import frozen

GROUP_LETTERS = ("A", "B", "C", "D")  # the template's groups


@frozen
class Answers:
    office_name: str = "UBND xã - Bộ phận Một cửa"
    agency_code: str = "000.00.00.H00"
    address: str = ""
    counters: int = 3
    printer_kind: str = "file"
    printer_target: str = ""
    language: str = "vi"
    timezone: str = DEFAULT_TIMEZONE
    data: str = ""  # empty: the user data folder
    database_url: str = ""  # empty: counter.db in the data folder


def _quoted(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a TOML basic string: the same escapes


def _counters(count: int) -> str:
    """Counter n calls every group: the office narrows it down in the file when it wants."""
    letters = ", ".join(_quoted(x) for x in GROUP_LETTERS)
    return "\n".join(f"[[counters]]\nnumber = {n}\nname = \"Quầy {n}\"\ngroups = [{letters}]\n"
                     for n in range(1, count + 1))


def render(answers: Answers) -> str:
    template = files("counter_tui").joinpath("config.template.toml").read_text(encoding="utf-8")
    return Template(template).substitute(
        office_name=_quoted(answers.office_name), agency_code=_quoted(answers.agency_code),
        address=_quoted(answers.address), timezone=_quoted(answers.timezone),
        counters=_counters(answers.counters), printer_kind=_quoted(answers.printer_kind),
        printer_target=_quoted(answers.printer_target), language=_quoted(answers.language),
        data=_quoted(answers.data), database_url=_quoted(answers.database_url),
    )


def write(answers: Answers, path: Path) -> Config:
    """Check the filled template as the app will read it (ConfigError if not), then write it
    whole or not at all (a half-written config is worse than none)."""
    text = render(answers)
    cfg = parse(tomllib.loads(text), path)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".new")
    partial.write_text(text, encoding="utf-8")
    os.replace(partial, path)
    return cfg
