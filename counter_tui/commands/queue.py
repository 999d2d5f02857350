"""`counter-tui ticket …`: issue and call queue tickets from a kiosk button or a script.

Also the one rule for every command that stores a record and prints its slip at once (a ticket,
a receipt, a step's slip, the day's summary): the record is stored whatever the printer does;
the command exits 0 when the slip printed and 1 when it did not, saying why and how to reprint
it, so a kiosk script can tell the citizen to see the counter.
"""

from __future__ import annotations

import argparse
from typing import Any

from counter_tui.commands import Context, emit
from counter_tui.core import print_rules
from counter_tui.core.i18n import t
from counter_tui.core.records import frozen


def register(sub: Any) -> None:
    ticket = sub.add_parser("ticket", help="issue and call queue tickets")
    actions = ticket.add_subparsers(dest="action", required=True)
    issue = actions.add_parser("issue", help="issue a ticket and print it")
    issue.add_argument("group", help="series letter of the service group, e.g. A")
    issue.add_argument("--priority", nargs="?", const="elderly", default=None,
                       help="priority kind (elderly, disabled, pregnant, small_children, merit)")
    issue.add_argument("--json", action="store_true")
    issue.set_defaults(handler=issue_ticket)
    call = actions.add_parser("call", help="call the next ticket to a counter")
    call.add_argument("--counter", type=int, required=True)
    call.add_argument("--json", action="store_true")
    call.set_defaults(handler=call_next)


@frozen
class Printed:
    """What became of a slip sent at once: the job's state and error as stored, and the words
    for people (the state's own label, and how to reprint when it did not print)."""

    job: int
    state: str
    error: str

    @property
    def ok(self) -> bool:
        return self.state == "sent"

    @property
    def exit_code(self) -> int:
        return 0 if self.ok else 1

    @property
    def text(self) -> str:
        if self.ok:
            return t("cli.print.sent")
        return t("cli.print.not_sent", state=print_rules.state_label(self.state),
                 reason=self.error or "-", job=self.job)

    def json(self) -> dict[str, Any]:
        return {"job": self.job, "status": self.state, "error": self.error}


def print_now(ctx: Context, job_id: int) -> Printed:
    """Send one job at once, as a kiosk must, and say what became of it."""
    return Printed(job_id, *print_job_now(ctx, job_id))


def print_job_now(ctx: Context, job_id: int) -> tuple[str, str]:
    """Send one job at once and return its stored state and error."""
    from functools import partial

    from counter_tui.printing.spooler import drain
    from counter_tui.services import printjobs

    store = ctx.store
    # until: once it is sent there is nothing more to claim (a second claim, a transaction,
    # would only find that out)
    drain(partial(printjobs.claim, store, job_id), partial(printjobs.sent, store),
          lambda jid, reason, _, maybe_printed: printjobs.failed(
              store, jid, reason, transient=False, maybe_printed=maybe_printed),
          ctx.cfg.printer, until=job_id)
    return printjobs.status(store, job_id)


def issue_ticket(args: argparse.Namespace, ctx: Context) -> int:
    from counter_tui.services import queue

    issued = queue.issue(ctx.store.as_terminal(None, "kiosk"), args.group, args.priority)
    printed = print_now(ctx, issued.print_job)
    tk = issued.ticket
    data = {"number": tk.code, "group": tk.group, "group_name": tk.group_name,
            "issued_at": tk.issued_at, "ahead": tk.ahead, "priority": tk.priority,
            "print": printed.json()}
    emit(data, args.json, t("cli.ticket.issued", code=tk.code, group=tk.group_name,
                            ahead=tk.ahead, status=printed.text))
    return printed.exit_code


def call_next(args: argparse.Namespace, ctx: Context) -> int:
    from counter_tui.services import queue

    store = ctx.store.as_terminal(args.counter, ctx.store.officer)
    ticket = queue.call_next(store, args.counter)
    if ticket is None:
        emit({"number": None, "counter": args.counter}, args.json, t("cli.ticket.none"))
        return 0
    emit({"number": ticket.code, "group": ticket.group, "counter": args.counter,
          "called_at": ticket.called_at, "priority": ticket.priority}, args.json,
         t("cli.ticket.called", code=ticket.code, counter=args.counter))
    return 0
