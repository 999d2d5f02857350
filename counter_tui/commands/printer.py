"""`counter-tui printer …`: the technician's commands.

    printer test [--mode M]          print the test page on the configured printer
    printer status [--json]          what the printer says (DLE EOT) or why it cannot be reached
    printer jobs [--failed] [--retry ID] [--printed ID] [--limit N] [--json]
                                     the print queue; reprint a job, or say a doubtful one
                                     came out
    printer serve [--port 9100] [--host 127.0.0.1] [--dir DIR] [--fault F] [--serial]
                                     a simulated printer that keeps every job as bytes/text/PNG
    printer fault [--dir DIR] NAME…  tell a running simulated printer to fail (or `clear`)
    printer preview FILE [--png OUT] the text and a picture of an ESC/POS byte file
"""

from __future__ import annotations

import argparse
import signal
import socket
import sys
import unicodedata
from dataclasses import replace
from pathlib import Path
from typing import Any

from counter_tui.commands import Context, UsageError, emit, say, warn
from counter_tui.core import print_rules
from counter_tui.core.errors import UserError
from counter_tui.core.i18n import t
from counter_tui.core.roles import Action

MODES = ("tcvn3", "cp1258", "raster", "ascii")
LOOPBACK = ("127.0.0.1", "::1", "localhost")


def register(sub: Any) -> None:
    printer = sub.add_parser("printer", help="printer test page, status, queue and simulator")
    actions = printer.add_subparsers(dest="action", required=True)

    test = actions.add_parser("test", help="print the test page on the configured printer")
    test.add_argument("--mode", choices=MODES, help="text mode to try (default: the config's)")
    test.add_argument("--paper", type=int, choices=(58, 80), help="paper width to try, in mm")
    test.set_defaults(handler=printer_test)

    status = actions.add_parser("status", help="ask the configured printer for its status")
    status.add_argument("--json", action="store_true")
    status.set_defaults(handler=show_status)

    jobs = actions.add_parser("jobs", help="list print jobs; put a failed one back")
    jobs.add_argument("--failed", action="store_true", help="failed jobs only")
    jobs.add_argument("--retry", type=int, metavar="ID",
                      help="reprint job ID now (failed, or unsure whether it printed)")
    jobs.add_argument("--printed", type=int, metavar="ID",
                      help="job ID, unsure whether it printed, did come out: do not reprint")
    jobs.add_argument("--limit", type=int, default=30)
    jobs.add_argument("--json", action="store_true")
    jobs.set_defaults(handler=list_jobs)

    serve = actions.add_parser("serve", help="run a simulated ESC/POS printer")
    serve.add_argument("--port", type=int, default=9100, help="TCP port (0: any free port)")
    serve.add_argument("--host", default="127.0.0.1", help="loopback address to listen on")
    serve.add_argument("--dir", help="where jobs are kept (default: data/simulated-printer)")
    serve.add_argument("--fault", action="append", default=[],
                       help="start failing: offline, paper_out, paper_near_end, cover_open, "
                            "slow[=S], drop[=BYTES]")
    serve.add_argument("--serial", action="store_true",
                       help="also be a serial printer on a pseudo-terminal (prints its path)")
    serve.add_argument("--paper", type=int, choices=(58, 80), help="paper width of the PNGs")
    serve.set_defaults(handler=serve_printer)

    fault = actions.add_parser("fault", help="make a running simulated printer fail, or clear")
    fault.add_argument("faults", nargs="+", help="fault names as for serve --fault, or clear")
    fault.add_argument("--dir", help="the simulated printer's folder")
    fault.set_defaults(handler=set_fault)

    preview = actions.add_parser("preview", help="decode an ESC/POS byte file to text and PNG")
    preview.add_argument("file")
    preview.add_argument("--png", help="where to write the picture (default: FILE.png)")
    preview.add_argument("--paper", type=int, choices=(58, 80), help="paper width in mm")
    preview.set_defaults(handler=preview_file)


def _sim_dir(args: argparse.Namespace, ctx: Context) -> Path:
    if args.dir:
        return Path(args.dir).resolve()
    base = ctx.cfg.path.parent if ctx.cfg.path else Path.cwd()
    return (base / "data" / "simulated-printer").resolve()


def _where(cfg: Any) -> str:
    p = cfg.printer
    if p.kind == "usb":
        return f"{p.usb_vendor:04x}:{p.usb_product:04x}"
    return str(p.target)


def printer_test(args: argparse.Namespace, ctx: Context) -> int:
    """`printer test`: a technician's (init's own test page is the office being set up)."""
    ctx.require(Action.PRINTER_MANAGE)
    return print_test(args, ctx)


def print_test(args: argparse.Namespace, ctx: Context) -> int:
    from counter_tui.printing.spooler import deliver
    from counter_tui.printing.testpage import test_page
    from counter_tui.printing.transports import PrinterError

    printer = ctx.cfg.printer
    if args.mode:
        printer = replace(printer, text_mode=args.mode)
    if args.paper:
        printer = replace(printer, paper_mm=args.paper)
    try:
        deliver(test_page(printer), printer)
    except PrinterError as exc:
        warn(t("cli.printer.failed", reason=exc.reason))
        return 1
    say(t("cli.printer.sent", mode=printer.text_mode, kind=printer.kind,
          target=_where(ctx.cfg)))
    return 0


def read_status(printer: Any) -> Any:
    """What the configured printer says of itself now (also `counter-tui doctor`'s line)."""
    from counter_tui.printing.status import PrinterStatus
    from counter_tui.printing.transports import PrinterError, open_transport

    try:
        transport = open_transport(printer)
        client = getattr(transport, "client", None)
        if printer.kind == "cups" and client is not None and not client():
            return PrinterStatus(reachable=False, detail=t("cups.none"))
        return transport.status()
    except PrinterError as exc:
        return PrinterStatus(reachable=False, detail=exc.reason)


def show_status(args: argparse.Namespace, ctx: Context) -> int:
    printer = ctx.cfg.printer
    found = read_status(printer)
    data = {"kind": printer.kind, "target": _where(ctx.cfg), "profile": printer.profile,
            "paper_mm": printer.paper_mm, "text_mode": printer.text_mode,
            "reachable": found.reachable, "answered": found.answered, "online": found.online,
            "paper": found.paper, "cover_open": found.cover_open, "error": found.error,
            "ready": found.ready, "problem": found.problem, "detail": found.detail}
    emit(data, args.json, t("cli.printer.status", kind=printer.kind, target=_where(ctx.cfg),
                            summary=found.summary()))
    return 1 if found.problem else 0


def list_jobs(args: argparse.Namespace, ctx: Context) -> int:
    from counter_tui.services import printjobs

    store = ctx.store
    ctx.require(Action.PRINTER_USE)
    printjobs.recover_interrupted(store)  # a job a stopped process left half-sent is listed
    if args.retry is not None:
        return _retry(args, ctx)
    if args.printed is not None:
        printjobs.mark_printed(store, args.printed)
        state, error = printjobs.status(store, args.printed)
        emit({"job": args.printed, "state": state, "error": error}, args.json,
             t("cli.printer.retried", job=args.printed, outcome=print_rules.outcome(state)))
        return 0
    jobs = printjobs.recent(store, args.limit, failed_only=args.failed)
    if args.json:
        emit([{"id": j.id, "label": j.label, "kind": j.kind, "state": j.state,
               "attempts": j.attempts, "error": j.error, "created_at": j.created_at}
              for j in jobs], True, "")
        return 0
    if not jobs:
        say(t("cli.printer.no_jobs"))
        return 0
    rows = [t("cli.printer.jobs_header").split("|")]
    rows += [[str(j.id), f"{j.created_at:%d/%m %H:%M}", j.label, printjobs.kind_label(j),
              printjobs.state_label(j), str(j.attempts), j.error] for j in jobs]
    say("\n".join(_columns(rows, right=(0, 5))))
    return 0


def _width(text: str) -> int:
    """Columns `text` takes on a terminal: combining marks take none, wide letters two."""
    return sum(0 if unicodedata.combining(ch) else
               2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _columns(rows: list[list[str]], right: tuple[int, ...] = ()) -> list[str]:
    """The rows as aligned text: every column as wide as its widest cell (the last one, free
    text, is not padded)."""
    widths = [max(_width(row[i]) for row in rows) for i in range(len(rows[0]) - 1)]
    lines = []
    for row in rows:
        cells = []
        for i, width in enumerate(widths):
            pad = " " * (width - _width(row[i]))
            cells.append(pad + row[i] if i in right else row[i] + pad)
        lines.append("  ".join([*cells, row[-1]]).rstrip())
    return lines


def _retry(args: argparse.Namespace, ctx: Context) -> int:
    from functools import partial

    from counter_tui.commands.queue import Printed
    from counter_tui.printing.spooler import drain
    from counter_tui.services import printjobs

    store = ctx.store
    printjobs.retry(store, args.retry)
    drain(partial(printjobs.claim, store, args.retry), partial(printjobs.sent, store),
          lambda jid, reason, transient, maybe_printed: printjobs.failed(
              store, jid, reason, transient=transient, maybe_printed=maybe_printed),
          ctx.cfg.printer)
    printed = Printed(args.retry, *printjobs.status(store, args.retry))
    emit({"job": args.retry, "state": printed.state, "error": printed.error}, args.json,
         t("cli.printer.retried", job=args.retry, outcome=printed.text))
    return printed.exit_code


def serve_printer(args: argparse.Namespace, ctx: Context) -> int:
    from counter_tui.printing.simulator import Faults, NetworkPrinter, SerialPrinter

    if args.host not in LOOPBACK:
        raise UserError("cli.printer.loopback")
    try:
        faults = Faults.parse(" ".join(args.fault))
    except ValueError as exc:
        raise UsageError("cli.printer.bad_fault", reason=str(exc)) from None
    folder = _sim_dir(args, ctx)
    printer = ctx.cfg.printer
    if args.paper:
        printer = replace(printer, paper_mm=args.paper)
    options: dict[str, Any] = {"faults": faults, "width_dots": printer.width_dots,
               "columns": printer.width_columns, "profile": printer.profile}
    network = NetworkPrinter(folder, args.host, args.port, **options)
    serial = SerialPrinter(folder, **options) if args.serial else None
    wheres = [network.target] + ([serial.device] if serial else [])
    (folder / "port").write_text(f"{network.address[1]}\n", encoding="utf-8")
    if serial:
        (folder / "device").write_text(serial.device + "\n", encoding="utf-8")
    say(t("cli.printer.serving", where=" + ".join(wheres), folder=folder, faults=faults))
    sys.stdout.flush()

    def stop(*_: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    try:
        if serial:
            serial.start()
        network.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        network.stop()
        if serial:
            serial.stop()
    return 0


def set_fault(args: argparse.Namespace, ctx: Context) -> int:
    from counter_tui.printing.simulator import FaultControl, Faults

    folder = _sim_dir(args, ctx)
    try:
        faults = Faults.parse(" ".join(args.faults))
    except ValueError as exc:
        raise UsageError("cli.printer.bad_fault", reason=str(exc)) from None
    if not folder.is_dir():
        raise UsageError("cli.printer.no_sim_dir", folder=folder)
    if not _simulator_runs(folder):
        raise UserError("cli.printer.no_simulator", folder=folder)
    FaultControl(folder).set(faults)
    say(t("cli.printer.faults", folder=folder, faults=faults))
    return 0


def _simulator_runs(folder: Path) -> bool:
    """Whether the simulated printer that wrote `folder/port` still listens there (an empty
    connection is not a job to it)."""
    try:
        port = int((folder / "port").read_text(encoding="utf-8").strip())
        with socket.create_connection(("127.0.0.1", port), timeout=1.0):
            return True
    except (OSError, ValueError):
        return False


def preview_file(args: argparse.Namespace, ctx: Context) -> int:
    from counter_tui.printing.decode import decode
    from counter_tui.printing.preview import render_preview

    path = Path(args.file)
    if not path.is_file():
        raise UsageError("cli.printer.no_file", path=path)
    printer = ctx.cfg.printer
    if args.paper:
        printer = replace(printer, paper_mm=args.paper, dots=0, columns=0)
    decoded = decode(path.read_bytes(), profile=printer.profile)
    png = Path(args.png) if args.png else path.with_suffix(".png")
    render_preview(decoded, printer.width_dots, printer.width_columns).save(png, "PNG")
    say("\n".join(decoded.text))
    say(t("cli.printer.png", path=png))
    return 0

