"""A form's job sent: laid out by its template, then handed to a CUPS queue or saved.

To CUPS it goes as a normal PDF job (`lp -d QUEUE`, never `-o raw`): the office printer's
driver scales and prints it like any document. Every failure is a PrinterError an officer can
read, and none is retried by itself: the job waits under "Lỗi in" for a reprint, so a form the
office printer refused never holds back the thermal slips queued after it.
"""

from __future__ import annotations

import json
import logging
import os
import re
import subprocess
import tempfile
from pathlib import Path

from counter_tui.core.errors import os_reason
from counter_tui.core.i18n import t
from counter_tui.core.layout import FormPage, Slip
from counter_tui.core.legal_forms import Form
from counter_tui.printing.transports.base import PrinterError

log = logging.getLogger(__name__)
LP_TIMEOUT = 20.0  # lp hands the file to the local CUPS spooler: seconds at most


def form_pdf(page: FormPage) -> bytes:
    """The PDF of a queued form."""
    from counter_tui.printing.pdf.render import render_pdf
    from counter_tui.printing.pdf.templates import layout_lines

    form = Form(page.form)
    context = json.loads(page.context)
    lines = layout_lines(form, context, override=page.templates)
    code = str(context.get("code", ""))
    return render_pdf(lines, paper=page.paper, landscape=form.landscape, code=code,
                      footer=f"Mẫu {form.value} {code}")


def file_name(page: FormPage) -> str:
    context = json.loads(page.context)
    code = re.sub(r"[^0-9A-Za-z.-]+", "_", str(context.get("code", "")))
    stamp = re.sub(r"\D", "", str(context.get("issued_year", ""))) or "form"
    return f"mau{page.form}-{code}-{stamp}"


def save(data: bytes, folder: str, stem: str) -> Path:
    """Write the PDF beside the earlier ones, never over one: name-2.pdf, name-3.pdf ..."""
    target = Path(folder)
    target.mkdir(parents=True, exist_ok=True)
    path, n = target / f"{stem}.pdf", 1
    while path.exists():
        n += 1
        path = target / f"{stem}-{n}.pdf"
    fd, tmp = tempfile.mkstemp(dir=target, suffix=".part")
    with os.fdopen(fd, "wb") as f:
        f.write(data)
    os.replace(tmp, path)  # whole or not at all: a half-written form is never there
    return path


def send_lp(data: bytes, queue: str, title: str, paper: str) -> None:
    """A normal CUPS job of the PDF on `queue`."""
    try:
        done = subprocess.run(["lp", "-d", queue, "-t", title, "-o", f"media={paper}"],
                              input=data, capture_output=True, timeout=LP_TIMEOUT)
    except subprocess.TimeoutExpired as exc:
        raise PrinterError(t("cups.timeout", seconds=LP_TIMEOUT), transient=False) from exc
    except OSError as exc:
        raise PrinterError(t("cups.none"), transient=False) from exc
    if done.returncode != 0:
        reason = (done.stderr or done.stdout).decode(errors="replace").strip()
        raise PrinterError(t("cups.error", queue=queue, reason=reason or
                             f"lp exit {done.returncode}"), transient=False)


def deliver_form(page: FormPage) -> None:
    try:
        data = form_pdf(page)
    except Exception as exc:  # a template an office broke must not stop the queue
        log.exception("form layout failed")
        raise PrinterError(t("legal_form.layout_failed", form=page.form, reason=str(exc)),
                           transient=False) from exc
    if page.output == "cups":
        send_lp(data, page.target, file_name(page), page.paper)
        return
    try:
        save(data, page.target, file_name(page))
    except OSError as exc:
        raise PrinterError(t("legal_form.save_failed", folder=page.target,
                             reason=os_reason(exc)), transient=False) from exc


def form_pages(slip: Slip) -> list[FormPage]:
    return [b for b in slip.blocks if isinstance(b, FormPage)]
