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
step sends it).

`LifecycleActions` is the base of `DossierScreen`, which keeps `dossier` and `reload`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Input, Label, OptionList, RadioButton, RadioSet, SelectionList, Static
from textual.widgets.option_list import Option

from counter_tui.core import statuses as st
from counter_tui.core.errors import UserError
from counter_tui.core.i18n import messages, t
from counter_tui.core.lifecycle import DEFAULT_LEVELS, StatusChange, rating_label
from counter_tui.core.views import DossierView
from counter_tui.ui import services
from counter_tui.ui.base import BaseModal, BaseScreen, bind

messages({
    "lc.key.handover": ("Bàn giao", "Hand over"),
    "lc.key.supplements": ("Yêu cầu bổ sung", "Ask for supplements"),
    "lc.key.supplied": ("Nhận bổ sung", "Supplements in"),
    "lc.key.ready": ("Có kết quả", "Result ready"),
    "lc.key.return": ("Trả kết quả", "Return result"),
    "lc.key.apology": ("Xin lỗi, hẹn lại", "Apologise"),
    "lc.key.more": ("Việc khác…", "More…"),
    "lc.save": ("Lưu", "Save"),
    "lc.cancel": ("Hủy", "Cancel"),
    "lc.hint": ("Tab: ô sau · Enter hoặc Ctrl+S: lưu · Esc: hủy",
                "Tab: next field · Enter or Ctrl+S: save · Esc: cancel"),
    "lc.saving": ("Đang lưu…", "Saving…"),
    "lc.more.title": ("Việc khác với hồ sơ {code}", "More for dossier {code}"),
    "lc.more.hint": ("Enter chọn · Esc đóng", "Enter chooses · Esc closes"),
    # the forms
    "lc.form.handover": ("Bàn giao hồ sơ (Mẫu 05)", "Hand the dossier over (Mẫu 05)"),
    "lc.form.supplements": ("Yêu cầu bổ sung hồ sơ (Mẫu 02)", "Ask for supplements (Mẫu 02)"),
    "lc.form.supplied": ("Nhận hồ sơ bổ sung", "Supplements received"),
    "lc.form.ready": ("Đã có kết quả", "Result ready"),
    "lc.form.return": ("Trả kết quả", "Return the result"),
    "lc.form.apology": ("Xin lỗi và hẹn lại ngày trả (Mẫu 04)",
                        "Apology and a new appointment (Mẫu 04)"),
    "lc.form.accept": ("Tiếp nhận hồ sơ trực tuyến", "Accept the online dossier"),
    "lc.form.payment": ("Chờ thực hiện nghĩa vụ tài chính", "Ask for payment"),
    "lc.form.paid": ("Đã thực hiện nghĩa vụ tài chính", "Payment received"),
    "lc.form.refuse": ("Từ chối (Mẫu 03)", "Refuse (Mẫu 03)"),
    "lc.form.withdraw": ("Công dân rút hồ sơ", "Withdrawn by the citizen"),
    "lc.form.stop": ("Dừng xử lý", "Stop processing"),
    "lc.form.rate": ("Ghi đánh giá", "Record a rating"),
    "lc.form.delivery": ("Bưu chính đã phát kết quả", "Delivered by post"),
    "lc.form.control": ("In phiếu kiểm soát (Mẫu 05)", "Print the control sheet (Mẫu 05)"),
    "lc.field.unit": ("Đơn vị nhận", "Receiving unit"),
    "lc.field.received_by": ("Người nhận", "Received by"),
    "lc.field.given_by": ("Người giao", "Given by"),
    "lc.field.missing": ("Giấy tờ cần bổ sung", "Documents to add"),
    "lc.field.other": ("Giấy tờ khác (cách nhau bởi ;)", "Other documents (separate with ;)"),
    "lc.field.reason": ("Lý do", "Reason"),
    "lc.field.deadline": ("Hạn bổ sung (dd/mm/yyyy)", "Deadline (dd/mm/yyyy)"),
    "lc.field.documents": ("Giấy tờ đã nhận (cách nhau bởi ;)",
                           "Documents received (separate with ;)"),
    "lc.field.note": ("Ghi chú", "Note"),
    "lc.field.method": ("Cách trả", "Returned"),
    "lc.field.method.counter": ("Tại quầy", "At the counter"),
    "lc.field.method.post": ("Qua bưu chính", "By post"),
    "lc.field.collected_by": ("Người nhận kết quả", "Collected by"),
    "lc.field.id_number": ("Số CCCD/CMND đã kiểm tra (ẩn)", "ID number checked (hidden)"),
    "lc.field.waybill": ("Mã vận đơn", "Waybill"),
    "lc.field.rating": ("Mức độ hài lòng", "Satisfaction"),
    "lc.field.no_rating": ("Không đánh giá", "No rating"),
    "lc.field.new_due": ("Ngày hẹn mới (dd/mm/yyyy [HH:MM])",
                         "New appointment (dd/mm/yyyy [HH:MM])"),
    "lc.field.amount": ("Số tiền (đồng)", "Amount (VND)"),
    "lc.field.delivered_at": ("Thời điểm phát (HH:MM dd/mm/yyyy; trống: bây giờ)",
                              "Delivered at (HH:MM dd/mm/yyyy; empty: now)"),
    "lc.info.paused": (
        "Chờ bổ sung từ {since}. Hẹn trả sẽ lùi thêm đúng số giờ làm việc đã chờ.",
        "Waiting since {since}. The appointment moves by the working time waited.",
    ),
    "lc.info.due": ("Hẹn trả hiện tại: {due}", "Current appointment: {due}"),
    # facts shown on the dossier screen
    "dossier.screen.apology_due": ("Hẹn trả lại (xin lỗi)", "New appointment (apology)"),
    "dossier.screen.ontime": ("Tiến độ", "On time?"),
    "dossier.screen.holder": ("Đang ở", "Now at"),
    "dossier.screen.supplement_deadline": ("Hạn bổ sung", "Supplements due"),
    "dossier.screen.finished": ("Kết thúc lúc", "Finished"),
    "dossier.screen.collected_by": ("Người nhận kết quả", "Collected by"),
    "dossier.screen.return_waybill": ("Vận đơn trả kết quả", "Result waybill"),
    "dossier.screen.delivered": ("Bưu chính đã phát", "Delivered"),
    # the history table and the slips list name lifecycle steps and slips
    "dossier.screen.action.accept": ("Tiếp nhận hồ sơ trực tuyến", "Online dossier accepted"),
    "dossier.screen.action.handover": ("Bàn giao hồ sơ", "Handed over"),
    "dossier.screen.action.request_supplements": ("Yêu cầu bổ sung", "Supplements requested"),
    "dossier.screen.action.supplements_received": ("Nhận hồ sơ bổ sung", "Supplements received"),
    "dossier.screen.action.request_payment": ("Chờ thực hiện nghĩa vụ tài chính",
                                              "Payment requested"),
    "dossier.screen.action.payment_received": ("Đã thực hiện nghĩa vụ tài chính", "Paid"),
    "dossier.screen.action.refuse": ("Từ chối", "Refused"),
    "dossier.screen.action.withdraw": ("Công dân rút hồ sơ", "Withdrawn"),
    "dossier.screen.action.stop": ("Dừng xử lý", "Processing stopped"),
    "dossier.screen.action.apologise": ("Xin lỗi, hẹn lại ngày trả", "Apology, new appointment"),
    "dossier.screen.action.result_ready": ("Có kết quả", "Result ready"),
    "dossier.screen.action.return_result": ("Trả kết quả", "Result returned"),
    "dossier.screen.action.record_delivery": ("Bưu chính đã phát", "Delivered by post"),
    "dossier.screen.action.rate": ("Đánh giá", "Rated"),
    "dossier.screen.action.reprint_notice": ("In phiếu", "Slip printed"),
    "dossier.screen.kind.supplement_request": ("Phiếu yêu cầu bổ sung", "Supplements request"),
    "dossier.screen.kind.supplement_receipt": ("Giấy nhận bổ sung", "Supplements receipt"),
    "dossier.screen.kind.refusal": ("Phiếu từ chối", "Refusal"),
    "dossier.screen.kind.apology": ("Phiếu xin lỗi", "Apology"),
    "dossier.screen.kind.result": ("Phiếu trả kết quả", "Result hand-over"),
    "dossier.screen.kind.control": ("Phiếu kiểm soát", "Control sheet"),
})

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


# --- the form ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FormField:
    """One input of a step's form. `name` is the service's keyword and the `UserError.field`
    whose message is shown under it (`also` names other fields answered here)."""

    name: str
    label: str
    value: str = ""
    kind: str = "input"  # input | secret | choice | checklist
    options: tuple[tuple[str, str], ...] = ()
    also: tuple[str, ...] = ()


class StepForm(BaseModal[StatusChange | None]):
    """A step's fields; Enter or Ctrl+S stores the step, Esc cancels."""

    BINDINGS = [
        bind("ctrl+s", "save", "lc.save", "lc_save", display="Ctrl+S"),
        bind("escape", "cancel", "lc.cancel", "lc_cancel"),
    ]
    DEFAULT_CSS = """
    StepForm .dialog { width: 80; }
    StepForm .lc-label { color: $text-muted; margin-top: 1; }
    StepForm .lc-msg { color: $error; text-style: bold; display: none; }
    StepForm .lc-msg.-shown { display: block; }
    StepForm #lc-info { color: $text-muted; }
    StepForm SelectionList { height: auto; max-height: 10; }
    StepForm RadioSet { width: 1fr; }
    StepForm #lc-fields { height: auto; max-height: 30; }
    """

    def __init__(self, title: str, fields: list[FormField], run: Callable[..., StatusChange],
                 build: Callable[[dict[str, Any]], dict[str, Any]], info: str = "") -> None:
        super().__init__(id="lc-form")
        self.title_text, self.fields, self.run, self.build = title, fields, run, build
        self.info = info
        self.busy = False

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self.title_text, classes="box-title")
            if self.info:
                yield Static(self.info, id="lc-info")
            yield Static("", id="lc-msg-form", classes="lc-msg")
            with VerticalScroll(id="lc-fields"):
                for f in self.fields:
                    yield Label(f.label, classes="lc-label")
                    yield self._widget(f)
                    yield Static("", id=f"lc-msg-{f.name}", classes="lc-msg")
            yield Static(t("lc.hint"), classes="hint")

    def _widget(self, f: FormField) -> Any:
        wid = f"lc-{f.name}"
        if f.kind == "checklist":
            return SelectionList[str](*((label, value) for value, label in f.options), id=wid)
        if f.kind == "choice":
            return RadioSet(*(RadioButton(label, value=value == f.value, name=value)
                              for value, label in f.options), id=wid)
        return Input(f.value, id=wid, password=f.kind == "secret")

    def on_mount(self) -> None:
        if self.fields:
            self.query_one(f"#lc-{self.fields[0].name}").focus()

    def values(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for f in self.fields:
            widget = self.query_one(f"#lc-{f.name}")
            if isinstance(widget, SelectionList):
                out[f.name] = list(widget.selected)
            elif isinstance(widget, RadioSet):
                pressed = widget.pressed_button
                out[f.name] = pressed.name if pressed is not None else ""
            elif isinstance(widget, Input):
                out[f.name] = widget.value
        return out

    @on(Input.Submitted)
    def _enter(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    def action_save(self) -> None:
        if self.busy:
            return
        self.busy = True
        for msg in self.query(".lc-msg"):
            msg.remove_class("-shown")
        run, kwargs = self.run, self.build(self.values())
        self.ask(lambda store: run(store, **kwargs), on_done=self.dismiss,
                 on_refused=self._refused, on_failed=self._unlock)

    def _refused(self, error: UserError) -> None:
        self.busy = False
        self.show_error(error.field, str(error))

    def _unlock(self) -> None:
        self.busy = False

    def show_error(self, field: str | None, message: str) -> None:
        target = next((f for f in self.fields if field in (f.name, *f.also)), None)
        box = self.query_one(f"#lc-msg-{target.name}" if target else "#lc-msg-form", Static)
        box.update(message)
        box.add_class("-shown")
        if target is not None:
            self.query_one(f"#lc-{target.name}").focus()

    def action_cancel(self) -> None:
        if self.busy:  # the step is being stored: its outcome is shown here
            self.notify(t("lc.saving"), severity="warning")
            return
        self.dismiss(None)


class MoreSteps(BaseModal[str | None]):
    """F9: the other steps possible now, by name."""

    BINDINGS = [bind("escape", "cancel", "lc.cancel", "lc_more_cancel")]

    def __init__(self, code: str, steps: list[str]) -> None:
        super().__init__(id="lc-more")
        self.code, self.steps = code, steps

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(t("lc.more.title", code=self.code), classes="box-title")
            yield OptionList(*(Option(t(f"lc.form.{s}"), id=s) for s in self.steps),
                             id="lc-steps")
            yield Static(t("lc.more.hint"), classes="hint")

    @on(OptionList.OptionSelected, "#lc-steps")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(str(event.option.id))

    def action_cancel(self) -> None:
        self.dismiss(None)


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

    def reload(self) -> None:
        raise NotImplementedError

    def lifecycle_check(self, action: str) -> bool | None:
        """Only the steps possible from the dossier's status are in the footer."""
        if self.dossier is None:
            return False
        if action == "lc_more":
            return True
        return self.dossier.status in KEY_STATUSES.get(action, frozenset())

    # -- plumbing --

    def _open(self, title: str, fields: list[FormField], run: Callable[..., StatusChange],
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
        self.reload()

    @staticmethod
    def _note() -> FormField:
        return FormField("note", t("lc.field.note"))

    # -- the keys --

    def action_lc_handover(self) -> None:
        self._open(t("lc.form.handover"), [
            FormField("to_unit", t("lc.field.unit"), also=("unit",)),
            FormField("received_by", t("lc.field.received_by")),
            self._note(),
        ], services.lifecycle.handover)

    def action_lc_supplements(self) -> None:
        d = self.dossier
        if d is None:
            return

        def checklist(proc: Any) -> None:
            names = [doc.name for doc in (proc.documents if proc else ())]
            fields = [FormField("missing", t("lc.field.missing"), kind="checklist",
                                options=tuple((n, n) for n in names))] if names else []
            fields += [
                FormField("other", t("lc.field.other"), also=() if names else ("missing",)),
                FormField("reason", t("lc.field.reason")),
                FormField("deadline", t("lc.field.deadline")),
                self._note(),
            ]

            def build(v: dict[str, Any]) -> dict[str, Any]:
                return {"missing": [*v.get("missing", []), *_split(v["other"])],
                        "reason": v["reason"], "deadline": v["deadline"], "note": v["note"]}

            self._open(t("lc.form.supplements"), fields, services.lifecycle.request_supplements,
                       build)

        code = d.procedure_code
        self.ask(lambda store: services.catalogue.get(store, code), on_done=checklist)

    def action_lc_supplied(self) -> None:
        d = self.dossier
        info = t("lc.info.paused", since=_when(d.paused_at)) if d and d.paused_at else ""
        self._open(t("lc.form.supplied"), [
            FormField("documents", t("lc.field.documents")), self._note(),
        ], services.lifecycle.supplements_received,
            lambda v: {"documents": _split(v["documents"]), "note": v["note"]}, info)

    def action_lc_ready(self) -> None:
        self._open(t("lc.form.ready"), [
            FormField("given_by", t("lc.field.given_by")), self._note(),
        ], services.lifecycle.result_ready)

    def action_lc_return(self) -> None:
        d = self.dossier
        if d is None:
            return
        levels = self._levels()
        post = d.return_method == "post"
        fields = [
            FormField("method", t("lc.field.method"), "post" if post else "counter", "choice",
                      (("counter", t("lc.field.method.counter")),
                       ("post", t("lc.field.method.post")))),
            FormField("collected_by", t("lc.field.collected_by"),
                      "" if post else d.applicant_name),
            FormField("id_number", t("lc.field.id_number"), kind="secret"),
            FormField("waybill", t("lc.field.waybill")),
            FormField("rating", t("lc.field.rating"), "", "choice",
                      (*((str(v), f"{v}  {rating_label(v, levels)}")
                         for v in range(levels, 0, -1)), ("", t("lc.field.no_rating")))),
            self._note(),
        ]
        self._open(t("lc.form.return"), fields, services.lifecycle.return_result)

    def action_lc_apology(self) -> None:
        d = self.dossier
        due = (d.apology_due_at or d.due_at) if d else None
        self._open(t("lc.form.apology"), [
            FormField("reason", t("lc.field.reason")),
            FormField("new_due", t("lc.field.new_due")),
            self._note(),
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
        note = self._note()
        reason = FormField("reason", t("lc.field.reason"))
        forms: dict[str, tuple[list[FormField], Callable[..., StatusChange]]] = {
            "accept": ([note], lc.accept),
            "payment": ([FormField("amount", t("lc.field.amount")), reason, note],
                        lc.request_payment),
            "paid": ([note], lc.payment_received),
            "refuse": ([reason, note], lc.refuse),
            "withdraw": ([reason, note], lc.withdraw),
            "stop": ([reason, note], lc.stop),
            "delivery": ([FormField("delivered_at", t("lc.field.delivered_at")), note],
                         lc.record_delivery),
        }
        if step == "rate":
            levels = self._levels()
            self._open(t("lc.form.rate"), [
                FormField("rating", t("lc.field.rating"), str(levels), "choice",
                          tuple((str(v), f"{v}  {rating_label(v, levels)}")
                                for v in range(levels, 0, -1))), note,
            ], lc.rate)
        elif step == "control":
            d = self.dossier
            if d is not None:
                code = d.code
                self.ask(lambda store: lc.print_control_sheet(store, code),
                         on_done=self._stepped)
        elif step in forms:
            fields, run = forms[step]
            self._open(t(f"lc.form.{step}"), fields, run)

    def _levels(self) -> int:
        try:
            from counter_tui.core.lifecycle import satisfaction_levels

            return satisfaction_levels(self.capp.cfg.extra)
        except UserError:
            return DEFAULT_LEVELS
