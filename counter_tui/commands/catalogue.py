"""`counter-tui catalogue …`: load or update the procedures catalogue from a CSV file."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from counter_tui.commands import Context, UsageError, emit
from counter_tui.core.i18n import t


def register(sub: Any) -> None:
    cat = sub.add_parser("catalogue", help="the procedures catalogue")
    actions = cat.add_subparsers(dest="action", required=True)
    imp = actions.add_parser("import", help="add or update procedures from a CSV file")
    imp.add_argument("file")
    imp.add_argument("--json", action="store_true")
    imp.set_defaults(handler=import_file)


def import_file(args: argparse.Namespace, ctx: Context) -> int:
    from counter_tui.services import catalogue

    if not Path(args.file).is_file():
        raise UsageError("cli.file_missing", path=args.file)
    report = catalogue.import_csv(ctx.store, args.file)
    lines = [t("cli.catalogue.summary", added=report.added, updated=report.updated,
               unchanged=report.unchanged, rejected=len(report.rejected))]
    lines += [t("cli.catalogue.line", line=line, code=code, reason=why)
              for line, code, why in report.rejected]
    emit({"added": report.added, "updated": report.updated, "unchanged": report.unchanged,
          "rejected": [{"line": ln, "code": c, "reason": r} for ln, c, r in report.rejected]},
         args.json, "\n".join(lines))
    return 0
