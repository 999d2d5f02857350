"""The CUPS printer: a raw CUPS queue through pycups (the `[cups]` extra) or, without it, the
`lp` and `lpstat` commands. CUPS spools the job itself, so its status is the queue's state."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import tempfile

from counter_tui.config import PrinterConfig
from counter_tui.core.i18n import t
from counter_tui.printing import status as st
from counter_tui.printing.status import PrinterStatus
from counter_tui.printing.transports.base import PrinterError


class CupsTransport:
    """A raw CUPS queue: pycups when installed, else the `lp -d QUEUE -o raw` command.

    CUPS takes the job into its own queue and sends it on; what it reports is the queue's
    state (stopped, and reasons such as media-empty or door-open), not a DLE EOT answer.
    """

    two_way = False

    def __init__(self, printer: PrinterConfig) -> None:
        self.printer = printer
        self.queue = printer.target

    @staticmethod
    def client() -> str:
        """'pycups', 'lp', or '' when neither is there."""
        try:
            import cups  # noqa: F401
        except ImportError:
            return "lp" if shutil.which("lp") else ""
        return "pycups"

    def _timeout(self) -> float:
        return self.printer.connect_timeout + self.printer.send_timeout

    def send(self, data: bytes) -> None:
        client = self.client()
        if client == "pycups":
            self._send_pycups(data)
        elif client == "lp":
            self._send_lp(data)
        else:
            raise PrinterError(t("cups.none"), transient=False)

    def _classify(self, reason: str) -> PrinterError:
        low = reason.lower()
        if "does not exist" in low or "not found" in low or "unknown destination" in low \
                or "no such" in low:
            return PrinterError(t("cups.no_queue", queue=self.queue, reason=reason),
                                transient=False)
        return PrinterError(t("cups.error", queue=self.queue, reason=reason), transient=True)

    def _send_lp(self, data: bytes) -> None:
        try:
            done = subprocess.run(["lp", "-d", self.queue, "-o", "raw", "-t", "counter-tui"],
                                  input=data, capture_output=True, timeout=self._timeout())
        except subprocess.TimeoutExpired as exc:
            raise PrinterError(t("cups.timeout", seconds=self._timeout()),
                               transient=True) from exc
        except OSError as exc:
            raise PrinterError(t("cups.none"), transient=False) from exc
        if done.returncode != 0:
            reason = (done.stderr or done.stdout).decode(errors="replace").strip()
            raise self._classify(reason or f"lp exit {done.returncode}")

    def _send_pycups(self, data: bytes) -> None:
        import cups

        fd, path = tempfile.mkstemp(prefix="counter-tui-", suffix=".prn")
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(data)
            conn = cups.Connection()
            conn.printFile(self.queue, path, "counter-tui", {"raw": "true"})
        except cups.IPPError as exc:
            raise self._classify(str(exc.args[-1] if exc.args else exc)) from exc
        except RuntimeError as exc:  # pycups: "failed to connect to server"
            raise PrinterError(t("cups.error", queue=self.queue, reason=exc),
                               transient=True) from exc
        finally:
            with contextlib.suppress(OSError):
                os.unlink(path)

    def status(self) -> PrinterStatus:
        client = self.client()
        if client == "pycups":
            return self._status_pycups()
        if client == "lp" and shutil.which("lpstat"):
            return self._status_lpstat()
        return PrinterStatus(detail=t("cups.none") if not client
                             else t("printer.one_way", kind="cups"))

    def _status_pycups(self) -> PrinterStatus:
        import cups

        try:
            attrs = cups.Connection().getPrinterAttributes(self.queue)
        except (cups.IPPError, RuntimeError) as exc:
            return PrinterStatus(reachable=False, detail=str(exc)).stamped()
        reasons = " ".join(attrs.get("printer-state-reasons", []))
        return _cups_status(int(attrs.get("printer-state", 3)) == 5, reasons)

    def _status_lpstat(self) -> PrinterStatus:
        try:
            done = subprocess.run(["lpstat", "-p", self.queue], capture_output=True,
                                  timeout=self._timeout(), text=True)
        except (subprocess.TimeoutExpired, OSError) as exc:
            return PrinterStatus(reachable=False, detail=str(exc)).stamped()
        if done.returncode != 0:
            return PrinterStatus(reachable=False,
                                 detail=(done.stderr or done.stdout).strip()).stamped()
        return _cups_status("disabled" in done.stdout, done.stdout)


def _cups_status(stopped: bool, reasons: str) -> PrinterStatus:
    paper = (st.PAPER_OUT if "media-empty" in reasons or "media-needed" in reasons
             else st.PAPER_NEAR_END if "media-low" in reasons else None)
    cover = True if ("door-open" in reasons or "cover-open" in reasons) else None
    offline = stopped or "offline" in reasons
    return PrinterStatus(reachable=True, answered=True, online=not offline, paper=paper,
                         cover_open=cover, detail="CUPS").stamped()
