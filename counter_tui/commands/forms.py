"""`counter-tui dossier form` and `counter-tui report register-form`: the legal forms as PDF.

    dossier form CODE --form 01 --output FILE.pdf   Mẫu 01-05 of a dossier, written to a file
    dossier form CODE --form 01 --print             ... or queued on the office printer
    dossier form --template 01 --output FILE        the shipped template, to start an office's own
    report register-form --from D --to D --output FILE.pdf   Mẫu 06 for a period (or --print)
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from counter_tui.commands import Context, say
from counter_tui.core.i18n import t


def register_dossier(actions: Any) -> None:
    form = actions.add_parser("form", help="a legal form (Mẫu 01-05) of a dossier as PDF")
    form.add_argument("code", nargs="?", default="")
    form.add_argument("--form", default="01", help="01 receipt, 02 supplements, 03 refusal, "
                                                  "04 apology, 05 control sheet")
    form.add_argument("--paper", choices=("A4", "A5", "a4", "a5"), default=None,
                      help="default: [forms] paper")
    form.add_argument("--output", default=None, help="the PDF file to write")
    form.add_argument("--print", action="store_true",
                      help="queue it on the office printer ([forms] output)")
    form.add_argument("--template", action="store_true",
                      help="write the form's shipped template to --output instead")
    form.set_defaults(handler=dossier_form)


def register_report(kinds: Any, date_type: Any) -> None:
    reg = kinds.add_parser("register-form", help="the dossier register (Mẫu 06) as PDF")
    reg.add_argument("--from", dest="start", type=date_type, required=True)
    reg.add_argument("--to", dest="end", type=date_type, required=True)
    reg.add_argument("--paper", choices=("A4", "A5", "a4", "a5"), default=None)
    reg.add_argument("--output", default=None, help="the PDF file to write")
    reg.add_argument("--print", action="store_true", help="queue it on the office printer")
    reg.set_defaults(handler=register_form)


def _write(ctx: Context, form: Any, context: dict[str, Any], paper: str | None,
           output: str) -> int:
    from counter_tui.printing.pdf.output import form_pdf
    from counter_tui.services.legal_forms import form_slip

    page = form_slip(ctx.store, form, context, paper or "").blocks[0]
    data = form_pdf(page)  # type: ignore[arg-type]
    Path(output).write_bytes(data)
    say(t("cli.form.written", form=form.label, path=output, size=len(data) // 1024 + 1))
    return 0


def _need_target(args: argparse.Namespace) -> None:
    from counter_tui.commands import UsageError

    if not args.output and not args.print:
        raise UsageError("cli.form.no_target")


def dossier_form(args: argparse.Namespace, ctx: Context) -> int:
    from counter_tui.commands import UsageError
    from counter_tui.core.legal_forms import Form, parse_form

    form = parse_form(args.form)
    if args.template:
        from counter_tui.printing.pdf.templates import SHIPPED, template_name

        if not args.output:
            raise UsageError("cli.form.no_target")
        Path(args.output).write_text((SHIPPED / template_name(form)).read_text("utf-8"),
                                     "utf-8")
        say(t("cli.form.template", form=form.label, path=args.output))
        return 0
    if form is Form.REGISTER:
        raise UsageError("cli.form.register_elsewhere")
    if not args.code:
        raise UsageError("cli.form.no_code")
    _need_target(args)
    from counter_tui.services import legal_forms

    if args.print:
        from counter_tui.commands.queue import print_now

        printed = print_now(ctx, legal_forms.print_form(ctx.store, args.code, form,
                                                        paper=args.paper or ""))
        say(t("cli.form.queued", form=form.label, status=printed.text))
        if printed.exit_code or not args.output:
            return printed.exit_code
    context = legal_forms.dossier_context(ctx.store, args.code, form)
    return _write(ctx, form, context, args.paper, args.output)


def register_form(args: argparse.Namespace, ctx: Context) -> int:
    from counter_tui.core.legal_forms import Form
    from counter_tui.services import legal_forms

    _need_target(args)
    if args.print:
        from counter_tui.commands.queue import print_now

        printed = print_now(ctx, legal_forms.queue_register(ctx.store, args.start, args.end,
                                                            paper=args.paper or ""))
        say(t("cli.form.queued", form=Form.REGISTER.label, status=printed.text))
        if printed.exit_code or not args.output:
            return printed.exit_code
    context = legal_forms.register_context(ctx.store, args.start, args.end)
    return _write(ctx, Form.REGISTER, context, args.paper, args.output)
