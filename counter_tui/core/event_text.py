"""A dossier event's data as people read it: each stored key under its label, each value in
words (`ontime=early` is "Kết quả: Trước hạn", a method "tại Bộ phận Một cửa", a time
"09:00 12/05/2026"), for `counter-tui dossier history` and any screen that lists events.

The events keep their data as plain JSON (machine names, ISO times), so the JSON output and
the reports read them unchanged; only what is shown to a person goes through here. A key
added later and not yet labelled is still shown, by its name.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from counter_tui.core.i18n import known, t
from counter_tui.core.lifecycle import rating_label
from counter_tui.core.ontime import OnTime
from counter_tui.core.statuses import status_label
from counter_tui.core.validation import format_vnd

_MOMENT = re.compile(r"(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::\d{2}(?:\.\d+)?)?")
_DAY = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
# shown inside another value, or machine detail with no meaning for an officer
_HIDDEN = frozenset({"scale", "id_kind"})


def _when(value: str) -> str:
    if m := _MOMENT.fullmatch(value):
        y, mo, d, h, mi = m.groups()
        return f"{h}:{mi} {d}/{mo}/{y}"
    if m := _DAY.fullmatch(value):
        y, mo, d = m.groups()
        return f"{d}/{mo}/{y}"
    return value


def _value(key: str, value: Any, data: Mapping[str, Any]) -> str:
    if isinstance(value, list | tuple):
        return "; ".join(_value(key, v, data) for v in value)
    if key == "ontime" and value in {o.value for o in OnTime}:
        return OnTime(value).label
    if key == "method" and known(f"event.method.{value}"):
        return t(f"event.method.{value}")
    if key == "resume_status" and isinstance(value, int):
        return status_label(value)
    if key == "rating" and isinstance(value, int):
        label = rating_label(value, int(data.get("scale") or 5))
        return f"{value} ({label})" if label else str(value)
    if key == "amount" and isinstance(value, int):
        return format_vnd(value) + "đ"
    if key == "working_minutes" and isinstance(value, int):
        return t("event.hours", hours=f"{value // 60}:{value % 60:02d}")
    if key == "slip" and known(f"dossier.screen.kind.{value}"):
        return t(f"dossier.screen.kind.{value}")
    if isinstance(value, str):
        return _when(value)
    return str(value)


def event_details(data: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(label, value) of each piece of an event's data, in the order stored."""
    rows = []
    for key, value in data.items():
        if key in _HIDDEN or value in (None, "", [], ()):
            continue
        label = t(f"event.field.{key}") if known(f"event.field.{key}") else key
        rows.append((label, _value(key, value, data)))
    return rows


def details_line(data: Mapping[str, Any]) -> str:
    """The data of an event on one line: "Từ: Bộ phận Một cửa; Đến: ...", for the CLI."""
    return "; ".join(f"{label}: {value}" for label, value in event_details(data))
