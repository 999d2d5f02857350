"""What every printer connection shares: the error an officer can act on, the shape of a
connection the spooler drives, and the messages more than one connection uses."""

from __future__ import annotations

from typing import Protocol

from counter_tui.core.i18n import t
from counter_tui.printing.status import PrinterStatus


class PrinterError(Exception):
    """Why a job did not print, in words an officer can act on.

    `transient`: the printer may recover by itself (off, out of paper, unplugged), so the
    printer is taken for down for a while. `maybe_printed`: some or all of the job reached the
    printer before the failure (`taken` bytes of it, when the connection can tell), so the slip
    may be on paper, whole or cut short: such a job is never sent again without an officer.
    """

    def __init__(self, reason: str, *, transient: bool, maybe_printed: bool = False,
                 taken: int | None = None) -> None:
        self.reason, self.transient = reason, transient
        self.maybe_printed, self.taken = maybe_printed, taken
        super().__init__(reason)


class Transport(Protocol):
    two_way: bool

    def send(self, data: bytes) -> None: ...

    def status(self) -> PrinterStatus: ...


def missing_library(lib: str, kind: str, extra: str) -> PrinterError:
    return PrinterError(t("printer.missing_lib", lib=lib, kind=kind, extra=extra),
                        transient=False)


def errno_of(exc: BaseException) -> int | None:
    code = getattr(exc, "errno", None)
    return code if isinstance(code, int) else None
