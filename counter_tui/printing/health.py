"""What the spooler knows of its printer, and how it is said to an officer.

The spooler keeps a `PrinterHealth` (the last status read, why the printer cannot print now,
when it is tried again, whether a slip waits for that) and hands every change to the screens.
The sentences an officer reads about it live here, beside the facts they are made of, so the
counter screen, the technician screen and a refused F2 say the same thing: what is wrong, what
becomes of the slips, and what the officer can do.
"""

from __future__ import annotations

import time
from dataclasses import field, replace

from counter_tui.core.i18n import t
from counter_tui.core.records import frozen
from counter_tui.printing.status import PrinterStatus


@frozen
class PrinterHealth:
    """What the spooler knows of its printer, for the screens."""

    status: PrinterStatus = field(default_factory=PrinterStatus)
    down: str | None = None  # why the printer cannot print now; None if nothing known stops it
    failures: int = 0  # failed attempts in a row
    retry_at: float = 0.0  # time.monotonic() of the next status reading while down
    job_retry_at: float | None = None  # a slip that failed is tried again then (monotonic)

    @property
    def offline(self) -> bool:
        return self.down is not None

    def same_as(self, other: PrinterHealth) -> bool:
        """Equal but for the time of the reading (a screen need not redraw for that)."""
        return (replace(self.status, checked_at=0.0), self.down,
                self.job_retry_at is None) == (
            replace(other.status, checked_at=0.0), other.down, other.job_retry_at is None)

    def notice(self, now: float | None = None) -> str:
        """The printer is down: what is wrong, what becomes of a slip that waits (only when
        one does), and what the officer can do. Empty when nothing is known to be wrong."""
        if self.down is None:
            return ""
        now = time.monotonic() if now is None else now
        parts = [self.down.rstrip(".") + "."]  # the reason says what is wrong, in full
        if self.job_retry_at is not None:
            parts.append(t("health.slip_waits", seconds=_seconds(self.job_retry_at - now)))
        parts.append(t("health.what_to_do", seconds=_seconds(self.retry_at - now)))
        return " ".join(parts)

    def cannot_issue(self) -> str:
        """Why F2 issued no ticket while the printer is down, and what to do."""
        return t("health.cannot_issue", reason=(self.down or "").rstrip("."))


def _seconds(delta: float) -> int:
    return max(1, round(delta))
