"""What every printer connection shares: the error an officer can act on, the shape of a
connection the spooler drives, and the messages more than one connection uses."""

from __future__ import annotations

from typing import Protocol

from counter_tui.core.i18n import messages, t
from counter_tui.printing.status import PrinterStatus

messages({
    "printer.missing_lib": (
        "Thiếu thư viện {lib} cho máy in {kind}: cài bằng pip install 'counter-tui[{extra}]'",
        "The {lib} library for {kind} printers is missing: pip install 'counter-tui[{extra}]'",
    ),
    "printer.one_way": ("kết nối {kind} chỉ gửi một chiều", "a {kind} connection is one-way"),
})


class PrinterError(Exception):
    def __init__(self, reason: str, *, transient: bool) -> None:
        self.reason, self.transient = reason, transient
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
