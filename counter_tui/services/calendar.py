"""The office's working calendar, built from config.toml and Vietnam's official holidays.

Intake computes a due date on every save, so the calendar must come back in microseconds: the
`holidays` package is slow to import and to compute, so it is imported only when first needed,
and both its days and the finished calendars are memoised.

What the `holidays` package (0.109) knows for Vietnam ("VN"): Tết Dương lịch (1/1); Tết Nguyên
Đán (the eve and the first four days of the lunar year, e.g. 16–20 Feb 2026, plus the lunar-law
days that replace those falling on a weekend); Giỗ Tổ Hùng Vương (10/3 lunar, observed on
Monday when it falls on a Sunday, e.g. 27 Apr 2026); 30/4 and 1/5 (observed on a weekday when
they fall on a weekend); Quốc khánh 2/9 with its extra adjacent day; Ngày Văn hóa Việt Nam 24/11
from 2026; and both halves of the government's yearly swaps for public servants: the weekday
given off (2 May 2025, 31 Aug 2026) and, in `weekend_workdays`, the Saturday worked in exchange
(26 Apr 2025, 22 Aug 2026). Both are used: a swapped Saturday is a working day with the weekday
sessions, so an appointment counts it and a same-day dossier received that morning is due that
afternoon.

What the package cannot know (a swap announced after its release, a province's or the office's
own days) comes from the district and from config. The district's days are kept in the store
(services.calendar_days: set at the district's centre, brought down by sync) and win over the
package; the office's config wins over both: `holidays.make_up_days` makes a day a working
day, `holidays.extra_days_off` a day off (including a Saturday the package or the district
lists as worked, for an office that does not apply that swap); a day in both lists is worked
(see `counter_tui.core.calendar`). `holidays.official = false` drops the package's days
entirely, for an office that lists every day off and make-up day itself.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache

from counter_tui.config import Config, HolidaysConfig, HoursConfig
from counter_tui.core.calendar import WorkingCalendar
from counter_tui.core.records import frozen

# Years of holidays loaded around the date asked: the year before for pauses and reports that
# look back, two after so a long procedure received in December still sees next year's Tết.
_YEARS_BEFORE, _YEARS_AFTER = 1, 2


@frozen
class OfficialDays:
    """The government's calendar for some years: public holidays (with the observed and swapped
    weekdays off) and the weekend days made working days in exchange."""

    days_off: frozenset[date]
    workdays: frozenset[date]


@lru_cache(maxsize=16)
def official_days(years: tuple[int, ...]) -> OfficialDays:
    """Vietnam's official days off and swapped working Saturdays in `years`."""
    import holidays  # slow to import: only offices that compute a due date pay for it

    vn = holidays.country_holidays("VN", years=years)
    # the package also lists a swap's Saturday that lies in a year not asked for (a swap across
    # New Year); keeping it is right, it is a fact about that day
    return OfficialDays(days_off=frozenset(vn.keys()), workdays=frozenset(vn.weekend_workdays))


def official_days_off(years: tuple[int, ...]) -> frozenset[date]:
    """Vietnam's official public holidays (and observed or swapped weekdays off) in `years`."""
    return official_days(years).days_off


@frozen
class DistrictDays:
    """The district's days beyond the official ones (services.calendar_days reads them)."""

    days_off: frozenset[date] = frozenset()
    workdays: frozenset[date] = frozenset()


def calendar_for(cfg: Config, around: date, district: DistrictDays | None = None
                 ) -> WorkingCalendar:
    """The working calendar of the configured office, valid for dates near `around`, with the
    district's days (`district`) where the office's config does not say otherwise.

    Cheap on repeated calls: keyed by the hours and holidays settings (their values, so a
    reloaded, unchanged config shares the calendar and a changed one never gets a stale one),
    the district's days and the year.
    """
    return _calendar(cfg.hours, cfg.holidays, district or DistrictDays(), around.year)


@lru_cache(maxsize=64)
def _calendar(hours: HoursConfig, hol: HolidaysConfig, district: DistrictDays, year: int
              ) -> WorkingCalendar:
    office_off, office_worked = frozenset(hol.extra_days_off), frozenset(hol.make_up_days)
    # the office's own day off beats a working Saturday of the district's or the package's
    days_off = office_off | district.days_off
    make_up_days = office_worked | (district.workdays - office_off)
    if hol.official:
        official = official_days(tuple(range(year - _YEARS_BEFORE, year + _YEARS_AFTER + 1)))
        days_off |= official.days_off
        # and the district's day off beats the package's working Saturday
        make_up_days |= official.workdays - office_off - district.days_off
    return WorkingCalendar(
        sessions=hours.sessions,
        saturday_sessions=hours.saturday_sessions,
        days_off=days_off,
        make_up_days=make_up_days,
    )
