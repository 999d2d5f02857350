"""The district's days off and working days, kept in the store (migration 0017).

Set at the district's centre (`counter-tui calendar off|work|clear`, a supervisor's or an
administrator's act, recorded in the audit log) and brought down to every office that syncs to
it (services.sync.pull, "holidays" in `[sync] down`), where they are the centre's copy: an
office that syncs keeps its own exceptions in config.toml's [holidays], which win over the
district's. An office that does not sync may set its own here the same way.

`calendar_of` is the office's working calendar with them: what intake, the lifecycle and the
command line count working days with. The table is a few rows a year, read at each use, so a
day the centre adds reaches a counter's next appointment without a restart.
"""

from __future__ import annotations

from datetime import date

from counter_tui.core.errors import UserError
from counter_tui.core.limits import limit
from counter_tui.core.records import frozen
from counter_tui.core.roles import Action
from counter_tui.core.text import clean
from counter_tui.db.models import CalendarDay
from counter_tui.services import audit
from counter_tui.services.authority import gated
from counter_tui.services.calendar import DistrictDays, WorkingCalendar, calendar_for
from counter_tui.services.store import Store


@frozen
class DayEntry:
    day: date
    working: bool
    note: str


def district_days(store: Store) -> DistrictDays:
    with store.read():
        rows = [(r.day, bool(r.working)) for r in
                CalendarDay.select(CalendarDay.day, CalendarDay.working)]
    return DistrictDays(days_off=frozenset(day for day, worked in rows if not worked),
                        workdays=frozenset(day for day, worked in rows if worked))


def calendar_of(store: Store, around: date) -> WorkingCalendar:
    """The office's working calendar near `around`: official days, the district's, config's."""
    return calendar_for(store.cfg, around, district_days(store))


def _set_here(store: Store) -> None:
    """An office that takes its calendar from the centre does not write the centre's copy."""
    if store.cfg.sync.url and "holidays" in store.cfg.sync.down:
        raise UserError("calendar.from_centre")


@gated(Action.CATALOGUE_MANAGE)
def set_day(store: Store, day: date, *, working: bool, note: str = "") -> DayEntry:
    """Declare `day` off (working=False) or worked, for every office that takes this calendar."""
    _set_here(store)
    note = clean(note)
    if len(note) > limit("calendar_day.note"):
        raise UserError("calendar.note_too_long", max=limit("calendar_day.note"),
                        length=len(note))
    with store.write():
        CalendarDay.insert(day=day, working=working, note=note).on_conflict(
            conflict_target=[CalendarDay.day],
            update={CalendarDay.working: working, CalendarDay.note: note}).execute()
        audit.record(store, "calendar:set", f"{day.isoformat()} {'work' if working else 'off'}")
    return DayEntry(day, working, note)


@gated(Action.CATALOGUE_MANAGE)
def clear_day(store: Store, day: date) -> bool:
    """Take `day` off the list (it is again what the official calendar says); False if it was
    not on it."""
    _set_here(store)
    with store.write():
        gone = CalendarDay.delete().where(CalendarDay.day == day).execute()
        if gone:
            audit.record(store, "calendar:clear", day.isoformat())
    return bool(gone)


def listed(store: Store, year: int | None = None) -> tuple[DayEntry, ...]:
    """The days declared off or worked (public, as the official holidays: nobody need sign
    in to read them, as for `calendar due`)."""
    with store.read():
        query = CalendarDay.select().order_by(CalendarDay.day)
        if year is not None:
            query = query.where(CalendarDay.day.between(date(year, 1, 1), date(year, 12, 31)))
        return tuple(DayEntry(r.day, bool(r.working), str(r.note)) for r in query)
