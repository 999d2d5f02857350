"""The job and status logic of the two-way connections (network, serial, USB), so that each of
them only moves bytes: a job is open, ask the status, send, finish, confirm, close.

A job starts with a status query (DLE EOT 1, 2, 4, one round trip) on the same connection: a
printer that says it is offline, out of paper or open is not sent the job (it would buffer it
and print it later, after our retry had printed it again). A printer that never answers is
still sent its jobs (print servers and some clones do not answer), but one that answered before
and has gone silent is taken for switched off; that memory is kept here, per printer.

A job is sent only once the printer took every byte within `send_timeout`: a printer that
answered before the job is asked again after it (its answer follows every byte ahead of the
question), and says "unconfirmed" by not answering; the network connection also takes the
printer closing its side after reading to the end as proof. Whatever went wrong once bytes had
gone is "may have printed" (PrinterError.maybe_printed), never a plain retry.
"""

from __future__ import annotations

import threading
import time

from counter_tui.config import PrinterConfig
from counter_tui.core.i18n import t
from counter_tui.printing import status as st
from counter_tui.printing.status import PrinterStatus
from counter_tui.printing.transports.base import PrinterError

CHUNK = 4096
STATUS_TIMEOUT = 1.0  # seconds a printer gets to answer DLE EOT; real ones take milliseconds
SILENT_FOR = 300.0  # a printer that never answered is not asked again for this long

# Per printer (kind, target), for this process: whether it ever answered a status query, and
# until when a printer that never answered is not asked again.
_answered: dict[tuple[str, str], bool] = {}
_silent_until: dict[tuple[str, str], float] = {}
_memory_lock = threading.Lock()


def forget_printers() -> None:
    """Forget which printers answer status queries (tests; a technician's fresh start)."""
    with _memory_lock:
        _answered.clear()
        _silent_until.clear()


class TwoWay:
    """The job and status logic shared by network, serial and USB; subclasses move bytes."""

    two_way = True
    kind = ""

    def __init__(self, printer: PrinterConfig) -> None:
        self.printer = printer
        self.key = (printer.kind, printer.target)
        self.status_timeout = min(STATUS_TIMEOUT, printer.connect_timeout)
        self.done = 0  # bytes of the current job written so far
        self.written = 0  # bytes written on this connection, status queries included
        self.before = 0  # of which before the job's first byte
        self.started = False  # the job's bytes have started to go

    # what subclasses provide
    def _open(self) -> None:
        raise NotImplementedError

    def _write(self, chunk: bytes) -> None:
        raise NotImplementedError

    def _read(self, timeout: float) -> bytes:
        raise NotImplementedError

    def _finish(self, total: int) -> None:
        """After the last byte: make sure the printer took the job (or fail)."""

    def _close(self) -> None:
        raise NotImplementedError

    def _failure(self, exc: Exception, total: int) -> PrinterError:
        raise NotImplementedError

    def _taken(self) -> int | None:
        """Bytes of the current job the printer has taken, as far as the connection can tell
        (None: it cannot). Written is not taken: subclasses that can tell better say so."""
        return self.done

    # the shared logic
    def _put(self, chunk: bytes) -> None:
        self._write(chunk)
        self.written += len(chunk)

    def _cut_short(self, error: PrinterError, total: int) -> PrinterError:
        """A failure once the job's bytes had started to go. Whatever was written may be on
        paper (a printer that took bytes need not have acknowledged them before it dropped
        the connection), so such a job is never resent without an officer; the officer is
        told what the printer acknowledged, not only what was written into the system's
        buffers."""
        if not self.started or error.maybe_printed or error.taken is not None:
            return error  # before the job, or already counted
        if self.done == 0:
            return error  # not a byte of the job went: it can be tried again
        taken = self._taken()
        if taken is not None and taken >= self.done:
            note = t("printer.taken", taken=taken, total=total)
        else:
            note = t("printer.taken_part", taken="?" if taken is None else taken,
                     done=self.done, total=total)
        return PrinterError(f"{error.reason} ({note}; {t('printer.maybe_printed')})",
                            transient=error.transient, maybe_printed=True, taken=taken)

    def _query(self, timeout: float | None = None) -> PrinterStatus:
        return st.read_status(self._put, self._read,
                              self.status_timeout if timeout is None else timeout)

    def _confirm(self, total: int, asked: bool) -> None:
        """After the last byte: the job is printed only if the printer took every byte. One
        that answered before the job is asked again (its answer comes after every byte ahead
        of the question): no answer within send_timeout is "unconfirmed", and a printer that
        stopped (paper ran out mid-slip) may have cut the slip short. One that never answers
        cannot be asked: the line carrying every byte out is all there is to know."""
        if not asked:
            return
        found = self._query(max(self.status_timeout, self.printer.send_timeout))
        self._check_after(found)

    def _check_after(self, found: PrinterStatus) -> None:
        if not found.answered:
            raise PrinterError(t("printer.unconfirmed", seconds=self.printer.send_timeout),
                               transient=True)
        problem = found.problem
        if problem is not None:
            raise PrinterError(t("printer.stopped_after", problem=problem), transient=True)

    def status(self) -> PrinterStatus:
        try:
            self._open()
        except PrinterError as exc:
            return PrinterStatus(reachable=False, detail=exc.reason).stamped()
        try:
            found = self._query()
        except PrinterError as exc:
            return PrinterStatus(reachable=False, detail=exc.reason).stamped()
        except Exception as exc:
            return PrinterStatus(reachable=False,
                                 detail=self._failure(exc, 0).reason).stamped()
        finally:
            self._close()
        if found.answered:
            with _memory_lock:
                _answered[self.key] = True
                _silent_until.pop(self.key, None)
        return found

    def _precheck(self) -> bool:
        """Ask before the job; True if the printer answered (it can be asked after it too)."""
        with _memory_lock:
            if _silent_until.get(self.key, 0.0) > time.monotonic():
                return False
        found = self._query()
        with _memory_lock:
            if found.answered:
                _answered[self.key] = True
                _silent_until.pop(self.key, None)
            elif _answered.get(self.key):
                raise PrinterError(t("printer.silent"), transient=True)
            else:
                _silent_until[self.key] = time.monotonic() + SILENT_FOR
        problem = found.problem
        if problem is not None:
            raise PrinterError(problem, transient=True)
        return found.answered

    def send(self, data: bytes) -> None:
        self._open()
        self.done = self.written = 0
        self.started = False
        try:
            asked = self._precheck()
            self.before, self.started = self.written, True
            view = memoryview(data)
            while self.done < len(data):
                chunk = bytes(view[self.done:self.done + CHUNK])
                self._put(chunk)
                self.done += len(chunk)
            self._finish(len(data))
            self._confirm(len(data), asked)
        except PrinterError as exc:
            raise self._cut_short(exc, len(data)) from exc
        except Exception as exc:
            raise self._cut_short(self._failure(exc, len(data)), len(data)) from exc
        finally:
            self._close()
