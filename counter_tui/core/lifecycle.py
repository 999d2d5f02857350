"""The pure half of the dossier lifecycle: what each step needs from the officer, checked the
same way by the forms, the CLI and the services, the satisfaction scale, and the values the
lifecycle services hand back.

Every check raises `UserError` naming its field, so a form shows the message next to the input
and the CLI prints it; the service runs the same check again inside its transaction.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import field
from datetime import date, datetime, time
from typing import Any

from counter_tui.core.errors import UserError
from counter_tui.core.i18n import known, t
from counter_tui.core.records import frozen
from counter_tui.core.text import clean

REASON_MAX = 500
PERSON_MAX = 100  # a name on Mẫu 05 (who gave, who received)
# the officer's worklists (services/worklists.py), in the order the screen shows them
WORKLISTS = ("due_today", "overdue", "supplements", "ready", "returned_today", "undigitised")
MISSING_MAX = 20  # documents asked for in one request

# --- satisfaction ------------------------------------------------------------------------------
#
# A rating is stored as a number on the office's scale, 1 = worst ... levels = best, and the
# scale is recorded in the event beside it (an office that changes its scale keeps old ratings
# readable). 3 levels: the common kiosk "hài lòng / bình thường / không hài lòng"; 4: without
# "rất không hài lòng"; 5: all five words of the national survey.

SCALES: Mapping[int, tuple[str, ...]] = {
    3: ("dissatisfied", "neutral", "satisfied"),
    4: ("dissatisfied", "neutral", "satisfied", "very_satisfied"),
    5: ("very_dissatisfied", "dissatisfied", "neutral", "satisfied", "very_satisfied"),
}
DEFAULT_LEVELS = 5


def satisfaction_levels(extra: Mapping[str, Any]) -> int:
    """`[satisfaction] levels` of config.toml (3, 4 or 5; 5 when absent)."""
    section = extra.get("satisfaction") or {}
    value = section.get("levels", DEFAULT_LEVELS) if isinstance(section, Mapping) else section
    if isinstance(value, bool) or value not in SCALES:
        raise UserError("lifecycle.levels.invalid", value=value)
    return int(value)


def rating_label(value: int | None, levels: int) -> str:
    if value is None or not 1 <= value <= levels:
        return ""
    return t(f"rating.{SCALES[levels][value - 1]}")


def scale_text(levels: int) -> str:
    """"5 Rất hài lòng · 4 Hài lòng · ...", best first, for forms and messages."""
    return " · ".join(f"{v} {rating_label(v, levels)}" for v in range(levels, 0, -1))


def check_rating(value: str | int | None, levels: int) -> int | None:
    """A rating on the scale, or None when the citizen gave none."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    text = str(value).strip()
    if isinstance(value, bool) or not text.isdigit() or not 1 <= int(text) <= levels:
        raise UserError("lifecycle.rating.invalid", field="rating", value=text, levels=levels,
                        scale=scale_text(levels))
    return int(text)


# --- text ----------------------------------------------------------------------------------------


def required_text(value: str, *, field: str, what: str, limit: int = REASON_MAX,
                  required: bool = True, multiline: bool = False) -> str:
    """Free text the officer types: cleaned, required unless told, at most `limit` long."""
    text = clean(value or "", multiline=multiline)
    if not text and required:
        raise UserError("lifecycle.required", field=field, what=t(f"lifecycle.what.{what}"))
    if len(text) > limit:
        raise UserError("lifecycle.too_long", field=field, what=t(f"lifecycle.what.{what}"),
                        max=limit, length=len(text))
    return text


def handover_person(value: str, *, field: str, what: str) -> str:
    """A name on a Mẫu 05 row (who gave, who received): both are signed for on the control
    sheet, so neither may be left out."""
    return required_text(value, field=field, what=what, limit=PERSON_MAX)


def missing_documents(items: Iterable[str]) -> tuple[str, ...]:
    """The documents asked for: each one cleaned, blanks and repeats dropped, at least one."""
    seen: list[str] = []
    for item in items:
        for part in str(item).split("\n"):
            name = required_text(part, field="missing", what="missing", limit=300,
                                 required=False)
            if name and name not in seen:
                seen.append(name)
    if not seen:
        raise UserError("lifecycle.required", field="missing", what=t("lifecycle.what.missing"))
    if len(seen) > MISSING_MAX:
        raise UserError("lifecycle.too_many_missing", field="missing", max=MISSING_MAX)
    return tuple(seen)


# --- dates ---------------------------------------------------------------------------------------

_DAY = re.compile(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})")
_ISO_DAY = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_TIME = re.compile(r"(\d{1,2})[:hg](\d{2})")


def parse_day(value: str | date, *, field: str, what: str) -> date:
    """dd/mm/yyyy (also d/m/yyyy, dd-mm-yyyy, dd.mm.yyyy) or yyyy-mm-dd."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = clean(value)
    if not text:
        raise UserError("lifecycle.required", field=field, what=t(f"lifecycle.what.{what}"))
    try:
        if m := _DAY.fullmatch(text):
            return date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        if m := _ISO_DAY.fullmatch(text):
            return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        pass
    raise UserError("lifecycle.date.invalid", field=field, value=text)


def parse_moment(value: str | datetime, *, field: str, what: str,
                 default_time: time = time(17, 0)) -> datetime:
    """"HH:MM dd/mm/yyyy", "yyyy-mm-dd HH:MM", "yyyy-mm-ddTHH:MM" or a day alone (at
    `default_time`)."""
    if isinstance(value, datetime):
        return value.replace(second=0, microsecond=0)
    text = clean(value).replace("T", " ")
    if not text:
        raise UserError("lifecycle.required", field=field, what=t(f"lifecycle.what.{what}"))
    parts = text.split(" ")
    clock = next((p for p in parts if _TIME.fullmatch(p)), None)
    days = [p for p in parts if p != clock]
    if len(days) != 1 or len(parts) > 2:
        raise UserError("lifecycle.moment.invalid", field=field, value=text)
    try:
        day = parse_day(days[0], field=field, what=what)
    except UserError:
        raise UserError("lifecycle.moment.invalid", field=field, value=text) from None
    if clock is None:
        return datetime.combine(day, default_time)
    m = _TIME.fullmatch(clock)
    assert m is not None
    try:
        return datetime.combine(day, time(int(m.group(1)), int(m.group(2))))
    except ValueError:
        raise UserError("lifecycle.moment.invalid", field=field, value=text) from None


# --- what the services hand back ---------------------------------------------------------------


@frozen
class DossierState:
    """Where a dossier stands in its life: the status, the dates that matter, the on-time class
    (decided by `core.ontime.classify` only) and what may happen next."""

    code: str
    applicant_name: str
    procedure_name: str
    status: int
    status_label: str
    received_at: datetime
    due_at: datetime | None            # the legal due date (receipt's, moved by pauses)
    original_due_at: datetime | None   # the receipt's appointment, never changed
    apology_due_at: datetime | None    # the new appointment of the last apology (Mẫu 04)
    paused_at: datetime | None
    supplement_deadline: datetime | None
    resolved_at: datetime | None       # when it finished: result ready, refused, withdrawn...
    returned_at: datetime | None
    return_method: str
    return_waybill: str
    delivered_at: datetime | None
    collected_by: str
    collected_id_masked: str
    rating: int | None
    rating_label: str
    holder: str                        # the unit holding it; "" = the one-stop desk
    ontime: str
    ontime_label: str
    allowed: tuple[int, ...]

    @property
    def appointment_at(self) -> datetime | None:
        """The date the citizen was last promised."""
        return self.apology_due_at or self.due_at


@frozen
class StatusChange:
    """One step done: the dossier after it, and the slip queued for it (if any)."""

    action: str
    from_status: int | None
    to_status: int | None
    dossier: DossierState
    print_job: int | None = None
    data: dict[str, Any] = field(default_factory=dict)


@frozen
class HistoryEntry:
    at: datetime
    action: str
    action_label: str
    from_status: int | None
    to_status: int | None
    officer: str | None
    counter: int | None
    note: str
    data: dict[str, Any]


@frozen
class WorkItem:
    """One line of an officer's worklist."""

    code: str
    applicant_name: str
    phone: str
    procedure_name: str
    status: int
    received_at: datetime
    due_at: datetime | None
    appointment_at: datetime | None
    supplement_deadline: datetime | None
    resolved_at: datetime | None
    returned_at: datetime | None
    holder: str
    ontime: str
    ontime_label: str


@frozen
class Worklist:
    name: str
    items: tuple[WorkItem, ...]
    has_more: bool = False


def action_label(action: str) -> str:
    key = f"lifecycle.action.{action}"
    return t(key) if known(key) else action
