"""Status actions on the dossier screen: each step of a dossier's life is a key in the footer
that opens a small form (a modal) collecting what that step needs, then runs the service.

Keys (only those possible from the dossier's status are shown):

    F2 hand over to a unit (Mẫu 05)         F6 result ready
    F3 request supplements (Mẫu 02)         F7 return the result (counter or post, rating)
    F4 supplements received                 F8 apology with a new appointment (Mẫu 04)
    F9 more: accept an online dossier, payment requested / paid, refuse (Mẫu 03),
       withdrawn, stopped, a late rating, the post's delivery, the control sheet (Mẫu 05)

A form stays open until the service has stored the step: a refusal (a field to fix, a move
the table does not allow, another terminal that was quicker) is shown under the field, nothing
typed is lost. The slip of the step is printed at once (ui.base: the worker that stores the
step sends it): the control sheet on a hand-over, Mẫu 02, the supplements' receipt, the
result-ready notice, the result hand-over, Mẫu 04, Mẫu 03.

`LifecycleActions` is the base of `DossierScreen`, which keeps `dossier` and `reload`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import partial
from typing import Any

from textual.binding import Binding

from counter_tui.core import statuses as st
from counter_tui.core.errors import UserError
from counter_tui.core.i18n import t
from counter_tui.core.lifecycle import (
    DEFAULT_LEVELS,
    StatusChange,
    handover_person,
    parse_day,
    parse_moment,
    rating_label,
    required_text,
)
from counter_tui.core.validation import validate_fee
from counter_tui.core.views import DossierView, ProcedureView
from counter_tui.ui import services
from counter_tui.ui.base import BaseScreen, bind
from counter_tui.ui.forms import Field, FormDialog

DATETIME = "%H:%M %d/%m/%Y"


def _when(at: datetime | None) -> str:
    return at.strftime(DATETIME) if at else ""


def lifecycle_rows(d: DossierView) -> list[tuple[str, str]]:
    """Facts of the dossier screen that the lifecycle adds (keys under dossier.screen.)."""
    rows: list[tuple[str, str]] = [
        ("apology_due", _when(d.apology_due_at)),
        ("ontime", d.ontime_label),
        ("holder", d.holder),
        ("supplement_deadline", _when(d.supplement_deadline) if d.status == st.SUPPLEMENT
         else ""),
    ]
    if d.collected_by:
        masked = f" ({d.collected_id_masked})" if d.collected_id_masked else ""
        rows.append(("collected_by", d.collected_by + masked))
    rows += [("return_waybill", d.return_waybill), ("delivered", _when(d.delivered_at))]
    return rows


# --- the forms ----------------------------------------------------------------------------------


class StepForm(FormDialog[StatusChange | None]):
    """A step's fields; Enter or Ctrl+S stores the step, Esc cancels. `build` turns the values
    into the service's keywords."""

    def __init__(self, title: str, fields: list[Field], run: Callable[..., StatusChange],
                 build: Callable[[dict[str, Any]], dict[str, Any]], info: str = "") -> None:
        super().__init__(title, fields, info=info, id="lc-form")
        self.run, self.build = run, build

    def submitted(self, values: dict[str, Any]) -> None:
        run, kwargs = self.run, self.build(values)
        self.save(lambda store: run(store, **kwargs))


class MoreSteps(FormDialog[str | None]):
    """F9: the other steps possible now, by name."""

    def __init__(self, code: str, steps: list[str]) -> None:
        super().__init__("lc.more.title", [Field("step", "lc.more.step", "pick", options=tuple(
            (s, t(f"lc.form.{s}")) for s in steps))], hint="form.pick_hint", id="lc-more",
            code=code)
        self.code, self.steps = code, steps

    def submitted(self, values: dict[str, Any]) -> None:
        self.dismiss(values["step"] or None)


def _text(what: str, limit: int | None = None, *, required: bool = True) -> Callable[..., str]:
    """The service's own check of free text (required_text), as a field's validator."""
    if limit is None:
        return partial(required_text, what=what, required=required)
    return partial(required_text, what=what, limit=limit, required=required)


NOTE = Field("note", "lc.field.note", check=_text("note", 1000, required=False))
REASON = Field("reason", "lc.field.reason", required=True, check=_text("reason"))
OPTIONAL_REASON = Field("reason", "lc.field.reason", check=_text("reason", required=False))


# --- the keys on the dossier screen ----------------------------------------------------------


LIFECYCLE_BINDINGS: list[Binding] = [
    bind("f2", "lc_handover", "lc.key.handover", "lc_handover"),
    bind("f3", "lc_supplements", "lc.key.supplements", "lc_supplements"),
    bind("f4", "lc_supplied", "lc.key.supplied", "lc_supplied"),
    bind("f6", "lc_ready", "lc.key.ready", "lc_ready"),
    bind("f7", "lc_return", "lc.key.return", "lc_return"),
    bind("f8", "lc_apology", "lc.key.apology", "lc_apology"),
    bind("f9", "lc_more", "lc.key.more", "lc_more"),
]

# which statuses each key works from (the table decides the moves; these are its use cases)
KEY_STATUSES: dict[str, frozenset[int]] = {
    "lc_handover": frozenset({st.RECEIVED, st.PROCESSING}),
    "lc_supplements": frozenset(c for c in st.ALL_STATUSES if st.can_move(c, st.SUPPLEMENT)),
    "lc_supplied": frozenset({st.SUPPLEMENT}),
    "lc_ready": frozenset(c for c in st.ALL_STATUSES if st.can_move(c, st.RESULT_READY)),
    "lc_return": frozenset({st.RESULT_READY}),
    "lc_apology": frozenset({st.RECEIVED, st.PROCESSING, st.SUPPLEMENT, st.AWAITING_PAYMENT}),
}


def more_steps(d: DossierView) -> list[str]:
    """The steps F9 offers for a dossier in its status now."""
    s = d.status
    steps = []
    if s == st.SUBMITTED_ONLINE:
        steps.append("accept")
    if st.can_move(s, st.AWAITING_PAYMENT):
        steps.append("payment")
    if s == st.AWAITING_PAYMENT:
        steps.append("paid")
    for step, target in (("refuse", st.REFUSED), ("withdraw", st.WITHDRAWN),
                         ("stop", st.STOPPED)):
        if st.can_move(s, target):
            steps.append(step)
    if s == st.RETURNED and d.rating is None:
        steps.append("rate")
    if s == st.RETURNED and d.return_method == "post" and d.delivered_at is None:
        steps.append("delivery")
    steps.append("control")
    return steps


def _split(text: str) -> list[str]:
    return [x.strip() for x in text.replace("\n", ";").split(";") if x.strip()]


class LifecycleActions(BaseScreen[None]):
    """The lifecycle keys of the dossier screen (its base class)."""

    dossier: DossierView | None

    def reload(self, *, hold_keys: bool = False) -> None:
        raise NotImplementedError

    def lifecycle_check(self, action: str) -> bool | None:
        """Only the steps possible from the dossier's status are in the footer."""
        if self.dossier is None:
            return False
        if action == "lc_more":
            return True
        return self.dossier.status in KEY_STATUSES.get(action, frozenset())

    # -- plumbing --

    def _open(self, title: str, fields: list[Field], run: Callable[..., StatusChange],
              build: Callable[[dict[str, Any]], dict[str, Any]] | None = None,
              info: str = "") -> None:
        d = self.dossier
        if d is None:
            return
        code = d.code

        def kwargs(values: dict[str, Any]) -> dict[str, Any]:
            return {"code": code, **(build(values) if build else values)}

        self.capp.push_screen(StepForm(title, fields, run, kwargs, info), self._stepped)

    def _stepped(self, change: StatusChange | None) -> None:
        if change is None:
            return
        self.notify(services.lifecycle.describe(change))
        self.reload(hold_keys=True)

    # -- the keys --

    def action_lc_handover(self) -> None:
        """Mẫu 05: to whom, given by whom (the officer, unless another hands it over) and
        received by whom; all three are required, as they are signed for."""
        self._open("lc.form.handover", [
            Field("to_unit", "lc.field.unit", required=True, also=("unit",),
                  check=_text("unit", 200)),
            Field("given_by", "lc.field.given_by", required=True,
                  value=self.capp.cfg.terminal.officer_name,
                  check=partial(handover_person, what="giver")),
            Field("received_by", "lc.field.received_by", required=True,
                  check=partial(handover_person, what="person")),
            NOTE,
        ], services.lifecycle.handover, info=t("lc.info.handover_time"))

    def action_lc_supplements(self) -> None:
        d = self.dossier
        if d is None:
            return

        def checklist(proc: ProcedureView | None) -> None:
            names = [doc.name for doc in (proc.documents if proc else ())]
            fields = [Field("missing", "lc.field.missing", "checklist",
                            options=tuple((n, n) for n in names))] if names else []
            fields += [
                Field("other", "lc.field.other", also=() if names else ("missing",)),
                REASON,
                Field("deadline", "lc.field.deadline", required=True,
                      check=partial(parse_day, what="deadline")),
                NOTE,
            ]

            def build(v: dict[str, Any]) -> dict[str, Any]:
                return {"missing": [*v.get("missing", []), *_split(v["other"])],
                        "reason": v["reason"], "deadline": v["deadline"], "note": v["note"]}

            self._open("lc.form.supplements", fields, services.lifecycle.request_supplements,
                       build)

        code = d.procedure_code
        self.ask(lambda store: services.catalogue.get(store, code), on_done=checklist)

    def action_lc_supplied(self) -> None:
        """The documents the request asked for, to tick as they come; others typed."""
        d = self.dossier
        if d is None:
            return
        info = t("lc.info.paused", since=_when(d.paused_at)) if d.paused_at else ""
        code = d.code

        def checklist(asked: tuple[str, ...]) -> None:
            fields = [Field("received", "lc.field.received_docs", "checklist",
                            options=tuple((n, n) for n in asked))] if asked else []
            fields += [Field("documents", "lc.field.other" if asked else "lc.field.documents",
                             also=() if asked else ("documents",)), NOTE]

            def build(v: dict[str, Any]) -> dict[str, Any]:
                return {"documents": [*v.get("received", []), *_split(v["documents"])],
                        "note": v["note"]}

            self._open("lc.form.supplied", fields, services.lifecycle.supplements_received,
                       build, info)

        self.ask(lambda store: services.lifecycle.requested_supplements(store, code),
                 on_done=checklist, hold_keys=True)

    def action_lc_ready(self) -> None:
        """A result a unit brings back is the last Mẫu 05 step: who gives it is required."""
        d = self.dossier
        from_unit = bool(d and d.holder)
        self._open("lc.form.ready", [
            Field("given_by", "lc.field.given_by", required=from_unit,
                  check=partial(handover_person, what="giver") if from_unit
                  else _text("giver", 100, required=False)),
            NOTE,
        ], services.lifecycle.result_ready,
            info=t("lc.info.ready_from", unit=d.holder) if d and d.holder else "")

    def action_lc_return(self) -> None:
        d = self.dossier
        if d is None:
            return
        levels = self._levels()
        post = d.return_method == "post"
        fields = [
            Field("method", "lc.field.method", "choice", value="post" if post else "counter",
                  options=(("counter", t("lc.field.method.counter")),
                           ("post", t("lc.field.method.post")))),
            Field("collected_by", "lc.field.collected_by", value="" if post else d.applicant_name),
            Field("id_number", "lc.field.id_number", "secret"),
            Field("waybill", "lc.field.waybill"),
            Field("rating", "lc.field.rating", "choice", options=(
                *((str(v), f"{v}  {rating_label(v, levels)}") for v in range(levels, 0, -1)),
                ("", t("lc.field.no_rating")))),
            NOTE,
        ]
        self._open("lc.form.return", fields, services.lifecycle.return_result)

    def action_lc_apology(self) -> None:
        d = self.dossier
        due = (d.apology_due_at or d.due_at) if d else None
        self._open("lc.form.apology", [
            REASON, Field("new_due", "lc.field.new_due", required=True), NOTE,
        ], services.lifecycle.apologise, info=t("lc.info.due", due=_when(due)) if due else "")

    def action_lc_more(self) -> None:
        d = self.dossier
        if d is None:
            return
        self.capp.push_screen(MoreSteps(d.code, more_steps(d)), self._more_chosen)

    def _more_chosen(self, step: str | None) -> None:
        if not step:
            return
        lc = services.lifecycle
        forms: dict[str, tuple[list[Field], Callable[..., StatusChange]]] = {
            "accept": ([NOTE], lc.accept),
            "payment": ([Field("amount", "lc.field.amount", check=validate_fee),
                         OPTIONAL_REASON, NOTE], lc.request_payment),
            "paid": ([NOTE], lc.payment_received),
            "refuse": ([REASON, NOTE], lc.refuse),
            "withdraw": ([OPTIONAL_REASON, NOTE], lc.withdraw),
            "stop": ([REASON, NOTE], lc.stop),
            "delivery": ([Field("delivered_at", "lc.field.delivered_at",
                                check=partial(parse_moment, what="delivered")), NOTE],
                         lc.record_delivery),
        }
        if step == "rate":
            levels = self._levels()
            self._open("lc.form.rate", [
                Field("rating", "lc.field.rating", "choice", value=str(levels), options=tuple(
                    (str(v), f"{v}  {rating_label(v, levels)}") for v in range(levels, 0, -1))),
                NOTE,
            ], lc.rate)
        elif step == "control":
            d = self.dossier
            if d is not None:
                code = d.code
                self.ask(lambda store: lc.print_control_sheet(store, code),
                         on_done=self._stepped)
        elif step in forms:
            fields, run = forms[step]
            self._open(f"lc.form.{step}", fields, run)

    def _levels(self) -> int:
        try:
            from counter_tui.core.lifecycle import satisfaction_levels

            return satisfaction_levels(self.capp.cfg.extra)
        except UserError:
            return DEFAULT_LEVELS
