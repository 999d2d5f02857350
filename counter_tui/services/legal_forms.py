"""The legal forms (Mẫu 01-06) from the store: their data, and their jobs in the print queue.

A form is built from the same rows its thermal slip is (the dossier, its documents and
events, the hand-over steps, the register's lines) and queued as a job of the same print
queue, so a form the office printer refused waits under "Lỗi in" with its reason and is
reprinted like any slip. Per slip kind, `[forms]` in config.toml says whether the thermal
slip, the form, or both print (`beside`). Reading a form shows personal data: it is gated by
the role matrix and written to the audit log.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from counter_tui.core.layout import Cut, FormPage, Slip
from counter_tui.core.legal_forms import FORM_OF_SLIP, Form, Office, dossier_form, register_form
from counter_tui.core.report.tables import REGISTER_COLUMNS
from counter_tui.core.roles import Action
from counter_tui.core.views import jsonable
from counter_tui.db.models import Dossier, Procedure
from counter_tui.services import audit, authority, dossiers
from counter_tui.services.store import Store


def office_of(store: Store) -> Office:
    o, f = store.cfg.office, store.cfg.forms
    return Office(name=o.name, authority=f.authority, place=f.place, address=o.address,
                  phone=o.phone)


def _officer(store: Store) -> str:
    from counter_tui.services.lifecycle.recording import officer_name

    return officer_name(store.officer) or store.cfg.terminal.officer_name


def _context(store: Store, form: Form, d: Dossier) -> dict[str, Any]:
    """Inside the caller's transaction: the form's context for the dossier as it is now."""
    steps: tuple[Any, ...] = ()
    if form is Form.CONTROL:
        from counter_tui.services.lifecycle.control_sheet import handover_steps

        steps = handover_steps(d)
    proc = Procedure.get_or_none(Procedure.code == d.procedure_code)
    return dossier_form(form, dossiers.view(d), office_of(store), officer=_officer(store),
                        issued_at=store.now(), steps=steps,
                        processing_days=proc.processing_days if proc else None)


def dossier_context(store: Store, code: str, form: Form) -> dict[str, Any]:
    """Mẫu 01-05 of a dossier, for the command line or a preview; the read is logged."""
    authority.require(store, Action.DOSSIER_VIEW)
    with store.write():
        d = dossiers.by_code(code.strip())
        audit.record(store, f"form:{form.value}", d.code)
        return _context(store, form, d)


def register_context(store: Store, start: dt.date, end: dt.date) -> dict[str, Any]:
    """Mẫu 06 for a period: the register's lines (read and audited by the register report)."""
    from counter_tui.services.reports.dossier_register import register

    authority.require(store, Action.REGISTER_EXPORT)
    rows = [{c: "" if v is None else str(v) for c, v in zip(REGISTER_COLUMNS, line, strict=False)}
            for line in register(store, start, end)]
    ctx = register_form(rows, office_of(store), start=start, end=end, issued_at=store.now())
    ctx["officer"] = _officer(store)
    return ctx


def form_slip(store: Store, form: Form, context: dict[str, Any], paper: str = "") -> Slip:
    """The print job of a form: laid out when sent, on the office's paper and printer."""
    f = store.cfg.forms
    page = FormPage(form=form.value, paper=(paper or f.paper).upper(), output=f.output,
                    target=f.target, templates=f.templates,
                    context=json.dumps(jsonable(context), ensure_ascii=False))
    return Slip(kind=f"form{form.value}", blocks=(page, Cut()))


def thermal_too(store: Store, kind: str, dossier: int | None) -> bool:
    """Whether a slip of `kind` prints on the thermal printer (config: thermal or both)."""
    return (FORM_OF_SLIP.get(kind) is None or dossier is None
            or store.cfg.forms.mode(kind) in ("thermal", "both"))


def beside(store: Store, kind: str, dossier: int | None) -> int | None:
    """Inside the caller's transaction, for a slip of `kind` being queued for a dossier: the
    job of its form, if the office prints that form (config: a4, a5 or both)."""
    form = FORM_OF_SLIP.get(kind)
    mode = store.cfg.forms.mode(kind)
    if form is None or dossier is None or mode == "thermal":
        return None
    from counter_tui.services import printjobs

    d = Dossier.get_by_id(dossier)
    paper = "" if mode == "both" else mode
    return printjobs.enqueue_raw(store, form_slip(store, form, _context(store, form, d), paper),
                                 dossier=dossier)


def print_form(store: Store, code: str, form: Form, *, paper: str = "") -> int:
    """Queue a dossier's form on the office printer now (the dossier screen's reprint)."""
    authority.require(store, Action.DOSSIER_VIEW)
    from counter_tui.services import printjobs

    with store.write():
        d = dossiers.by_code(code.strip())
        job = printjobs.enqueue_raw(store, form_slip(store, form, _context(store, form, d),
                                                     paper), dossier=d.id)
        audit.record(store, f"print_form:{form.value}", d.code)
        return job


def queue_register(store: Store, start: dt.date, end: dt.date, *, paper: str = "") -> int:
    """Queue Mẫu 06 for a period on the office printer."""
    ctx = register_context(store, start, end)
    from counter_tui.services import printjobs

    with store.write():
        return printjobs.enqueue_raw(store, form_slip(store, Form.REGISTER, ctx, paper))
