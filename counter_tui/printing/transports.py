"""Where the bytes go: the printer connections.

Each transport opens, sends one job and closes, so a printer that was switched off and on, or a
cable pulled and put back, is picked up on the next job without restarting the app. Failures are
`PrinterError`s whose reason an officer can act on, marked transient when a retry may succeed.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Protocol

from counter_tui.config import PrinterConfig
from counter_tui.core.i18n import messages, t

messages({
    "printer.file_error": (
        "Không ghi được vào tệp máy in {target}: {reason}",
        "Cannot write to the printer file {target}: {reason}",
    ),
    "printer.kind_unavailable": (
        "Kết nối máy in '{kind}' chưa được hỗ trợ trong bản này",
        "Printer connection '{kind}' is not available in this version",
    ),
})


class PrinterError(Exception):
    def __init__(self, reason: str, *, transient: bool) -> None:
        self.reason, self.transient = reason, transient
        super().__init__(reason)


class Transport(Protocol):
    def send(self, data: bytes) -> None: ...


class FileTransport:
    """Appends each job to a file: the default printer, and the one tests read back."""

    def __init__(self, target: str) -> None:
        self.path = Path(target)

    def send(self, data: bytes) -> None:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
            try:
                view = memoryview(data)
                while view:
                    view = view[os.write(fd, view):]
            finally:
                os.close(fd)
        except OSError as exc:
            raise PrinterError(t("printer.file_error", target=self.path, reason=exc.strerror),
                               transient=False) from exc


def open_transport(printer: PrinterConfig) -> Transport:
    if printer.kind == "file":
        return FileTransport(printer.target)
    raise PrinterError(t("printer.kind_unavailable", kind=printer.kind), transient=False)
