"""The file printer: each job appended to a file. The default printer, and the one tests read
back; one-way, so it has no status to ask."""

from __future__ import annotations

import os
from pathlib import Path

from counter_tui.core.errors import os_reason
from counter_tui.core.i18n import t
from counter_tui.printing.status import PrinterStatus
from counter_tui.printing.transports.base import PrinterError


class FileTransport:
    """Appends each job to a file: the default printer, and the one tests read back."""

    two_way = False

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
            raise PrinterError(t("printer.file_error", target=self.path, reason=os_reason(exc)),
                               transient=False) from exc

    def status(self) -> PrinterStatus:
        return PrinterStatus(detail=t("printer.one_way", kind="file"))
