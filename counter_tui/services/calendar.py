"""The office's working calendar, built from config.toml and Vietnam's official holidays.

Intake computes a due date on every save, so the calendar must come back in microseconds: the
`holidays` package is slow to import and to compute, so it is imported only when first needed,
and both its days and the finished calendars are memoised.

What the `holidays` package (0.109) knows for Vietnam ("VN"): Tết Dương lịch (1/1); Tết Nguyên
Đán (the eve and the first four days of the lunar year, e.g. 16–20 Feb 2026, plus the lunar-law
days that replace those falling on a weekend); Giỗ Tổ Hùng Vương (10/3 lunar, observed on
Monday when it falls on a Sunday, e.g. 27 Apr 2026); 30/4 and 1/5 (observed on a weekday when
they fall on a weekend); Quốc khánh 2/9 with its extra adjacent day; Ngày Văn hóa Việt Nam 24/11
from 2026; and, for some years, the weekday the government gave off in a swap (2 May 2025,
31 Aug 2026).

It does **not** know the other half of those swaps, the Saturday made a working day (26 Apr 2025,
22 Aug 2026), nor the swaps announced after the package was released, nor an office's own days.
Those come from config: `holidays.extra_days_off` and `holidays.make_up_days`. A make-up day
wins over a day off (see `counter_tui.core.calendar`). `holidays.official = false` drops the
package's days entirely, for an office that lists every day off itself.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache

from counter_tui.config import Config, HolidaysConfig, HoursConfig
from counter_tui.core.calendar import WorkingCalendar

# Years of holidays loaded around the date asked: the year before for pauses and reports that
# look back, two after so a long procedure received in December still sees next year's Tết.
_YEARS_BEFORE, _YEARS_AFTER = 1, 2


@lru_cache(maxsize=16)
def official_days_off(years: tuple[int, ...]) -> frozenset[date]:
    """Vietnam's official public holidays (and observed days) in `years`."""
    import holidays  # slow to import: only offices that compute a due date pay for it

    return frozenset(holidays.country_holidays("VN", years=years).keys())


def calendar_for(cfg: Config, around: date) -> WorkingCalendar:
    """The working calendar of the configured office, valid for dates near `around`.

    Cheap on repeated calls: keyed by the hours and holidays settings (their values, so a
    reloaded, unchanged config shares the calendar and a changed one never gets a stale one)
    and the year.
    """
    return _calendar(cfg.hours, cfg.holidays, around.year)


@lru_cache(maxsize=64)
def _calendar(hours: HoursConfig, hol: HolidaysConfig, year: int) -> WorkingCalendar:
    days_off = frozenset(hol.extra_days_off)
    if hol.official:
        years = tuple(range(year - _YEARS_BEFORE, year + _YEARS_AFTER + 1))
        days_off |= official_days_off(years)
    return WorkingCalendar(
        sessions=hours.sessions,
        saturday_sessions=hours.saturday_sessions,
        days_off=days_off,
        make_up_days=frozenset(hol.make_up_days),
    )
