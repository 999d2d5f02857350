"""`counter-tui dossier status|history|worklist`: the dossier lifecycle from scripts.

    counter-tui dossier status CODE --to 4 --unit "Công chức Tư pháp - Hộ tịch" \
        --received-by "Lê Văn Hùng"
    counter-tui dossier status CODE --to supplement --missing "Giấy chứng sinh" \
        --reason "Thiếu bản chính" --deadline 20/05/2026
    counter-tui dossier status CODE --to 10 --collected-by "Nguyễn Văn An" --id 001090012345 \
        --rating 5
    counter-tui dossier status CODE --new-due 22/05/2026 --reason "Cần xác minh"   (Mẫu 04)
    counter-tui dossier history CODE --json
    counter-tui dossier worklist overdue --json

A move the transition table does not allow exits 1 with the reason (in the configured
language) and stores nothing; the slip of a move is printed at once, like a receipt, and a
move stored whose slip did not print exits 1 too (see commands.queue).
"""

from __future__ import annotations

import argparse
from typing import Any

from counter_tui.commands import Context, emit
from counter_tui.core.i18n import t
from counter_tui.core.lifecycle import WORKLISTS

STATUS_HELP = ("1-10 or a name: received, processing, supplement, payment, refused, withdrawn, "
               "stopped, ready, returned")


def register(actions: Any) -> None:
    """Add `status`, `history` and `worklist` to `counter-tui dossier`."""
    status = actions.add_parser(
        "status", help="move a dossier to another status, or apologise with a new date")
    status.add_argument("code")
    status.add_argument("--to", default=None, help=STATUS_HELP)
    status.add_argument("--note", default="")
    status.add_argument("--reason", default="",
                        help="why: supplements, refusal, stop, withdrawal, payment, apology")
    status.add_argument("--missing", action="append", default=[],
                        help="a document to add (repeat), for --to supplement")
    status.add_argument("--deadline", default=None, help="dd/mm/yyyy, for --to supplement")
    status.add_argument("--document", action="append", default=[],
                        help="a supplement received (repeat), when leaving status 5")
    status.add_argument("--unit", default="", help="the receiving unit of a hand-over")
    status.add_argument("--received-by", default="",
                        help="who took the dossier (required for a hand-over)")
    status.add_argument("--given-by", default="",
                        help="who gave it (default: the officer; required for --to ready "
                             "from a unit)")
    status.add_argument("--amount", default=None, help="amount to pay, for --to payment")
    status.add_argument("--new-due", default=None,
                        help="apology (Mẫu 04): the new appointment, dd/mm/yyyy [HH:MM]")
    status.add_argument("--method", default=None, choices=("counter", "post"),
                        help="how the result is returned (default: counter)")
    status.add_argument("--collected-by", default="", help="who took the result")
    status.add_argument("--id", default="", help="ID number checked when the result is taken")
    status.add_argument("--waybill", default="", help="waybill of a result sent by post")
    status.add_argument("--delivered", default=None,
                        help="when the post delivered the result (HH:MM dd/mm/yyyy)")
    status.add_argument("--rating", default=None, help="satisfaction on the configured scale")
    status.add_argument("--json", action="store_true")
    status.set_defaults(handler=change_status)

    history = actions.add_parser("history", help="every event of a dossier, oldest first")
    history.add_argument("code")
    history.add_argument("--json", action="store_true")
    history.set_defaults(handler=show_history)

    worklist = actions.add_parser("worklist", help="an officer's worklist")
    worklist.add_argument("name", choices=WORKLISTS)
    worklist.add_argument("--limit", type=int, default=200)
    worklist.add_argument("--json", action="store_true")
    worklist.set_defaults(handler=show_worklist)


def _stamp(moment: Any) -> str:
    return moment.strftime("%H:%M %d/%m/%Y") if moment else "-"


def _change(args: argparse.Namespace, ctx: Context) -> Any:
    from counter_tui.core.errors import UserError
    from counter_tui.services import lifecycle

    store = ctx.store
    if args.to is not None:
        return lifecycle.change_status(
            store, args.code, args.to, note=args.note, reason=args.reason,
            missing=args.missing, deadline=args.deadline, unit=args.unit,
            received_by=args.received_by, given_by=args.given_by,
            collected_by=args.collected_by, id_number=args.id, method=args.method,
            waybill=args.waybill, rating=args.rating, amount=args.amount,
            documents=args.document)
    if args.new_due is not None:
        return lifecycle.apologise(store, args.code, reason=args.reason, new_due=args.new_due,
                                   note=args.note)
    if args.unit:
        return lifecycle.handover(store, args.code, to_unit=args.unit,
                                  received_by=args.received_by, given_by=args.given_by,
                                  note=args.note)
    if args.delivered is not None:
        return lifecycle.record_delivery(store, args.code, delivered_at=args.delivered,
                                         note=args.note)
    if args.rating is not None:
        return lifecycle.rate(store, args.code, args.rating, note=args.note)
    raise UserError("cli.lifecycle.need_to", field="to")


def change_status(args: argparse.Namespace, ctx: Context) -> int:
    from counter_tui.commands.queue import print_now
    from counter_tui.services import lifecycle

    change = _change(args, ctx)
    printed = print_now(ctx, change.print_job) if change.print_job is not None else None
    d = change.dossier
    data = {
        "code": d.code, "action": change.action, "from": change.from_status,
        "to": change.to_status, "status": d.status, "status_label": d.status_label,
        "due": d.due_at, "original_due": d.original_due_at, "apology_due": d.apology_due_at,
        "appointment": d.appointment_at, "paused_at": d.paused_at,
        "supplement_deadline": d.supplement_deadline, "resolved_at": d.resolved_at,
        "returned_at": d.returned_at, "holder": d.holder, "ontime": d.ontime,
        "ontime_label": d.ontime_label, "rating": d.rating, "rating_label": d.rating_label,
        "data": change.data,
        "print": printed.json() if printed is not None else None,
    }
    text = lifecycle.describe(change)
    if printed is not None:
        text += " · " + t("cli.lifecycle.print", status=printed.text)
    emit(data, args.json, text)
    return printed.exit_code if printed is not None else 0


def show_history(args: argparse.Namespace, ctx: Context) -> int:
    from counter_tui.core.event_text import details_line
    from counter_tui.core.statuses import status_label
    from counter_tui.services import lifecycle

    entries = lifecycle.history(ctx.store, args.code)
    lines = []
    for e in entries:
        moved = status_label(e.to_status) if e.to_status is not None else ""
        if e.from_status is not None:
            moved = f"{status_label(e.from_status)} → {moved}"
        details = details_line(e.data)
        lines.append("  ".join(x for x in (_stamp(e.at), e.action_label, moved,
                                            e.officer or "", e.note, details) if x))
    emit({"code": args.code.strip(), "events": entries}, args.json, "\n".join(lines))
    return 0


def show_worklist(args: argparse.Namespace, ctx: Context) -> int:
    from counter_tui.core.statuses import status_label
    from counter_tui.services import worklists

    found = worklists.worklist(ctx.store, args.name, limit=max(1, args.limit))
    lines = [f"{i.code}  {i.applicant_name}  {status_label(i.status)}  "
             f"{_stamp(i.appointment_at)}  {i.ontime_label}" for i in found.items]
    emit(found, args.json, "\n".join(lines) or t("cli.lifecycle.none"))
    return 0
