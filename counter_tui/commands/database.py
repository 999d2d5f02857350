"""`counter-tui db backup | restore | check`: the technician's hands on the store itself.

None of these opens the store the way a terminal does (no migration, no sync with config.toml,
no daily copy): a backup copies the store as it is, a restore replaces it, a check looks at it.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from counter_tui.commands import Context, emit, say
from counter_tui.core.i18n import t
from counter_tui.core.roles import Action


def register(sub: Any) -> None:
    db = sub.add_parser("db", help="back up, restore and check the store")
    actions = db.add_subparsers(dest="action", required=True)
    backup = actions.add_parser("backup", help="a checked copy of the store, taken while working")
    backup.add_argument("--to", type=Path, help="folder for the copy (default backup.folder)")
    backup.add_argument("--json", action="store_true")
    backup.set_defaults(handler=make_backup)
    restore = actions.add_parser("restore", help="replace the store by a backup")
    restore.add_argument("file", type=Path)
    restore.add_argument("--force", action="store_true",
                         help="even while terminals are connected (they are disconnected)")
    restore.add_argument("--json", action="store_true")
    restore.set_defaults(handler=restore_backup)
    check = actions.add_parser("check", help="integrity check, migrations and row counts")
    check.add_argument("--json", action="store_true")
    check.set_defaults(handler=check_store)


def size_text(size: int | None) -> str:
    if size is None:
        return "?"
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024  # type: ignore[assignment]
    return str(size)


def make_backup(args: argparse.Namespace, ctx: Context) -> int:
    from counter_tui.services.backup import make_backup as backup

    ctx.require(Action.STORE_MANAGE)
    made = backup(ctx.cfg, to=args.to)
    emit({"path": str(made.path), "size": made.size, "taken": made.taken.isoformat()},
         args.json, t("cli.db.backup_done", path=made.path, size=size_text(made.size)))
    return 0


def restore_backup(args: argparse.Namespace, ctx: Context) -> int:
    from counter_tui.services.restore import restore

    ctx.require(Action.STORE_MANAGE, then_close=True)
    before = restore(ctx.cfg, args.file, force=args.force)
    where = str(before.path) if before else None
    emit({"restored": str(args.file), "before": where}, args.json,
         t("cli.db.restored", path=args.file, before=where or t("cli.db.none")))
    return 0


def check_store(args: argparse.Namespace, ctx: Context) -> int:
    from counter_tui.services.restore import inspect
    from counter_tui.services.store import shown_url

    ctx.require(Action.STORE_MANAGE)
    report = inspect(ctx.cfg)
    url = shown_url(ctx.cfg.database.url)
    if args.json:
        emit({"engine": report.engine, "url": url, "size": report.size,
              "integrity": report.integrity, "applied": report.applied,
              "pending": report.pending, "counts": report.counts, "healthy": report.healthy},
             True, "")
        return 0 if report.healthy else 1
    say(t("cli.db.engine", engine=report.engine, url=url, size=size_text(report.size)))
    say(t("cli.db.integrity_ok") if report.integrity == "ok"
        else t("cli.db.integrity_bad", detail=report.integrity))
    say(t("cli.db.migrations", applied=len(report.applied),
          last=report.applied[-1] if report.applied else "-"))
    if report.pending:
        say(t("cli.db.pending", names=", ".join(report.pending)))
    say(t("cli.db.counts", counts=", ".join(f"{k} {v}" for k, v in report.counts.items())))
    return 0 if report.healthy else 1
