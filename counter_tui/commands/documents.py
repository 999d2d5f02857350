"""`counter-tui dossier attach|scan|file|verify-files`: a dossier's digitised documents.

    dossier attach CODE FILE... [--document NAME] [--result]   files scanned elsewhere
    dossier scan CODE [--document NAME] [--device DEV] [--result]   from the counter's scanner
    dossier file CODE [--document NAME] --output FILE.pdf    a document's PDF, checked, audited
    dossier verify-files                                     every file against its hash

Without --document, the document is the checklist's only one, else it must be named (the
command lists the checklist); a result scanned without a name is "Kết quả".
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import Any

from counter_tui.commands import Context, UsageError, emit, say
from counter_tui.core.errors import os_reason
from counter_tui.core.i18n import t


def register_dossier(actions: Any) -> None:
    attach = actions.add_parser("attach", help="attach files scanned elsewhere to a dossier")
    attach.add_argument("code")
    attach.add_argument("files", nargs="+", metavar="FILE", help="PDF, JPEG, PNG or TIFF")
    _common(attach)
    attach.set_defaults(handler=attach_files)

    scan = actions.add_parser("scan", help="scan a dossier's document on the counter's scanner")
    scan.add_argument("code")
    scan.add_argument("--device", default=None, help="SANE device (default: [scanner] device)")
    _common(scan)
    scan.set_defaults(handler=scan_document)

    out = actions.add_parser("file", help="a dossier's digitised document, written to a file")
    out.add_argument("code")
    out.add_argument("--document", default="", help="the document's name")
    out.add_argument("--output", required=True, help="the PDF file to write")
    out.set_defaults(handler=write_file)

    verify = actions.add_parser("verify-files",
                                help="check every digitised document against its hash")
    verify.add_argument("--json", action="store_true")
    verify.set_defaults(handler=verify_files)


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--document", default="",
                        help="the document's name (default: the checklist's only one)")
    parser.add_argument("--result", action="store_true",
                        help="the result handed back, not a component received")
    parser.add_argument("--json", action="store_true")


def _document(args: argparse.Namespace, ctx: Context) -> tuple[str, str]:
    from counter_tui.services import documents

    stage = "result" if args.result else "received"
    if args.document or args.result:
        return args.document, stage
    names = documents.checklist(ctx.store, args.code)
    if len(names) != 1:
        raise UsageError("cli.documents.name_one", code=args.code,
                         documents="; ".join(names) or "-")
    return names[0], stage


def _done(args: argparse.Namespace, view: Any, seconds: float | None = None) -> int:
    data = {"code": args.code, "document": view.document, "stage": view.stage,
            "pages": view.pages, "bytes": view.bytes, "sha256": view.sha256}
    if seconds is not None:
        data["seconds"] = round(seconds, 3)
    emit(data, args.json, t("cli.documents.kept", code=args.code, document=view.document,
                            pages=view.pages, size=max(1, view.bytes // 1024)))
    return 0


def attach_files(args: argparse.Namespace, ctx: Context) -> int:
    from counter_tui.services import documents

    document, stage = _document(args, ctx)
    view = documents.attach(ctx.store, args.code, [Path(f) for f in args.files], document,
                            stage=stage)
    return _done(args, view)


def scan_document(args: argparse.Namespace, ctx: Context) -> int:
    from counter_tui.services import documents

    document, stage = _document(args, ctx)
    view, scanned = documents.scan(ctx.store, args.code, document, stage=stage,
                                   device=args.device)
    return _done(args, view, scanned.seconds)


def write_file(args: argparse.Namespace, ctx: Context) -> int:
    from counter_tui.core.errors import UserError
    from counter_tui.services import documents

    file_id = documents.find_file(ctx.store, args.code, args.document)
    view, data = documents.open_file(ctx.store, file_id)
    try:  # the reader's own copy of personal data: only theirs to read
        fd = os.open(args.output, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as out:
            out.write(data)
    except OSError as exc:
        raise UserError("documents.cannot_write", path=args.output,
                        reason=os_reason(exc)) from exc
    say(t("cli.documents.written", document=view.document, pages=view.pages,
          path=args.output))
    return 0


def verify_files(args: argparse.Namespace, ctx: Context) -> int:
    from counter_tui.services import documents

    result = documents.verify(ctx.store)
    lines = [t(f"cli.documents.{p.kind}", code=p.code, document=p.document)
             for p in result.problems]
    lines += [t("cli.documents.unrecorded", path=path) for path in result.unrecorded]
    lines.append(t("cli.documents.verified", checked=result.checked,
                   problems=len(result.problems), unrecorded=len(result.unrecorded)))
    emit({"checked": result.checked, "unrecorded": result.unrecorded,
          "problems": [{"code": p.code, "document": p.document, "stage": p.stage,
                        "kind": p.kind} for p in result.problems]},
         args.json, "\n".join(lines))
    return 0 if result.ok else 1
