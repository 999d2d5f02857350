"""Printing: bytes and build time of a receipt in each text mode (58 and 80 mm), and the time to
deliver one to the simulated printer over the network (loopback), a serial line (a pty, so
without the line's baud-rate limit: the time at 9600 and 115200 baud is computed from the
bytes) and a file. Figures only, no assertions.

    .venv/bin/python -m tests.perf.bench_printing [--quick]
"""

from __future__ import annotations

import sys
import tempfile
import time
from dataclasses import replace
from functools import partial
from pathlib import Path

from counter_tui.config import PrinterConfig
from counter_tui.printing.render import render
from counter_tui.printing.simulator import NetworkPrinter, SerialPrinter
from counter_tui.printing.transports import open_transport
from tests.perf.common import summary
from tests.printing.helpers import receipt_slip
from tests.printing.simhelp import wait_for_jobs

MODES = ("tcvn3", "cp1258", "ascii", "raster")


def bench_build(runs: int) -> dict[tuple[str, int], bytes]:
    slip = receipt_slip()
    built: dict[tuple[str, int], bytes] = {}
    for paper in (58, 80):
        for mode in MODES:
            printer = PrinterConfig(text_mode=mode, paper_mm=paper)
            data = render(slip, printer)  # warm: escpos import, fonts
            samples = []
            for _ in range(runs):
                started = time.perf_counter()
                data = render(slip, printer)
                samples.append((time.perf_counter() - started) * 1000)
            built[(mode, paper)] = data
            summary(f"build receipt {mode:<6} {paper} mm ({len(data):>6} bytes)", samples)
    return built


def _deliver(name: str, printer: PrinterConfig, data: bytes, runs: int,
             wait: object = None) -> None:
    samples = []
    for i in range(runs + 1):
        started = time.perf_counter()
        open_transport(printer).send(data)
        took = (time.perf_counter() - started) * 1000
        if wait is not None:
            wait(i + 1)  # type: ignore[operator]
        if i:  # the first one opens and remembers the printer
            samples.append(took)
    summary(name, samples)


def bench_deliver(built: dict[tuple[str, int], bytes], runs: int) -> None:
    folder = Path(tempfile.mkdtemp(prefix="counter-bench-print-"))
    for mode in ("tcvn3", "raster"):
        data = built[(mode, 80)]
        label = f"{mode} 80 mm, {len(data)} bytes"
        with NetworkPrinter(folder / f"net-{mode}", port=0) as sim:
            printer = PrinterConfig(kind="network", target=sim.target)
            # not timed: the simulator keeping each job (decode, PNG) in this same process
            _deliver(f"send to network printer ({label})", printer, data, runs,
                     partial(wait_for_jobs, sim))
        with SerialPrinter(folder / f"serial-{mode}", idle=0.05) as sim:
            printer = PrinterConfig(kind="serial", target=sim.device, baudrate=115200)
            # not timed: the pty printer's idle gap ends a job
            _deliver(f"send to serial printer, pty ({label})", printer, data, runs,
                     partial(wait_for_jobs, sim))
        printer = replace(PrinterConfig(), target=str(folder / f"file-{mode}.out"))
        _deliver(f"append to printer file ({label})", printer, data, runs)
        for baud in (9600, 115200):
            print(f"{'  on a real serial line at ' + str(baud) + ' baud':<44} "
                  f"{len(data) * 10 / baud:8.2f} s  (10 bits a byte)", flush=True)


def main(quick: bool = False) -> None:
    built = bench_build(5 if quick else 30)
    bench_deliver(built, 5 if quick else 20)


if __name__ == "__main__":
    main("--quick" in sys.argv)
