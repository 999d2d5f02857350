"""`counter-tui report …` (the day board, the periodic report, the register) and
`counter-tui dossier import` (history from another system).

    report day      [--date D] [--office CODE] [--format table|csv|json|xlsx] [--output FILE]
                    [--print]
    report period   --from D --to D [--by field|procedure|officer|office] [--compare]
                    [--office CODE] [--format table|csv|json|xlsx] [--output FILE]
    report register --from D --to D [--office CODE] [--format csv|xlsx] --output FILE
    dossier import  FILE.csv [--rejected FILE.csv] [--json]

Dates are YYYY-MM-DD or dd/mm/yyyy. Without --output, table, json and csv go to the standard
output (csv without the byte-order mark a file gets); xlsx needs --output.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
from pathlib import Path
from typing import Any

from counter_tui.commands import Context, UsageError, say
from counter_tui.commands.output import json_text
from counter_tui.core.i18n import t

SHOWN_REJECTED = 50


def _date(text: str) -> dt.date:
    from counter_tui.core.report.arithmetic import parse_day

    day = parse_day(text)
    if day is None:
        raise argparse.ArgumentTypeError(t("cli.report.date", value=text))
    return day


def register(sub: Any) -> None:
    report = sub.add_parser("report", help="the supervisor's reports: day, period, register")
    kinds = report.add_subparsers(dest="kind", required=True)

    day = kinds.add_parser("day", help="the day board: dossiers, queue, times, online ratio")
    day.add_argument("--date", type=_date, default=None, help="the day (default: today)")
    day.add_argument("--format", choices=("table", "csv", "json", "xlsx"), default="table")
    day.add_argument("--output", default=None, help="write to this file")
    day.add_argument("--print", action="store_true", help="print the summary on the printer")
    day.add_argument("--office", default=None,
                     help="another office's day (agency code or name; on the district's centre), "
                          "or '*': every office's, added up")
    day.set_defaults(handler=day_report)

    period = kinds.add_parser("period", help="Biểu II.06a for a date range")
    period.add_argument("--from", dest="start", type=_date, required=True)
    period.add_argument("--to", dest="end", type=_date, required=True)
    period.add_argument("--by", choices=("field", "procedure", "officer", "office"),
                        default="field")
    period.add_argument("--compare", action="store_true",
                        help="add the same period of the previous year")
    period.add_argument("--office", default=None, help="one office (agency code or name)")
    period.add_argument("--format", choices=("table", "csv", "json", "xlsx"), default="table")
    period.add_argument("--output", default=None)
    period.set_defaults(handler=period_report)

    reg = kinds.add_parser("register", help="the dossier register (Mẫu 06) for a date range")
    reg.add_argument("--from", dest="start", type=_date, required=True)
    reg.add_argument("--to", dest="end", type=_date, required=True)
    reg.add_argument("--office", default=None)
    reg.add_argument("--format", choices=("csv", "xlsx"), default=None,
                     help="default: from the file name")
    reg.add_argument("--output", required=True)
    reg.set_defaults(handler=register_report)

    from counter_tui.commands import forms  # Mẫu 06 as PDF

    forms.register_report(kinds, _date)


def register_import(actions: Any) -> None:
    """`dossier import`, added to the `dossier` command's actions."""
    imp = actions.add_parser("import", help="load past dossiers from a CSV file (history)")
    imp.add_argument("file")
    imp.add_argument("--rejected", default=None,
                     help="write every refused row (line, code, reason) to this CSV file")
    imp.add_argument("--json", action="store_true")
    imp.set_defaults(handler=import_history)


def _emit(args: argparse.Namespace, tables: list[Any], as_json: dict[str, Any]) -> int:
    from counter_tui.core.report.plain import render_text
    from counter_tui.services import exports

    fmt, output = args.format, args.output
    if fmt == "xlsx" and not output:
        raise UsageError("cli.report.needs_output", fmt=fmt)
    if fmt in ("csv", "xlsx") and output:
        done = exports.write_tables(output, tables, fmt)
        say(t("cli.report.written", rows=done.rows, path=done.path))
        return 0
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        for i, table in enumerate(tables):
            if i:
                writer.writerow([])
            writer.writerow([table.title])
            writer.writerow(table.headers)
            writer.writerows(["" if c is None else c for c in row] for row in table.rows)
        say(buffer.getvalue().removesuffix("\n"))
        return 0
    text = json_text(as_json, indent=1) + "\n" if fmt == "json" else render_text(tables)
    if output:
        with open(output, "w", encoding="utf-8") as fh:
            fh.write(text)
        say(t("cli.report.written", rows=sum(len(x.rows) for x in tables), path=output))
    else:
        say(text.removesuffix("\n"))
    return 0


def day_report(args: argparse.Namespace, ctx: Context) -> int:
    from counter_tui.core.report.digitised import digitised_json, digitised_table
    from counter_tui.core.report.plain import day_json
    from counter_tui.core.report.tables import day_tables
    from counter_tui.services import reports

    if args.format == "xlsx" and not args.output:  # before any work, like argparse
        raise UsageError("cli.report.needs_output", fmt=args.format)
    board = reports.day_board(ctx.store, args.date, office=args.office)
    every = args.office == reports.ALL_OFFICES  # digitised() reads "no office" as all
    figures = reports.digitised(ctx.store, board.day, by="field",
                                office=None if every else args.office,
                                own_office=args.office is None)
    code = _emit(args, [*day_tables(board), digitised_table(figures)],
                 {**day_json(board), "digitised": digitised_json(figures)})
    if args.print:
        from counter_tui.commands.queue import print_now

        summary = reports.print_day_summary(ctx.store, board.day)
        printed = print_now(ctx, summary.print_job)
        say(t("cli.report.printed", day=board.day.strftime("%d/%m/%Y"), status=printed.text))
        code = code or printed.exit_code
    return code


def period_report(args: argparse.Namespace, ctx: Context) -> int:
    from counter_tui.core.report.digitised import digitised_json, digitised_table
    from counter_tui.core.report.plain import period_json
    from counter_tui.core.report.tables import period_tables
    from counter_tui.services import reports

    if args.format == "xlsx" and not args.output:
        raise UsageError("cli.report.needs_output", fmt=args.format)
    report = reports.period(ctx.store, args.start, args.end, by=args.by, compare=args.compare,
                            office=args.office)
    figures = reports.digitised(ctx.store, args.start, args.end, by=args.by, office=args.office)
    return _emit(args, [*period_tables(report), digitised_table(figures)],
                 {**period_json(report), "digitised": digitised_json(figures)})


def register_report(args: argparse.Namespace, ctx: Context) -> int:
    from counter_tui.services import reports

    done = reports.export_register(ctx.store, args.output, args.start, args.end,
                                   office=args.office, fmt=args.format)
    say(t("cli.report.written", rows=done.rows, path=done.path))
    return 0


def import_history(args: argparse.Namespace, ctx: Context) -> int:
    from counter_tui.services import history

    if not Path(args.file).is_file():
        raise UsageError("cli.file_missing", path=args.file)
    report = history.import_csv(ctx.store, args.file)
    if args.rejected:
        with open(args.rejected, "w", encoding="utf-8-sig", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(["line", "code", "reason"])
            writer.writerows(report.rejected)
    if args.json:
        say(json_text({
            "added": report.added, "already": report.already,
            "rejected": [{"line": n, "code": c, "reason": r} for n, c, r in report.rejected],
            "offices_created": report.offices_created,
            "unknown_procedures": dict(report.unknown_procedures),
            "open": {"total": report.open_total, "overdue": report.open_overdue,
                     "in_time": report.open_in_time, "other_offices": report.open_elsewhere},
            "encoding": report.encoding,
            "seconds": round(report.seconds, 3),
        }))
        return 0
    lines = [report.summary()]
    if report.encoding not in ("utf-8", "utf-8-sig"):
        lines.append(t("history.read_as", encoding=report.encoding.upper().replace(
            "CP1258", "Windows-1258")))
    if report.open_summary():
        lines.append(report.open_summary())
    lines += [t("cli.import.line", line=n, code=c, reason=r)
              for n, c, r in report.rejected[:SHOWN_REJECTED]]
    if len(report.rejected) > SHOWN_REJECTED and not args.rejected:
        lines.append(t("cli.import.more", n=len(report.rejected) - SHOWN_REJECTED))
    if report.offices_created:
        lines.append(t("cli.import.offices", names=", ".join(report.offices_created)))
    if report.unknown_procedures:
        lines.append(t("cli.import.unknown_procedures", codes=", ".join(
            f"{code} ({n})" for code, n in sorted(report.unknown_procedures.items()))))
    say("\n".join(lines))
    return 0
