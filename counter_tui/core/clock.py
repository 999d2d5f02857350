"""The office's clock: every time the app stores, shows or prints is the office's wall-clock time.

A terminal may run on a machine set to UTC (a server image, a container, a laptop brought from
elsewhere); the receipt, the queue ticket and the national forms speak the office's time. So the
app never takes the machine's local time: it takes the current instant and reads it in the
office's zone (`office.timezone`, Asia/Ho_Chi_Minh by default). Times are then kept naive, in
office time, on both engines, as the forms print them: the zone belongs to the office, not to
each value, and a store never mixes two zones.

Zone data comes from the operating system when it has it, and otherwise from the `tzdata`
package the app depends on, so a zone name works on any machine.

Services read the time through their store's clock (tests set it). The few places with no store
at hand (a printer's test page, the simulated printer's log, a check of an ID's birth year) use
the process's office clock, set from the configuration at start.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DEFAULT_TIMEZONE = "Asia/Ho_Chi_Minh"


def load_zone(name: str) -> ZoneInfo:
    """The zone called `name` (an IANA name such as Asia/Ho_Chi_Minh); ValueError if unknown."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError) as exc:
        raise ValueError(f"unknown time zone {name!r}") from exc


class OfficeClock:
    """Calling it gives the office's wall-clock time now, naive (no tzinfo), to the second's
    fraction; `today()` the office's date, which differs from the machine's near midnight."""

    def __init__(self, timezone: str = DEFAULT_TIMEZONE) -> None:
        self.timezone = timezone
        self.zone = load_zone(timezone)

    def __call__(self) -> datetime:
        return datetime.now(self.zone).replace(tzinfo=None)

    def today(self) -> date:
        return self().date()

    def local(self, moment: datetime) -> datetime:
        """An aware moment (a file's time, a UTC timestamp) as naive office time."""
        return moment.astimezone(self.zone).replace(tzinfo=None)

    def __repr__(self) -> str:
        return f"OfficeClock({self.timezone!r})"


_process_clock = OfficeClock()


def set_office_timezone(timezone: str) -> None:
    """Make `timezone` the process's office zone (once, when the configuration is read)."""
    global _process_clock
    if timezone != _process_clock.timezone:
        _process_clock = OfficeClock(timezone)


def office_clock() -> OfficeClock:
    return _process_clock


def office_now() -> datetime:
    """The office's wall-clock time now, naive, for code that has no store's clock at hand."""
    return _process_clock()


def office_today() -> date:
    return _process_clock.today()
