"""`counter-tui audit verify | show` and `counter-tui privacy purge`: the auditor's and the
administrator's hands on personal data.

`audit verify` proves the log was not edited (exit 0), or names the first entry that breaks the
chain (exit 1). `audit show` lists who looked at or changed what, for a supervisor: by officer,
by dossier, between two days, or the searches for one ID number or phone (`--searched`), which
the log keeps only as a keyed hash. `privacy purge` anonymises dossiers past their retention.
"""

from __future__ import annotations

import argparse
from typing import Any

from counter_tui.commands import Context, emit
from counter_tui.commands.reports import _date
from counter_tui.core.i18n import t

EXIT_BROKEN = 1


def register(sub: Any) -> None:
    audit = sub.add_parser("audit", help="check the audit log's chain; list its entries")
    actions = audit.add_subparsers(dest="action", required=True)
    verify = actions.add_parser("verify", help="prove the log was not edited (exit 1 if it was)")
    verify.add_argument("--json", action="store_true")
    verify.set_defaults(handler=verify_log)
    show = actions.add_parser("show", help="who looked at or changed what, newest first")
    show.add_argument("--officer", help="one officer's entries (username)")
    show.add_argument("--dossier", help="the entries about one dossier (its code)")
    show.add_argument("--from", dest="start", type=_date, help="from this day (inclusive)")
    show.add_argument("--to", dest="end", type=_date, help="to this day (inclusive)")
    show.add_argument("--searched", metavar="NUMBER",
                      help="the searches for this ID number or phone (matched by its hash)")
    show.add_argument("--limit", type=int, default=1000)
    show.add_argument("--json", action="store_true")
    show.set_defaults(handler=show_log)

    privacy = sub.add_parser("privacy", help="personal data past its retention")
    privacy_actions = privacy.add_subparsers(dest="action", required=True)
    purge = privacy_actions.add_parser(
        "purge", help="anonymise dossiers closed before a day whose retention has ended")
    purge.add_argument("--before", type=_date, required=True, help="YYYY-MM-DD or DD/MM/YYYY")
    purge.add_argument("--json", action="store_true")
    purge.set_defaults(handler=purge_data)


def verify_log(args: argparse.Namespace, ctx: Context) -> int:
    from counter_tui.services import audit

    verdict = audit.verify(ctx.store)
    broken = verdict.first_break
    data = {"intact": verdict.intact, "entries": verdict.count, "head_seq": verdict.head_seq,
            "head_hash": verdict.head_hash,
            "first_bad": None if broken is None else {"id": broken.id, "seq": broken.seq,
                                                      "reason": broken.reason}}
    if broken is None:
        text = t("cli.audit.intact", count=verdict.count, seq=verdict.head_seq,
                 hash=verdict.head_hash)
    elif broken.reason == "cut":
        text = t("cli.audit.cut", seq=broken.seq)
    else:
        text = t(f"cli.audit.broken.{broken.reason}", id=broken.id, seq=broken.seq)
    emit(data, args.json, text)
    return 0 if broken is None else EXIT_BROKEN


def _searched(text: str | None) -> tuple[str, str] | None:
    if not text:
        return None
    from counter_tui.core.errors import UserError
    from counter_tui.services.lookup import classify

    kind, key = classify(text)
    if kind not in ("id", "phone"):
        raise UserError("cli.audit.searched", field="searched")
    return kind, key


def show_log(args: argparse.Namespace, ctx: Context) -> int:
    from counter_tui.services import audit

    rows = audit.entries(ctx.store, officer=args.officer, dossier=args.dossier,
                         start=args.start, end=args.end, searched_for=_searched(args.searched),
                         limit_rows=args.limit)
    lines = [f"{r.seq:>7}  {r.at:%d/%m/%Y %H:%M:%S}  {r.officer:<12} "
             f"{r.counter if r.counter is not None else '-':>3}  {r.action:<22} {r.subject}"
             + (f"  [{' '.join(r.dossiers)}]" if r.dossiers and r.dossiers != (r.subject,)
                else "")
             for r in rows]
    emit(rows, args.json, "\n".join(lines) or t("cli.audit.none"))
    return 0


def purge_data(args: argparse.Namespace, ctx: Context) -> int:
    from counter_tui.services import privacy

    report = privacy.purge(ctx.store, args.before)
    emit(report, args.json, t("cli.privacy.purged", count=report.anonymised, kept=report.kept,
                              day=args.before.strftime("%d/%m/%Y")))
    return 0
