"""What a printer says about itself: ESC/POS real-time status (DLE EOT n).

Over a two-way connection (network, serial, USB) the host sends `DLE EOT n` (10 04 n) and the
printer answers one byte at once, even while offline or with a full buffer:

n = 1 printer status        bit 3: offline (bit 2: drawer pin 3, bit 5: waiting for recovery)
n = 2 offline cause         bit 2: cover open, bit 3: paper fed by the button,
                            bit 5: printing stopped by paper end, bit 6: an error occurred
n = 3 error cause           bit 3: autocutter error, bit 5: unrecoverable, bit 6: auto-recoverable
n = 4 roll paper sensor     bits 2-3: near end (0x0C), bits 5-6: paper end (0x60)

Every answer has bits 1 and 4 set and bits 0 and 7 clear (`byte & 0x93 == 0x12`): a byte
without them is not a status answer (a print server's banner, line noise), and is not read as
one.

python-escpos' `paper_status()` answers "paper adequate" (2) when the printer says nothing at
all; `is_online()` at least says offline. Here a question the printer did not answer stays
unanswered (`None`): the status says "unknown", never "paper OK".
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace

from counter_tui.core.i18n import t
from counter_tui.core.records import frozen

DLE_EOT = b"\x10\x04"
QUERIES = (1, 2, 4)
FIXED_MASK, FIXED_BITS = 0x93, 0x12

OFFLINE = 0x08  # n=1
COVER_OPEN, PAPER_END_STOP, ERROR = 0x04, 0x20, 0x40  # n=2
NEAR_END, PAPER_END = 0x0C, 0x60  # n=4

PAPER_OK, PAPER_NEAR_END, PAPER_OUT = "ok", "near_end", "out"


@frozen
class PrinterStatus:
    """The last word from a printer. `None` everywhere means nobody knows."""

    reachable: bool | None = None  # the connection opened
    answered: bool = False  # the printer answered DLE EOT 1
    online: bool | None = None
    paper: str | None = None  # PAPER_OK | PAPER_NEAR_END | PAPER_OUT | None
    cover_open: bool | None = None
    error: bool | None = None
    detail: str = ""  # why unreachable, or what kind of connection gave no status
    checked_at: float = 0.0  # time.monotonic() of the reading, 0 if never read

    @property
    def problem(self) -> str | None:
        """Why a job cannot print now, in words an officer can act on; None if nothing known
        stops it (which includes "unknown")."""
        if self.reachable is False:
            return t("pstatus.unreachable", reason=self.detail)
        if self.paper == PAPER_OUT:
            return t("pstatus.paper_out")
        if self.cover_open:
            return t("pstatus.cover_open")
        if self.error:
            return t("pstatus.error")
        if self.online is False:
            return t("pstatus.offline")
        return None

    @property
    def ready(self) -> bool | None:
        """True when the printer said it can print, False when it cannot, None if unknown."""
        if self.problem is not None:
            return False
        return True if self.answered and self.online else None

    def summary(self) -> str:
        problem = self.problem
        if problem is not None:
            return problem
        if not self.answered:
            return t("pstatus.unknown") + (f" — {self.detail}" if self.detail else "")
        paper = {PAPER_OK: t("pstatus.paper.ok"), PAPER_NEAR_END: t("pstatus.near_end")}.get(
            self.paper or "", t("pstatus.paper.unknown"))
        return f"{t('pstatus.ready')} · {paper}"

    def stamped(self) -> PrinterStatus:
        return replace(self, checked_at=time.monotonic())


def query_bytes(queries: tuple[int, ...] = QUERIES) -> bytes:
    return b"".join(DLE_EOT + bytes([n]) for n in queries)


def is_status_byte(byte: int) -> bool:
    return byte & FIXED_MASK == FIXED_BITS


def parse(answers: dict[int, int]) -> PrinterStatus:
    """A status from the answers to DLE EOT n ({n: byte}); questions not answered stay None."""
    answers = {n: b for n, b in answers.items() if is_status_byte(b)}
    if 1 not in answers:
        return PrinterStatus(reachable=True).stamped()
    n1, n2, n4 = answers[1], answers.get(2), answers.get(4)
    paper: str | None = None
    if n4 is not None:
        paper = PAPER_OUT if n4 & PAPER_END else PAPER_NEAR_END if n4 & NEAR_END else PAPER_OK
    if n2 is not None and n2 & PAPER_END_STOP:
        paper = PAPER_OUT
    return PrinterStatus(
        reachable=True, answered=True, online=not n1 & OFFLINE, paper=paper,
        cover_open=None if n2 is None else bool(n2 & COVER_OPEN),
        error=None if n2 is None else bool(n2 & ERROR),
    ).stamped()


def read_status(write: Callable[[bytes], None], read: Callable[[float], bytes],
                timeout: float, queries: tuple[int, ...] = QUERIES) -> PrinterStatus:
    """Ask every question at once and read the answers, in order, until `timeout` seconds pass.

    `read(seconds)` returns what arrived within that time (b"" if nothing). Answers come one
    byte per question in the order asked; reading stops at the first byte that is not a status
    answer, so a stray byte never passes for "paper OK".
    """
    write(query_bytes(queries))
    got = bytearray()
    deadline = time.monotonic() + timeout
    while len(got) < len(queries):
        left = deadline - time.monotonic()
        if left <= 0:
            break
        chunk = read(left)
        if chunk:
            got += chunk
    answers: dict[int, int] = {}
    for n, byte in zip(queries, got, strict=False):
        if not is_status_byte(byte):
            break
        answers[n] = byte
    return parse(answers)


def answer(n: int, *, offline: bool = False, paper_out: bool = False, near_end: bool = False,
           cover_open: bool = False, error: bool = False) -> int:
    """The byte an Epson-compatible printer answers to DLE EOT n in the given state (the
    simulated printer's side; also what the tests expect). Paper end and an open cover take
    the printer offline, as real ones do."""
    byte = FIXED_BITS
    if n == 1 and (offline or paper_out or cover_open or error):
        byte |= OFFLINE
    elif n == 2:
        byte |= (COVER_OPEN if cover_open else 0) | (PAPER_END_STOP if paper_out else 0)
        byte |= ERROR if error else 0
    elif n == 4:
        byte |= (PAPER_END | NEAR_END) if paper_out else NEAR_END if near_end else 0
    return byte
