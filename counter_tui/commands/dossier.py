"""`counter-tui dossier …` and `counter-tui calendar due`: intake and lookup from scripts.

`dossier add` takes every intake field as an option and goes through the same check as the
form: every bad value is one line naming its option, the command exits 1 and stores nothing.
A stored dossier whose receipt did not print exits 1 too (see commands.queue).
"""

from __future__ import annotations

import argparse
import re
from datetime import datetime
from typing import Any

from counter_tui.commands import Context, emit, warn
from counter_tui.core.i18n import t


def register(sub: Any) -> None:
    dossier = sub.add_parser("dossier", help="receive, show, find and follow dossiers")
    actions = dossier.add_subparsers(dest="action", required=True)

    add = actions.add_parser("add", help="receive a dossier and print its receipt")
    add.add_argument("--channel", default="walk_in", choices=("walk_in", "post", "online"))
    add.add_argument("--procedure", required=True, help="procedure code, e.g. HT-KS")
    add.add_argument("--name", required=True, help="applicant's full name")
    add.add_argument("--id", default="", help="CCCD (12 digits) or CMND (9 digits)")
    add.add_argument("--phone", default="")
    add.add_argument("--address", default="")
    add.add_argument("--email", default="")
    add.add_argument("--representative", default="", help="who submits on the applicant's behalf")
    add.add_argument("--representative-id", default="")
    add.add_argument("--doc", action="append", default=[], metavar="NAME:ORIGINALS:COPIES",
                     help="a document received (repeat); default: the procedure's checklist, "
                          "one original each, leaving out those needed only in some cases "
                          "(\"(nếu ...)\")")
    add.add_argument("--sets", default="1")
    add.add_argument("--fee", default=None, help="fee collected (default: the procedure's fee)")
    add.add_argument("--note", default="")
    add.add_argument("--post-option", default=None, choices=("1", "2", "3"),
                     help="1 dossier by post, 2 result by post, 3 both")
    add.add_argument("--waybill", default="")
    add.add_argument("--postal-charge", default="0")
    add.add_argument("--delivery-address", default="")
    add.add_argument("--portal-code", default="", help="the portal's dossier code (online)")
    add.add_argument("--level", default="", help="toàn trình | một phần (online)")
    add.add_argument("--vneid", action="store_true", help="the citizen signed in with VNeID")
    add.add_argument("--paid-online", action="store_true")
    add.add_argument("--ticket", type=int, default=None, help="queue ticket id served")
    add.add_argument("--json", action="store_true")
    add.set_defaults(handler=add_dossier)

    show = actions.add_parser("show", help="one dossier in full")
    show.add_argument("code")
    show.add_argument("--show-id", action="store_true",
                      help="the ID number in full (roles allowed to; recorded in the audit log)")
    show.add_argument("--json", action="store_true")
    show.set_defaults(handler=show_dossier)

    find = actions.add_parser("find", help="find dossiers by code, phone, ID number or name")
    find.add_argument("text")
    find.add_argument("--page", type=int, default=0)
    find.add_argument("--json", action="store_true")
    find.set_defaults(handler=find_dossiers)

    from counter_tui.commands import lifecycle  # status, history, worklist

    lifecycle.register(actions)

    from counter_tui.commands import forms  # the legal forms as PDF

    forms.register_dossier(actions)

    from counter_tui.commands import documents  # attach, scan, file, verify-files

    documents.register_dossier(actions)

    from counter_tui.commands import reports  # dossier import (history)

    reports.register_import(actions)

    cal = sub.add_parser("calendar", help="working days and appointment dates")
    cal_actions = cal.add_subparsers(dest="action", required=True)
    due = cal_actions.add_parser("due", help="when a dossier received at a time will be ready")
    due.add_argument("--procedure", required=True)
    due.add_argument("--received", default=None, help="YYYY-MM-DD HH:MM (default: now)")
    due.add_argument("--json", action="store_true")
    due.set_defaults(handler=due_date)
    for name, working, text in (("off", False, "declare a day off for every office"),
                                ("work", True, "declare a day worked (a make-up day)")):
        action = cal_actions.add_parser(name, help=f"{text} that takes this calendar")
        action.add_argument("day", help="YYYY-MM-DD")
        action.add_argument("--note", default="", help="why (a festival, a swap)")
        action.add_argument("--json", action="store_true")
        action.set_defaults(handler=set_calendar_day, working=working)
    clear = cal_actions.add_parser("clear", help="take a day off the list")
    clear.add_argument("day", help="YYYY-MM-DD")
    clear.add_argument("--json", action="store_true")
    clear.set_defaults(handler=clear_calendar_day)
    listed = cal_actions.add_parser("list", help="the days declared off or worked")
    listed.add_argument("--year", type=int, default=None)
    listed.add_argument("--json", action="store_true")
    listed.set_defaults(handler=list_calendar_days)


def _documents(args: argparse.Namespace, ctx: Context) -> list[Any]:
    from counter_tui.core.errors import UserError
    from counter_tui.core.intake import DocumentLine
    from counter_tui.services import catalogue

    if not args.doc:
        proc = catalogue.get(ctx.store, args.procedure)
        return [DocumentLine(d.name, *d.starting()) for d in (proc.documents if proc else ())
                if not d.conditional]
    docs = []
    for raw in args.doc:
        parts = raw.rsplit(":", 2)
        if len(parts) != 3:
            raise UserError("cli.dossier.doc", field="doc", value=raw)
        docs.append(DocumentLine(parts[0], parts[1], parts[2]))
    return docs


def add_dossier(args: argparse.Namespace, ctx: Context) -> int:
    from counter_tui.commands.queue import print_now
    from counter_tui.core.intake import DossierDraft, IntakeErrors
    from counter_tui.core.slips import stamp
    from counter_tui.services import intake

    draft = DossierDraft(
        channel=args.channel, procedure_code=args.procedure, applicant_name=args.name,
        id_number=args.id, phone=args.phone, address=args.address, email=args.email,
        representative=args.representative, representative_id=args.representative_id,
        documents=_documents(args, ctx), sets=args.sets, fee=args.fee, note=args.note,
        post_option=args.post_option, waybill=args.waybill, postal_charge=args.postal_charge,
        delivery_address=args.delivery_address, portal_code=args.portal_code, level=args.level,
        vneid=args.vneid, paid_online=args.paid_online, ticket_id=args.ticket,
    )
    try:
        received = intake.receive(ctx.store, draft)
    except IntakeErrors as exc:
        # The header counts; each problem is said once, under the option that carries it.
        warn("\n".join([t("cli.dossier.invalid", count=len(exc.errors))] + [
            t("cli.dossier.field", field=option_of(problem.field), message=problem)
            for problem in exc.errors]))
        return 1
    printed = print_now(ctx, received.print_job)
    d = received.dossier
    emit({"code": d.code, "due": d.due_at, "received": d.received_at,
          "print": printed.json()}, args.json,
         t("cli.dossier.received", code=d.code, due=stamp(d.due_at) if d.due_at else "-",
           status=printed.text))
    return printed.exit_code


# The intake check names the form's fields; on the command line they are these options.
_OPTIONS = {"applicant_name": "--name", "id_number": "--id", "procedure": "--procedure",
            "documents": "--doc", "ticket": "--ticket"}
_DOCUMENT_FIELD = re.compile(r"documents\.(\d+)\.(\w+)")


def option_of(field: str | None) -> str:
    """The option of a field the intake check names: applicant_name -> --name,
    documents.0.copies -> --doc 1 (copies)."""
    if not field:
        return "-"
    found = _DOCUMENT_FIELD.fullmatch(field)
    if found:
        return f"--doc {int(found.group(1)) + 1} ({found.group(2)})"
    return _OPTIONS.get(field, "--" + field.replace("_", "-"))


def show_dossier(args: argparse.Namespace, ctx: Context) -> int:
    from counter_tui.core.slips import stamp
    from counter_tui.core.views import jsonable
    from counter_tui.services import dossiers

    d = dossiers.show(ctx.store, args.code)
    shown_id = dossiers.reveal_id(ctx.store, d.code) if args.show_id else d.id_number_masked
    lines = [f"{d.code}  {d.applicant_name}  {d.phone}", d.procedure_name,
             t("cli.dossier.times", received=stamp(d.received_at),
               due=stamp(d.due_at) if d.due_at else "-")]
    if shown_id:
        lines.insert(1, t("cli.dossier.id_number", id=shown_id, kind=d.id_kind.upper()))
    lines += [f"  - {x.name} ({x.originals}/{x.copies})" for x in d.documents]
    data = jsonable(d)
    if args.show_id:
        data["id_number"] = shown_id
    emit(data, args.json, "\n".join(lines))
    return 0


def find_dossiers(args: argparse.Namespace, ctx: Context) -> int:
    from counter_tui.services import lookup

    found = lookup.find(ctx.store, args.text, page=args.page)
    text = "\n".join(f"{s.code}  {s.applicant_name}  {s.phone}  {s.received_at:%d/%m/%Y}"
                     for s in found.items) or t("cli.find.none")
    emit(found, args.json, text)
    return 0


def due_date(args: argparse.Namespace, ctx: Context) -> int:
    from counter_tui.core.errors import UserError
    from counter_tui.services import catalogue
    from counter_tui.services.calendar_days import calendar_of

    proc = catalogue.get(ctx.store, args.procedure)
    if proc is None:
        raise UserError("intake.procedure.unknown", field="procedure", code=args.procedure)
    try:
        received = (datetime.strptime(args.received.strip(), "%Y-%m-%d %H:%M")
                    if args.received else ctx.store.now())
    except ValueError:
        raise UserError("cli.calendar.received", value=args.received) from None
    due = calendar_of(ctx.store, received.date()).due_at(received, proc.processing_days,
                                                          proc.same_day_cutoff)
    emit({"due": due.strftime("%Y-%m-%dT%H:%M")}, args.json, due.strftime("%H:%M %d/%m/%Y"))
    return 0


def _day(raw: str) -> Any:
    from counter_tui.core.errors import UserError

    try:
        return datetime.strptime(raw.strip(), "%Y-%m-%d").date()
    except ValueError:
        raise UserError("cli.calendar.day", value=raw) from None


def set_calendar_day(args: argparse.Namespace, ctx: Context) -> int:
    from counter_tui.services import calendar_days

    entry = calendar_days.set_day(ctx.store, _day(args.day), working=args.working,
                                  note=args.note)
    shown = entry.day.strftime("%d/%m/%Y")
    emit({"day": entry.day.isoformat(), "working": entry.working, "note": entry.note},
         args.json, t("cli.calendar.worked", day=shown) if entry.working
         else t("cli.calendar.off", day=shown))
    return 0


def clear_calendar_day(args: argparse.Namespace, ctx: Context) -> int:
    from counter_tui.services import calendar_days

    day = _day(args.day)
    gone = calendar_days.clear_day(ctx.store, day)
    emit({"day": day.isoformat(), "cleared": gone}, args.json,
         t("cli.calendar.cleared" if gone else "cli.calendar.not_listed",
           day=day.strftime("%d/%m/%Y")))
    return 0


def list_calendar_days(args: argparse.Namespace, ctx: Context) -> int:
    from counter_tui.commands.output import terminal_safe
    from counter_tui.services import calendar_days

    days = calendar_days.listed(ctx.store, args.year)
    kinds = {True: t("cli.calendar.kind_work"), False: t("cli.calendar.kind_off")}
    lines = [f"{d.day:%d/%m/%Y}  {kinds[d.working]:<10}  {terminal_safe(d.note)}".rstrip()
             for d in days]
    emit([{"day": d.day.isoformat(), "working": d.working, "note": d.note} for d in days],
         args.json, "\n".join(lines) or t("cli.calendar.none"))
    return 0
