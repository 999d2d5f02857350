"""`counter-tui sync status | now | verify | run | conflicts`: the office's link to the
district's centre.

`status` reads the office's own store (it answers while the link is down); `now` makes one pass
and says what went up and came down; `verify` compares the office with what the centre holds
of it (exit 1 naming any difference); `run` makes passes for ever, with back-off while the
link is down: the office's sync service (README, "Offices that sync to the district");
`conflicts`, on the centre, lists the offices' rows it had changed too and that the offices'
versions replaced (the centre's version kept beside each).
"""

from __future__ import annotations

import argparse
import datetime as dt
import signal
import threading
from typing import Any

from counter_tui.commands import Context, emit, say
from counter_tui.core.i18n import t
from counter_tui.core.roles import Action

EXIT_DIFFERENT = 1


def register(sub: Any) -> None:
    sync = sub.add_parser("sync", help="the link to the district's central store")
    actions = sync.add_subparsers(dest="action", required=True)
    status = actions.add_parser("status", help="last sent, changes waiting, link down since")
    status.add_argument("--json", action="store_true")
    status.set_defaults(handler=show_status)
    now = actions.add_parser("now", help="send what waits and take what changed, once")
    now.add_argument("--json", action="store_true")
    now.set_defaults(handler=sync_now)
    verify = actions.add_parser("verify", help="compare this office with the centre's copy")
    verify.add_argument("--json", action="store_true")
    verify.set_defaults(handler=verify_centre)
    run = actions.add_parser("run", help="keep the centre up to date (the sync service)")
    run.set_defaults(handler=run_service)
    found = actions.add_parser("conflicts", help="on the centre: offices' rows it had "
                               "changed too, replaced by the offices' versions")
    found.add_argument("--limit", type=int, default=50)
    found.add_argument("--json", action="store_true")
    found.set_defaults(handler=show_conflicts)


def when(moment: dt.datetime | None) -> str:
    """A moment of the link's life as the technician reads it (`sync status`, `doctor`)."""
    return moment.strftime("%d/%m/%Y %H:%M:%S") if moment else t("sync.never")


def _iso(moment: dt.datetime | None) -> str | None:
    return moment.isoformat(sep=" ") if moment else None


def show_status(args: argparse.Namespace, ctx: Context) -> int:
    from counter_tui.services.sync.status import status

    ctx.require(Action.REPORT_VIEW)
    s = status(ctx.store)
    data = {"configured": s.configured, "centre": s.centre, "enabled": s.enabled,
            "waiting": s.waiting, "sent_rows": s.sent_rows,
            "last_sent_at": _iso(s.last_sent_at), "last_contact_at": _iso(s.last_contact_at),
            "down_since": _iso(s.down_since), "error": s.error}
    if not s.configured:
        text = t("sync.status.off")
    else:
        lines = [t("sync.status.centre", centre=s.centre),
                 t("sync.status.sent", rows=s.sent_rows, at=when(s.last_sent_at)),
                 t("sync.status.waiting", count=s.waiting)]
        if s.down_since is not None:
            lines.append(t("sync.status.down", since=when(s.down_since), reason=s.error))
        else:
            lines.append(t("sync.status.up", at=when(s.last_contact_at)))
        text = "\n".join(lines)
    emit(data, args.json, text)
    return 0


def _link(ctx: Context) -> Any:
    from counter_tui.services.sync.runner import Link

    ctx.require(Action.STORE_MANAGE)
    return Link(ctx.store)


def _down(exc: Exception) -> Exception:
    from counter_tui.core.errors import UserError

    return UserError("sync.link_down", reason=str(exc))


def sync_now(args: argparse.Namespace, ctx: Context) -> int:
    from counter_tui.services.sync import centre
    from counter_tui.services.sync.runner import record_down

    link = _link(ctx)
    try:
        result = link.run_pass(pull_now=True, budget=24 * 3600)
    except centre.LinkDown as exc:
        record_down(ctx.store, str(exc))
        raise _down(exc) from exc
    finally:
        link.close()
    data = {"sent": result.sent, "batches": result.batches, "waiting": result.waiting,
            "history_noted": result.noted, "procedures": result.procedures,
            "accounts": result.accounts, "days": result.days, "blocked": result.blocked}
    text = t("sync.now.done", sent=result.sent, batches=result.batches,
             count_waiting=result.waiting, procedures=result.procedures,
             accounts=result.accounts)
    if result.days:
        text += " " + t("sync.now.days", count=result.days)
    emit(data, args.json, text)
    return 0


def verify_centre(args: argparse.Namespace, ctx: Context) -> int:
    from counter_tui.services.sync import centre
    from counter_tui.services.sync.runner import record_up
    from counter_tui.services.sync.verify import SHOWN_IDS, verify

    link = _link(ctx)
    try:
        centre.connect(link.db, link.cfg.timeout)
        with centre.deadline(link.db, max(link.cfg.timeout, 600)):
            report = verify(ctx.store, link.db)
    except centre.LinkDown as exc:
        raise _down(exc) from exc
    finally:
        link.close()
    record_up(ctx.store)  # the centre answered: sync status no longer says the link is down
    data = {"office": report.office, "clean": report.clean, "waiting": report.waiting,
            "audit_intact": report.audit_intact, "audit_entries": report.audit_entries,
            "conflicts": report.conflicts,
            "tables": [{"table": s.table, "office": s.office_count, "centre": s.centre_count,
                        "days": s.days} for s in report.tables],
            "differences": [{"table": d.table, "day": d.day, "office": d.office_count,
                             "centre": d.centre_count, "missing": list(d.missing),
                             "extra": list(d.extra), "different": list(d.different)}
                            for d in report.differences]}
    lines = [t("sync.verify.table", table=s.table, office=s.office_count, centre=s.centre_count,
               days=s.days) for s in report.tables]

    def ids(values: tuple[int, ...]) -> str:
        shown = ", ".join(str(v) if v else "?" for v in values[:SHOWN_IDS])
        return shown + (f" (+{len(values) - SHOWN_IDS})" if len(values) > SHOWN_IDS else "")

    for d in report.differences:
        lines.append(t("sync.verify.difference", table=d.table, day=d.day or "-",
                       office=d.office_count, centre=d.centre_count))
        for kind, values in (("missing", d.missing), ("extra", d.extra),
                             ("different", d.different)):
            if values:
                lines.append(t(f"sync.verify.{kind}", ids=ids(values)))
    if not report.audit_intact:
        lines.append(t("sync.verify.audit_broken", entries=report.audit_entries))
    if report.conflicts:
        lines.append(t("sync.verify.conflicts", count=report.conflicts))
    if report.waiting and not report.clean:
        lines.append(t("sync.verify.waiting", count=report.waiting))
    lines.append(t("sync.verify.clean") if report.clean else
                 t("sync.verify.dirty", count=len(report.differences)))
    emit(data, args.json, "\n".join(lines))
    return 0 if report.clean else EXIT_DIFFERENT


def run_service(args: argparse.Namespace, ctx: Context) -> int:
    from counter_tui.services.sync.runner import run_forever

    ctx.require(Action.STORE_MANAGE)
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    say(t("sync.run.started", centre=_link_url(ctx)))
    run_forever(ctx.store, stop)
    return 0


def _link_url(ctx: Context) -> str:
    from counter_tui.services.sync.centre import shown

    return shown(ctx.cfg.sync.url)


def show_conflicts(args: argparse.Namespace, ctx: Context) -> int:
    from counter_tui.commands.output import terminal_safe
    from counter_tui.services.sync.status import conflicts

    found, total = conflicts(ctx.store, max(1, args.limit))
    data = {"total": total, "conflicts": [
        {"office": c.office, "table": c.table, "local_id": c.local_id, "at": _iso(c.at),
         "centre_row": c.centre_row} for c in found]}
    lines = [f"{c.at:%d/%m/%Y %H:%M}  {terminal_safe(c.office_name)} ({c.office})  "
             f"{c.table} #{c.local_id}" for c in found]
    text = "\n".join([t("sync.conflicts.total", count=total, shown=len(found)), *lines]) \
        if total else t("sync.conflicts.none")
    emit(data, args.json, text)
    return 0
