"""A simulated ESC/POS printer, for technicians without the printer and for the tests.

`NetworkPrinter` listens on TCP (127.0.0.1:9100 by default) like a network printer's raw port;
`SerialPrinter` sits at the far end of a pseudo-terminal, like a printer on a serial cable (the
app is pointed at the pty's device path). Both:

- answer DLE EOT n status queries (printer, offline cause, error, paper sensor) from the faults
  set at the moment, with the bytes an Epson-compatible printer sends;
- keep every job in a folder as `job-NNNN.bin` (the bytes as received), `job-NNNN.txt` (what the
  decoder reads in them) and `job-NNNN.png` (a picture of the slip), and a line per job in
  `jobs.jsonl`; a job they did not print is kept as `refused-NNNN.bin` or `dropped-NNNN.bin`;
- can be told to fail, through the file `fault` in that folder (read at every connection and
  query: `counter-tui printer fault ...` writes it) or `set_faults()` in-process:

  offline          answers "offline", refuses jobs (resets the connection)
  paper_out        answers "paper end" (and offline, as real printers do), refuses jobs
  paper_near_end   answers "near end"; prints
  cover_open       answers "cover open" (and offline), refuses jobs
  slow[=SECONDS]   waits SECONDS (3) before each answer and each read of job data
  stall            accepts connections and never reads them (a hung printer): what was sent
                   waits in its buffers, and is read (and printed) once the fault is cleared
  drop[=BYTES]     resets the connection once BYTES (256) of job data have come, keeping
                   what came by then (a network delivers in segments: that may be more, up
                   to what its small receive buffer holds); the app is told what it took

A network job is what one connection carries once it sends more than status queries, up to the
client's close. Status queries are answered while a connection has sent nothing else (the way
the transports ask before a job), and when they end what has come so far (the way they ask
after it: those bytes are not kept in the job); other DLE EOT bytes inside a job are part of
the job, unlike on a real printer, so raster data never draws a stray answer here. A serial job
ends when the line has been quiet for `idle` seconds, or when a read starts with a status query
(the next job's).
"""

from __future__ import annotations

import contextlib
import json
import os
import select
import socket
import struct
import threading
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from counter_tui.core.clock import office_now
from counter_tui.core.records import frozen
from counter_tui.printing import status as st

FAULT_NAMES = ("offline", "paper_out", "paper_near_end", "cover_open", "slow", "drop", "stall")
DEFAULT_SLOW = 3.0
DEFAULT_DROP = 256
IDLE_TIMEOUT = 30.0  # a connection that sends nothing for this long is closed
RECEIVE_BUFFER = 4096  # bytes (the system doubles it for its own bookkeeping)


@frozen
class Faults:
    offline: bool = False
    paper_out: bool = False
    paper_near_end: bool = False
    cover_open: bool = False
    slow: float = 0.0
    drop: int | None = None
    stall: bool = False

    @classmethod
    def parse(cls, text: str) -> Faults:
        """'paper_out slow=2' -> Faults; 'clear', 'none' or '' -> no fault. ValueError if a
        name is unknown."""
        faults = cls()
        for word in text.replace(",", " ").split():
            name, _, value = word.partition("=")
            name = name.strip().lower().replace("-", "_")
            if name in ("clear", "none", "ok"):
                continue
            if name not in FAULT_NAMES:
                raise ValueError(f"unknown fault {name!r}; known: {', '.join(FAULT_NAMES)}")
            if name == "slow":
                faults = replace(faults, slow=float(value) if value else DEFAULT_SLOW)
            elif name == "drop":
                faults = replace(faults, drop=int(value) if value else DEFAULT_DROP)
            else:
                faults = replace(faults, **{name: True})
        return faults

    def __str__(self) -> str:
        words = [n for n in ("offline", "paper_out", "paper_near_end", "cover_open", "stall")
                 if getattr(self, n)]
        if self.slow:
            words.append(f"slow={self.slow:g}")
        if self.drop is not None:
            words.append(f"drop={self.drop}")
        return " ".join(words) or "none"

    @property
    def refusal(self) -> str | None:
        """Why a job would not print now, or None."""
        for name in ("cover_open", "paper_out", "offline"):
            if getattr(self, name):
                return name
        return None

    def answer(self, n: int) -> int:
        return st.answer(n, offline=self.offline, paper_out=self.paper_out,
                         near_end=self.paper_near_end, cover_open=self.cover_open)


class FaultControl:
    """The faults in force: the folder's `fault` file, re-read when it changes."""

    def __init__(self, folder: Path) -> None:
        self.path = folder / "fault"
        self._seen: tuple[float, int] | None = None
        self._faults = Faults()
        self._lock = threading.Lock()

    def set(self, faults: Faults | str) -> Faults:
        parsed = faults if isinstance(faults, Faults) else Faults.parse(faults)
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(str(parsed) + "\n", encoding="utf-8")
        os.replace(tmp, self.path)
        return parsed

    def __call__(self) -> Faults:
        with self._lock:
            try:
                info = self.path.stat()
            except FileNotFoundError:
                self._seen, self._faults = None, Faults()
                return self._faults
            key = (info.st_mtime, info.st_size)
            if key != self._seen:
                try:
                    self._faults = Faults.parse(self.path.read_text(encoding="utf-8"))
                except ValueError:
                    self._faults = Faults()
                self._seen = key
            return self._faults


@frozen
class KeptJob:
    number: int
    outcome: str  # "printed", "refused: paper_out", "dropped"
    path: Path
    size: int
    text_path: Path | None = None
    png_path: Path | None = None

    @property
    def text(self) -> str:
        return self.text_path.read_text(encoding="utf-8") if self.text_path else ""


class JobKeeper:
    """The simulated printer's output tray: one numbered set of files per job."""

    def __init__(self, folder: Path, *, width_dots: int = 576, columns: int = 0,
                 profile: str = "default") -> None:
        self.folder = folder
        self.width_dots, self.columns, self.profile = width_dots, columns, profile
        folder.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._number = max((int(p.stem.split("-")[1]) for p in folder.glob("*-[0-9]*.bin")
                            if p.stem.split("-")[1].isdigit()), default=0)
        self.log = folder / "jobs.jsonl"

    def reserve(self) -> int:
        """The next job number: taken when a job's first byte arrives, so numbers follow the
        order jobs came in, whatever order their files are written in."""
        with self._lock:
            self._number += 1
            return self._number

    def keep(self, data: bytes, outcome: str, faults: Faults, peer: str,
             number: int | None = None) -> KeptJob:
        number = number if number is not None else self.reserve()
        prefix = "job" if outcome == "printed" else outcome.split(":")[0]
        path = self.folder / f"{prefix}-{number:04d}.bin"
        path.write_bytes(data)
        text_path = png_path = None
        if outcome == "printed":
            text_path, png_path = self._decode(data, path)
        kept = KeptJob(number, outcome, path, len(data), text_path, png_path)
        record = {"number": number, "outcome": outcome, "bytes": len(data), "file": path.name,
                  "text": text_path.name if text_path else None,
                  "png": png_path.name if png_path else None, "faults": str(faults),
                  "peer": peer, "at": office_now().isoformat(timespec="seconds")}
        with self._lock, self.log.open("a", encoding="utf-8") as f:
            f.write(json.dumps(record, ensure_ascii=False) + "\n")
        return kept

    def _decode(self, data: bytes, path: Path) -> tuple[Path | None, Path | None]:
        from counter_tui.printing.decode import decode
        from counter_tui.printing.preview import render_preview

        text_path = path.with_suffix(".txt")
        png_path = path.with_suffix(".png")
        try:
            decoded = decode(data, profile=self.profile)
            text_path.write_text("\n".join(decoded.text) + "\n", encoding="utf-8")
        except Exception as exc:  # a stream the decoder cannot read is still kept as bytes
            text_path.write_text(f"[cannot decode: {exc}]\n", encoding="utf-8")
            return text_path, None
        try:
            render_preview(decoded, self.width_dots, self.columns).save(png_path, "PNG")
        except Exception:
            return text_path, None
        return text_path, png_path

    def jobs(self) -> list[dict[str, Any]]:
        if not self.log.exists():
            return []
        return [json.loads(line) for line in self.log.read_text(encoding="utf-8").splitlines()
                if line.strip()]


class Session:
    """The printer's side of one connection (or one job on a serial line): answers status
    queries and collects the job's bytes."""

    def __init__(self, faults: Callable[[], Faults]) -> None:
        self.faults = faults
        self.pending = bytearray()
        self.job = bytearray()
        self.queries = 0

    @property
    def in_job(self) -> bool:
        return bool(self.job)

    def feed(self, chunk: bytes) -> bytes:
        """Take bytes from the host; return the status bytes to answer."""
        if self.job:
            self.job += chunk
            return self.asked_after()
        self.pending += chunk
        answers = bytearray()
        while len(self.pending) >= 3 and self.pending[:2] == st.DLE_EOT:
            answers.append(self.faults().answer(self.pending[2]))
            self.queries += 1
            del self.pending[:3]
        if self.pending and not st.DLE_EOT.startswith(bytes(self.pending[:2])):
            self.job += self.pending
            self.pending.clear()
            answers += self.asked_after()
        return bytes(answers)

    def asked_after(self) -> bytes:
        """Status queries that end what has come so far: the host asking after its job
        (they are answered, and are not part of the job)."""
        asked: list[int] = []
        while (len(self.job) > 3 and self.job[-3:-1] == st.DLE_EOT
               and 1 <= self.job[-1] <= 4):
            asked.append(self.job[-1])
            del self.job[-3:]
        self.queries += len(asked)
        faults = self.faults() if asked else None
        return bytes(faults.answer(n) for n in reversed(asked)) if faults else b""


def _ack_now(conn: socket.socket) -> None:
    """Acknowledge what arrives at once rather than 40 ms later (Linux turns this off again
    by itself): what the app is told the printer took is then what this printer keeps."""
    with contextlib.suppress(OSError, AttributeError):
        conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_QUICKACK, 1)


def _arrived(conn: socket.socket) -> bytes:
    """What has arrived on the connection and not been read yet."""
    got = bytearray()
    with contextlib.suppress(OSError):
        while chunk := conn.recv(65536, socket.MSG_DONTWAIT):
            got += chunk
    return bytes(got)


def _reset(conn: socket.socket) -> None:
    """Close with a TCP reset, as a printer that loses power mid-job does."""
    with contextlib.suppress(OSError):
        conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    with contextlib.suppress(OSError):
        conn.close()


class _Printer:
    def __init__(self, folder: Path | str, *, faults: Faults | str | None = None,
                 width_dots: int = 576, columns: int = 0, profile: str = "default") -> None:
        self.folder = Path(folder)
        self.keeper = JobKeeper(self.folder, width_dots=width_dots, columns=columns,
                                profile=profile)
        self.control = FaultControl(self.folder)
        if faults is not None:
            self.control.set(faults)
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []

    def set_faults(self, faults: Faults | str) -> Faults:
        return self.control.set(faults)

    def faults(self) -> Faults:
        return self.control()

    def jobs(self) -> list[dict[str, Any]]:
        return self.keeper.jobs()

    def _keep(self, data: bytes | bytearray, outcome: str, faults: Faults, peer: str,
              number: int | None = None) -> None:
        self.keeper.keep(bytes(data), outcome, faults, peer, number)

    def _spawn(self, target: Callable[..., None], *args: Any) -> None:
        thread = threading.Thread(target=target, args=args, daemon=True,
                                  name=f"sim-{type(self).__name__}")
        self._threads = [t for t in self._threads if t.is_alive()]
        self._threads.append(thread)
        thread.start()

    def __enter__(self) -> Any:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def start(self) -> Any:
        raise NotImplementedError

    def stop(self) -> None:
        raise NotImplementedError


class NetworkPrinter(_Printer):
    """A network ESC/POS printer on a TCP port (loopback by default)."""

    def __init__(self, folder: Path | str, host: str = "127.0.0.1", port: int = 9100,
                 **kwargs: Any) -> None:
        super().__init__(folder, **kwargs)
        self.listener = socket.create_server((host, port), reuse_port=False)
        # a printer's receive buffer is a few kilobytes, not the megabytes a computer keeps:
        # a sender cannot get far ahead of what the printer took (accepted sockets inherit it)
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, RECEIVE_BUFFER)
        self.listener.settimeout(0.2)

    @property
    def address(self) -> tuple[str, int]:
        host, port = self.listener.getsockname()[:2]
        return str(host), int(port)

    @property
    def target(self) -> str:
        """What printer.target takes: HOST:PORT."""
        host, port = self.address
        return f"{host}:{port}"

    def start(self) -> NetworkPrinter:
        self._spawn(self.serve_forever)
        return self

    def serve_forever(self) -> None:
        while not self._stop.is_set():
            try:
                conn, peer = self.listener.accept()
            except TimeoutError:
                continue
            except OSError:
                if self._stop.is_set():
                    return
                raise
            self._spawn(self._handle, conn, f"{peer[0]}:{peer[1]}")

    def stop(self) -> None:
        self._stop.set()
        with contextlib.suppress(OSError):
            self.listener.close()
        for thread in self._threads:
            if thread is not threading.current_thread():
                thread.join(2.0)

    def _handle(self, conn: socket.socket, peer: str) -> None:
        session = Session(self.faults)
        number: int | None = None
        conn.settimeout(IDLE_TIMEOUT)
        _ack_now(conn)
        try:
            while not self._stop.is_set():
                faults = self.faults()
                if faults.stall:  # hung: reads nothing, answers nothing, keeps the line
                    time.sleep(0.05)
                    continue
                if session.in_job and faults.slow:
                    time.sleep(faults.slow)
                data = conn.recv(4096)
                if not data:
                    break
                _ack_now(conn)
                answers = session.feed(data)
                if session.in_job and number is None:
                    number = self.keeper.reserve()
                faults = self.faults()
                if session.in_job and faults.refusal:
                    _reset(conn)
                    self._keep(session.job, f"refused: {faults.refusal}", faults, peer, number)
                    return
                if (session.in_job and faults.drop is not None
                        and len(session.job) >= faults.drop):
                    session.job += _arrived(conn)  # its network side took these too
                    session.asked_after()  # not answered: it is dropping the connection
                    _reset(conn)
                    self._keep(session.job, "dropped", faults, peer, number)
                    return
                if answers:
                    if faults.slow:
                        time.sleep(faults.slow)
                    conn.sendall(answers)
        except OSError:
            _reset(conn)
            if session.in_job:
                self._keep(session.job, "dropped", self.faults(), peer, number)
            return
        with contextlib.suppress(OSError):
            conn.close()
        if session.in_job:
            self._keep(session.job, "printed", self.faults(), peer, number)


class SerialPrinter(_Printer):
    """A serial ESC/POS printer at the far end of a pseudo-terminal: point printer.target at
    `device` (kind = "serial"). Baud rate and flow control settings are accepted and ignored,
    as a pty ignores them."""

    def __init__(self, folder: Path | str, *, idle: float = 0.3, **kwargs: Any) -> None:
        import tty

        super().__init__(folder, **kwargs)
        self.idle = idle
        self.master, self.slave = os.openpty()
        tty.setraw(self.slave)  # no echo, no newline translation: a clean 8-bit line
        self.device = os.ttyname(self.slave)

    @property
    def target(self) -> str:
        return self.device

    def start(self) -> SerialPrinter:
        self._spawn(self.serve_forever)
        return self

    def stop(self) -> None:
        self._stop.set()
        for thread in self._threads:
            if thread is not threading.current_thread():
                thread.join(2.0)
        for fd in (self.master, self.slave):
            with contextlib.suppress(OSError):
                os.close(fd)

    def serve_forever(self) -> None:
        session = Session(self.faults)
        while not self._stop.is_set():
            if self.faults().stall:
                time.sleep(0.05)
                continue
            ready, _, _ = select.select([self.master], [], [], self.idle)
            if not ready:
                if session.in_job:
                    self._finish(session)
                session = Session(self.faults)
                continue
            try:
                data = os.read(self.master, 4096)
            except OSError:
                return
            faults = self.faults()
            if session.in_job and data[:2] == st.DLE_EOT:
                # a status query opening a read after job data: the host is starting the next
                # job (a real printer answers it wherever it comes; see the module doc)
                self._finish(session)
                session = Session(self.faults)
            if session.in_job and faults.slow:
                time.sleep(faults.slow)
            answers = session.feed(data)
            if answers:
                if faults.slow:
                    time.sleep(faults.slow)
                os.write(self.master, answers)
        if session.in_job:
            self._finish(session)

    def _finish(self, session: Session) -> None:
        faults = self.faults()
        outcome = f"refused: {faults.refusal}" if faults.refusal else "printed"
        self._keep(session.job, outcome, faults, self.device)
