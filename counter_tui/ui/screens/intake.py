"""F4: receive a dossier at the counter, keyboard only, in under a minute.

The form follows the paper: the procedure (typed by name without diacritics, or by code), the
channel with its postal or online details, the applicant, the documents checked against the
procedure's list, the sets, fee and note. Each field is checked by the core validators as the
officer leaves it; saving checks the whole draft in the service, in a worker, and marks every
problem next to its field. Nothing typed is lost when saving fails: the form only closes once
the dossier is stored, and Esc asks before throwing a filled form away.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import (
    Button,
    Checkbox,
    Input,
    Label,
    OptionList,
    RadioButton,
    RadioSet,
    Static,
)
from textual.widgets.option_list import Option

from counter_tui.core import validation as v
from counter_tui.core.errors import UserError
from counter_tui.core.i18n import messages, t
from counter_tui.core.intake import (
    CHANNELS,
    LEVELS,
    POST_OPTIONS,
    DocumentLine,
    DossierDraft,
    IntakeErrors,
    channel_label,
)
from counter_tui.core.text import clean, fold
from counter_tui.core.views import ReceivedDossier
from counter_tui.ui import services
from counter_tui.ui.base import BaseModal, BaseScreen, bind
from counter_tui.ui.widgets.keybar import KeyBar

if TYPE_CHECKING:
    from counter_tui.core.views import ProcedureView

messages({
    "intake.form.title": ("Tiếp nhận hồ sơ", "Receive a dossier"),
    "intake.form.for_ticket": ("Tiếp nhận hồ sơ · số thứ tự {code}",
                               "Receive a dossier · ticket {code}"),
    "intake.form.save": ("Lưu và in biên nhận", "Save and print receipt"),
    "intake.form.cancel": ("Quay lại", "Back"),
    "intake.form.add_document": ("Thêm giấy tờ", "Add a document"),
    "intake.form.add_document_button": ("+ Thêm giấy tờ khác (Ctrl+N)",
                                        "+ Add another document (Ctrl+N)"),
    "intake.form.section.procedure": ("Thủ tục", "Procedure"),
    "intake.form.section.channel": ("Kênh tiếp nhận (1-3 hoặc ←→)", "Channel (1-3 or ←→)"),
    "intake.form.section.applicant": ("Người nộp hồ sơ", "Applicant"),
    "intake.form.section.documents": ("Giấy tờ đã nhận", "Documents received"),
    "intake.form.section.other": ("Số bộ, lệ phí, ghi chú", "Sets, fee, note"),
    "intake.form.procedure": ("Tên hoặc mã thủ tục", "Procedure name or code"),
    "intake.form.procedure_hint": (
        "gõ không dấu, vd: dang ky khai sinh · ↑↓ chọn · Enter lấy",
        "no diacritics needed, e.g. dang ky khai sinh · ↑↓ choose · Enter takes",
    ),
    "intake.form.no_match": ("Không có thủ tục nào khớp '{text}'",
                             "No procedure matches '{text}'"),
    "intake.form.chosen": ("{name} [{code}]", "{name} [{code}]"),
    "intake.form.terms": ("{field} · {level} · {time} · {fee}",
                          "{field} · {level} · {time} · {fee}"),
    "intake.form.same_day": ("trong ngày", "same day"),
    "intake.form.same_day_cutoff": ("trong ngày (nhận trước {cutoff})",
                                    "same day (if received before {cutoff})"),
    "intake.form.days": ("{n} ngày làm việc", "{n} working days"),
    "intake.form.free": ("miễn phí", "free"),
    "intake.form.fee": ("lệ phí {amount}đ", "fee {amount} VND"),
    "intake.form.fee_online": ("lệ phí {amount}đ (trực tuyến {online}đ)",
                               "fee {amount} VND (online {online} VND)"),
    "intake.form.due": ("Hẹn trả nếu nhận lúc này: {due}", "Appointment if received now: {due}"),
    "intake.form.post_option": ("Hình thức bưu chính (1-3)", "Postal option (1-3)"),
    "intake.form.waybill": ("Mã vận đơn", "Waybill number"),
    "intake.form.postal_charge": ("Cước bưu chính (đồng)", "Postal charge (VND)"),
    "intake.form.delivery_address": ("Địa chỉ nhận kết quả", "Delivery address"),
    "intake.form.portal_code": ("Mã hồ sơ trên Cổng DVC", "Portal dossier code"),
    "intake.form.level": ("Mức độ", "Level"),
    "intake.form.vneid": ("Đã xác thực VNeID", "Identified through VNeID"),
    "intake.form.paid_online": ("Đã nộp phí trực tuyến", "Fee paid online"),
    "intake.form.applicant_name": ("Họ và tên", "Full name"),
    "intake.form.id_number": ("Số CCCD/CMND", "ID number (CCCD/CMND)"),
    "intake.form.phone": ("Số điện thoại", "Phone"),
    "intake.form.address": ("Địa chỉ", "Address"),
    "intake.form.email": ("Thư điện tử (nếu có)", "E-mail (optional)"),
    "intake.form.representative": ("Người nộp thay (nếu có)", "Representative (optional)"),
    "intake.form.representative_id": ("Số CCCD người nộp thay", "Representative's ID number"),
    "intake.form.doc_name": ("Tên giấy tờ", "Document"),
    "intake.form.originals": ("Bản chính", "Originals"),
    "intake.form.copies": ("Bản sao", "Copies"),
    "intake.form.extra_placeholder": ("Tên giấy tờ thêm", "Name of the added document"),
    "intake.form.no_procedure_docs": (
        "Chọn thủ tục để hiện danh sách giấy tờ", "Choose a procedure to list its documents"),
    "intake.form.sets": ("Số bộ hồ sơ", "Number of sets"),
    "intake.form.fee_field": ("Lệ phí (đồng)", "Fee (VND)"),
    "intake.form.fee_placeholder": ("theo thủ tục", "as the procedure says"),
    "intake.form.note": ("Ghi chú", "Note"),
    "intake.form.id_info": ("{kind} · {gender} · sinh năm {year} · {place}",
                            "{kind} · {gender} · born {year} · {place}"),
    "intake.form.born_abroad": ("đăng ký khai sinh ở nước ngoài", "birth registered abroad"),
    "intake.form.waybill_check": (
        "Số kiểm tra của mã vận đơn không khớp: xem lại mã trên phiếu gửi",
        "The waybill's check digit does not match: look at the number on the slip again",
    ),
    "intake.form.saving": ("Đang lưu hồ sơ…", "Saving the dossier…"),
    "intake.form.busy": ("Hồ sơ đang được lưu, xin chờ", "The dossier is being saved, please wait"),
    "intake.form.received": ("Đã tiếp nhận hồ sơ {code}, hẹn trả {due}",
                             "Dossier {code} received, appointment {due}"),
    "intake.form.discard_title": ("Bỏ hồ sơ đang nhập?", "Discard this dossier?"),
    "intake.form.discard_body": (
        "Những gì đã nhập sẽ mất. Enter/C: bỏ · Esc/K: nhập tiếp",
        "What was typed will be lost. Enter/Y: discard · Esc/N: keep typing",
    ),
    "intake.form.discard": ("Bỏ hồ sơ", "Discard"),
    "intake.form.keep": ("Nhập tiếp", "Keep typing"),
})

DATETIME = "%H:%M %d/%m/%Y"
TEXT_FIELDS = ("applicant_name", "id_number", "phone", "address", "email", "representative",
               "representative_id", "waybill", "postal_charge", "delivery_address",
               "portal_code", "sets", "fee", "note")
ONLINE_LEVELS = LEVELS[:2]


def _fee_text(amount: int) -> str:
    return v.format_vnd(amount)


def procedure_time(p: ProcedureView) -> str:
    if p.processing_days:
        return t("intake.form.days", n=p.processing_days)
    if p.same_day_cutoff:
        return t("intake.form.same_day_cutoff", cutoff=p.same_day_cutoff.strftime("%H:%M"))
    return t("intake.form.same_day")


def procedure_fee(p: ProcedureView) -> str:
    if not p.fee_vnd and not p.fee_online_vnd:
        return t("intake.form.free")
    if p.fee_online_vnd != p.fee_vnd:
        return t("intake.form.fee_online", amount=_fee_text(p.fee_vnd),
                 online=_fee_text(p.fee_online_vnd))
    return t("intake.form.fee", amount=_fee_text(p.fee_vnd))


def procedure_terms(p: ProcedureView) -> str:
    return t("intake.form.terms", field=p.field, level=p.level, time=procedure_time(p),
             fee=procedure_fee(p))


def rank(procedures: list[ProcedureView], text: str) -> list[ProcedureView]:
    """Best match first: the exact code, the name exactly as typed, names holding every typed
    word as a whole word (the search also matches parts of words: "hon" in "thông"), the typed
    words in that order, then the shorter name (the plain procedure before combined ones)."""
    key = fold(text)
    code = clean(text).upper()
    typed = key.split()

    def score(p: ProcedureView) -> tuple[bool, bool, int, bool, int, str]:
        name = fold(p.name)
        words = set(name.split())
        whole = sum(word in words for word in typed)
        return (p.code != code, name != key, -whole, key not in name, len(name), p.name)

    return sorted(procedures, key=score)


class Choice(RadioSet):
    """A radio set for the keyboard: the arrows choose at once (as radio buttons do
    elsewhere), and the digits 1-9 choose the n-th option directly."""

    def action_next_button(self) -> None:
        self._step(super().action_next_button)

    def action_previous_button(self) -> None:
        self._step(super().action_previous_button)

    def _step(self, move: Callable[[], None]) -> None:
        if not self.has_focus:  # the set selecting its first option when mounted
            move()
        elif self.pressed_index < 0:  # nothing chosen yet: the first arrow takes the one shown
            self.action_toggle_button()
        else:
            move()
            self.action_toggle_button()

    def on_key(self, event: events.Key) -> None:
        digit = event.character or ""
        if digit.isdigit() and 1 <= int(digit) <= len(self._nodes):
            event.stop()
            self._selected = int(digit) - 1
            if self.pressed_index != self._selected:
                self.action_toggle_button()


class ProcedureInput(Input):
    """The procedure search box: ↑/↓ move through the matches listed under it."""

    BINDINGS = [
        Binding("down", "screen.procedure_move(1)", show=False),
        Binding("up", "screen.procedure_move(-1)", show=False),
    ]


class Matches(OptionList, can_focus=False):
    """The procedures matching what was typed; driven from the search box, never focused."""


def _field(name: str, *, label: str = "", placeholder: str = "", value: str = "",
           restrict: str | None = None, max_length: int = 0,
           input_cls: type[Input] = Input) -> Vertical:
    """A labelled one-line input `#f-<name>` with its message `#m-<name>` under it."""
    return Vertical(
        Horizontal(
            Label(t(label or f"intake.form.{name}"), classes="field-label"),
            input_cls(value=value, placeholder=placeholder, id=f"f-{name}", compact=True,
                      restrict=restrict, max_length=max_length),
            classes="field-row",
        ),
        Static("", id=f"m-{name}", classes="field-msg"),
        id=f"field-{name}", classes="field",
    )


class DocumentItem(Vertical):
    """One line of the checklist: the document, originals, copies, and its message."""

    def __init__(self, name: str | None, originals: int | str = 1, copies: int | str = 0, *,
                 extra: str = "") -> None:
        super().__init__(classes="doc-item")
        self.fixed_name = name
        self.name_input = None if name is not None else Input(
            extra, placeholder=t("intake.form.extra_placeholder"), compact=True,
            classes="doc-name")
        self.originals = Input(str(originals), compact=True, restrict=r"[0-9]*", max_length=2,
                               classes="doc-count")
        self.copies = Input(str(copies), compact=True, restrict=r"[0-9]*", max_length=2,
                            classes="doc-count")
        self.msg = Static("", classes="field-msg")

    def compose(self) -> ComposeResult:
        with Horizontal(classes="doc-row"):
            if self.name_input is not None:
                yield self.name_input
            else:
                yield Label(self.fixed_name or "", classes="doc-name")
            yield self.originals
            yield self.copies
        yield self.msg

    @property
    def doc_name(self) -> str:
        return self.name_input.value if self.name_input is not None else self.fixed_name or ""

    def line(self) -> DocumentLine:
        return DocumentLine(self.doc_name, self.originals.value.strip(),
                            self.copies.value.strip())


class ConfirmDiscard(BaseModal[bool]):
    """Esc on a filled form: really throw it away?"""

    BINDINGS = [
        bind("enter,y,c", "answer(True)", "intake.form.discard", "discard_yes"),
        bind("escape,n,k", "answer(False)", "intake.form.keep", "discard_no"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(t("intake.form.discard_title"), classes="box-title")
            yield Static(t("intake.form.discard_body"), classes="hint")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)


class IntakeScreen(BaseScreen[ReceivedDossier | None]):
    """The intake form; dismissed with the received dossier, or None when abandoned."""

    BINDINGS = [
        bind("f10,ctrl+s", "save", "intake.form.save", "save_dossier", display="F10",
            priority=True),
        bind("ctrl+n", "add_document", "intake.form.add_document", "add_document",
            display="^N"),
        bind("escape", "back", "intake.form.cancel", "intake_back", display="Esc"),
    ]

    SEARCH_DELAY = 0.25

    def __init__(self, ticket_id: int | None = None, ticket_code: str | None = None) -> None:
        super().__init__(id="intake")
        self.ticket_id = ticket_id
        self.ticket_code = ticket_code
        self.procedure: ProcedureView | None = None
        self.matches: list[ProcedureView] = []
        self._search_timer: Timer | None = None
        self._searched = ""
        self._pick_when_found = False
        self._wanted_code = ""
        self._due: datetime | None = None
        self._auto_fee: str | None = None
        self._saving = False

    # --- layout ------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        title = t("intake.form.for_ticket", code=self.ticket_code) if self.ticket_code \
            else t("intake.form.title")
        yield Static(title, id="intake-title")
        with VerticalScroll(id="intake-form"):
            yield Label(t("intake.form.section.procedure"), classes="section")
            yield _field("procedure", placeholder=t("intake.form.procedure_hint"),
                         input_cls=ProcedureInput)
            yield Matches(id="procedure-matches")
            yield Static("", id="procedure-info")

            yield Label(t("intake.form.section.channel"), classes="section")
            with Choice(id="f-channel", compact=True, classes="choice"):
                for i, channel in enumerate(CHANNELS):
                    yield RadioButton(channel_label(channel), value=i == 0, id=f"ch-{channel}")
            with Vertical(id="post-fields", classes="channel-fields"):
                with Horizontal(classes="field-row", id="row-post_option"):
                    yield Label(t("intake.form.post_option"), classes="field-label")
                    with Choice(id="f-post_option", compact=True, classes="choice"):
                        for option in POST_OPTIONS:
                            yield RadioButton(f"{option}. {t(f'intake.post_option.{option}')}")
                yield Static("", id="m-post_option", classes="field-msg")
                yield _field("waybill", max_length=24)
                yield _field("postal_charge")
                yield _field("delivery_address")
            with Vertical(id="online-fields", classes="channel-fields"):
                yield _field("portal_code", max_length=44)
                with Horizontal(classes="field-row"):
                    yield Label(t("intake.form.level"), classes="field-label")
                    with Choice(id="f-level", compact=True, classes="choice"):
                        for level in ONLINE_LEVELS:
                            yield RadioButton(level)
                yield Static("", id="m-level", classes="field-msg")
                yield Checkbox(t("intake.form.vneid"), id="f-vneid", compact=True)
                yield Checkbox(t("intake.form.paid_online"), id="f-paid_online", compact=True)

            yield Label(t("intake.form.section.applicant"), classes="section")
            for name in ("applicant_name", "id_number", "phone", "address", "email",
                         "representative", "representative_id"):
                yield _field(name)

            yield Label(t("intake.form.section.documents"), classes="section")
            with Horizontal(classes="doc-row doc-head"):
                yield Label(t("intake.form.doc_name"), classes="doc-name")
                yield Label(t("intake.form.originals"), classes="doc-count")
                yield Label(t("intake.form.copies"), classes="doc-count")
            yield Vertical(Static(t("intake.form.no_procedure_docs"), classes="hint-inline"),
                           id="documents")
            yield Static("", id="m-documents", classes="field-msg")
            yield Button(t("intake.form.add_document_button"), id="add-document", compact=True)

            yield Label(t("intake.form.section.other"), classes="section")
            yield _field("sets", value="1", restrict=r"[0-9]*", max_length=2)
            yield _field("fee", label="intake.form.fee_field",
                         placeholder=t("intake.form.fee_placeholder"))
            yield _field("note", max_length=1000)
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#procedure-matches").display = False
        self._show_channel("walk_in")
        self.query_one("#f-procedure", Input).focus()

    # --- small accessors ---------------------------------------------------------------------

    def _input(self, name: str) -> Input:
        return self.query_one(f"#f-{name}", Input)

    def _value(self, name: str) -> str:
        return self._input(name).value

    @property
    def channel(self) -> str:
        index = self.query_one("#f-channel", RadioSet).pressed_index
        return CHANNELS[index] if index >= 0 else CHANNELS[0]

    @property
    def documents(self) -> list[DocumentItem]:
        return list(self.query_one("#documents").query_children(DocumentItem))

    def _set_message(self, target: Static, text: str, kind: str = "error") -> None:
        target.update(text)
        target.set_class(bool(text) and kind == "error", "-error")
        target.set_class(bool(text) and kind == "info", "-info")

    # --- procedure picker --------------------------------------------------------------------

    @on(Input.Changed, "#f-procedure")
    def _procedure_typed(self, event: Input.Changed) -> None:
        if self._search_timer is not None:
            self._search_timer.stop()
        if not clean(event.value):
            self._show_matches([], "")
            return
        self._search_timer = self.set_timer(self.SEARCH_DELAY, self._search)

    def _search(self) -> None:
        self._search_timer = None
        text = self._value("procedure")
        if not clean(text):
            self._pick_when_found = False
            return
        self.ask(lambda store: services.catalogue.search(store, text),
                 on_done=lambda found: self._found(text, found), group="search")

    def _found(self, text: str, found: list[ProcedureView]) -> None:
        if text != self._value("procedure"):
            return  # typed on since: a newer search is coming
        if not self._pick_when_found and self.focused is not self._input("procedure"):
            return  # the officer has moved on
        self._show_matches(rank(found, text), text)
        if self._pick_when_found:
            self._pick_when_found = False
            if self.matches:
                self._pick(self.matches[0])
                self.focus_next()

    def _show_matches(self, found: list[ProcedureView], text: str) -> None:
        self.matches = found
        self._searched = text
        box = self.query_one("#procedure-matches", Matches)
        box.clear_options()
        box.display = bool(text)
        if not text:
            return
        if not found:
            box.add_option(Option(t("intake.form.no_match", text=clean(text)), disabled=True))
            return
        box.add_options(Option(Text.assemble((p.name, "bold"), f"  [{p.code}]\n",
                                             (procedure_terms(p), "dim")), id=p.code)
                        for p in found)
        box.highlighted = 0

    def _matches_current(self) -> bool:
        """The matches shown are for what the box holds now (not a search still coming)."""
        return self._searched == self._value("procedure") and self._search_timer is None

    def _is_chosen_name(self, text: str) -> bool:
        return self.procedure is not None and text == self.procedure.name

    def action_procedure_move(self, step: int) -> None:
        box = self.query_one("#procedure-matches", Matches)
        text = self._value("procedure")
        if clean(text) and not self._is_chosen_name(text) and not self._matches_current():
            return  # the matches for what was just typed are on their way
        if not box.display or not self.matches:
            (self.focus_next if step > 0 else self.focus_previous)()
            return
        if step > 0:
            box.action_cursor_down()
        else:
            box.action_cursor_up()

    @on(OptionList.OptionSelected, "#procedure-matches")
    def _match_clicked(self, event: OptionList.OptionSelected) -> None:
        chosen = next((p for p in self.matches if p.code == event.option.id), None)
        if chosen is not None:
            self._pick(chosen)

    def _procedure_enter(self) -> None:
        box = self.query_one("#procedure-matches", Matches)
        text = self._value("procedure")
        if clean(text) and not self._is_chosen_name(text) and not self._matches_current():
            # Enter before the matches of what was typed are in: search now, take the best
            if self._search_timer is not None:
                self._search_timer.stop()
                self._search_timer = None
            self._pick_when_found = True
            self._search()
            return
        if box.display and self.matches:
            index = box.highlighted if box.highlighted is not None else 0
            self._pick(self.matches[index])
        self.focus_next()

    def _pick(self, p: ProcedureView) -> None:
        self.query_one("#procedure-matches", Matches).display = False
        self._wanted_code = p.code
        self._due = None
        procedure_input = self._input("procedure")
        with procedure_input.prevent(Input.Changed):
            procedure_input.value = p.name
        self._set_message(self.query_one("#m-procedure", Static), "")
        code = p.code
        self.ask(lambda store: services.catalogue.get(store, code),
                 on_done=self._procedure_loaded, group="procedure")
        self.ask(lambda store: services.intake.preview_due(store, code), on_done=self._show_due,
                 group="due")

    async def _procedure_loaded(self, p: ProcedureView | None) -> None:
        if p is None:
            return
        self.procedure = p
        self._show_procedure_info()
        extras = [d.line() for d in self.documents if d.fixed_name is None]
        box = self.query_one("#documents", Vertical)
        await box.remove_children()
        await box.mount_all(
            [DocumentItem(doc.name, doc.originals, doc.copies) for doc in p.documents]
            + [DocumentItem(None, x.originals, x.copies, extra=x.name) for x in extras])
        self._update_fee()
        level = self.query_one("#f-level", RadioSet)
        if p.level in ONLINE_LEVELS and level.pressed_index < 0:
            list(level.query(RadioButton))[ONLINE_LEVELS.index(p.level)].value = True

    def _show_due(self, due: datetime) -> None:
        self._due = due
        self._show_procedure_info()

    def _show_procedure_info(self) -> None:
        p = self.procedure
        if p is None or p.code != self._wanted_code:
            return
        lines = Text.assemble((t("intake.form.chosen", name=p.name, code=p.code), "bold"),
                              "\n", procedure_terms(p))
        if self._due is not None:
            lines.append("\n" + t("intake.form.due", due=self._due.strftime(DATETIME)), "bold")
        self.query_one("#procedure-info", Static).update(lines)

    # --- channel -----------------------------------------------------------------------------

    @on(RadioSet.Changed, "#f-channel")
    def _channel_changed(self, event: RadioSet.Changed) -> None:
        self._show_channel(self.channel)
        self._update_fee()

    def _show_channel(self, channel: str) -> None:
        self.query_one("#post-fields").display = channel == "post"
        self.query_one("#online-fields").display = channel == "online"

    def _update_fee(self) -> None:
        """Fill the fee from the procedure, unless the officer typed one of their own."""
        p = self.procedure
        if p is None:
            return
        fee = self._input("fee")
        amount = p.fee_online_vnd if self.channel == "online" else p.fee_vnd
        if fee.value in ("", self._auto_fee):
            self._auto_fee = _fee_text(amount)
            fee.value = self._auto_fee

    # --- documents ---------------------------------------------------------------------------

    def action_add_document(self) -> None:
        item = DocumentItem(None, 1, 0)
        box = self.query_one("#documents", Vertical)
        for hint in box.query(".hint-inline"):
            hint.remove()
        box.mount(item)
        self.call_after_refresh(self._focus_new, item)

    def _focus_new(self, item: DocumentItem) -> None:
        if item.name_input is not None:
            item.name_input.focus()

    @on(Button.Pressed, "#add-document")
    def _add_pressed(self) -> None:
        self.action_add_document()

    # --- field checks as the officer goes ----------------------------------------------------

    def _check_field(self, name: str) -> tuple[str, str]:
        """(kind, text) for the field as typed now: ("error", why), ("info", what) or none.

        An empty field is not reproached while the officer is only passing through it: what
        is missing is listed on save, next to each field."""
        value = self._value(name)
        if not clean(value):
            return "", ""
        try:
            if name in ("applicant_name", "representative"):
                v.validate_name(value, field=name)
            elif name in ("id_number", "representative_id"):
                ident = v.validate_id_number(value, field=name)
                if ident.kind == "cccd":
                    return "info", t(
                        "intake.form.id_info", kind="CCCD", gender=ident.gender_label,
                        year=ident.birth_year,
                        place=ident.province_name or t("intake.form.born_abroad"))
            elif name == "phone":
                v.validate_phone(value, field=name)
            elif name in ("address", "delivery_address"):
                v.validate_address(value, field=name)
            elif name == "email":
                v.validate_email(value, field=name)
            elif name == "waybill":
                waybill = v.validate_waybill(value, field=name)
                if v.waybill_check_ok(waybill) is False:
                    return "info", t("intake.form.waybill_check")
            elif name in ("postal_charge", "fee"):
                v.validate_fee(value, field=name)
            elif name == "portal_code":
                v.validate_portal_code(value, field=name)
            elif name == "sets":
                v.validate_sets(value, field=name)
            elif name == "note":
                v.validate_note(value, field=name)
        except UserError as exc:
            return "error", str(exc)
        return "", ""

    def _field_name(self, widget: Widget) -> str | None:
        if widget.id and widget.id.startswith("f-") and widget.id[2:] in TEXT_FIELDS:
            return widget.id[2:]
        return None

    def _recheck(self, widget: Input, *, only_if_wrong: bool) -> None:
        name = self._field_name(widget)
        if name is not None:
            if not clean(widget.value):
                return  # nothing typed: what is missing stays listed until the next save
            target = self.query_one(f"#m-{name}", Static)
            if only_if_wrong and not target.has_class("-error"):
                return
            self._set_message(target, *reversed(self._check_field(name)))
            return
        item = next((d for d in self.documents if widget in (d.originals, d.copies,
                                                              d.name_input)), None)
        if item is not None and (not only_if_wrong or item.msg.has_class("-error")):
            self._set_message(item.msg, self._check_document(item))

    def _check_document(self, item: DocumentItem) -> str:
        try:
            originals = v.validate_count(item.originals.value or 0)
            copies = v.validate_count(item.copies.value or 0)
        except UserError as exc:
            return str(exc)
        if item.name_input is not None and not clean(item.doc_name) and (originals or copies) \
                and self.focused not in (item.name_input, item.originals, item.copies):
            return t("intake.documents.name")
        return ""

    @on(Input.Blurred)
    def _left_field(self, event: Input.Blurred) -> None:
        if event.input.id == "f-procedure":
            self._left_procedure(event.input)
        else:
            self._recheck(event.input, only_if_wrong=False)

    def _left_procedure(self, box: Input) -> None:
        """Leaving the search without taking a match: the chosen procedure stays, and its name
        comes back, so the form never shows one procedure while it would store another."""
        if self._pick_when_found:
            return  # Enter was pressed before the search ran: the best match is on its way
        if self._search_timer is not None:
            self._search_timer.stop()
            self._search_timer = None
        self.query_one("#procedure-matches", Matches).display = False
        self.matches, self._searched = [], ""
        if self.procedure is not None and self.procedure.code != self._wanted_code:
            return  # a match was just taken: its name is in the box, its terms are loading
        if self.procedure is not None and box.value != self.procedure.name:
            with box.prevent(Input.Changed):
                box.value = self.procedure.name

    @on(Input.Changed)
    def _typed(self, event: Input.Changed) -> None:
        if event.input.id != "f-procedure":
            self._recheck(event.input, only_if_wrong=True)

    @on(Input.Submitted)
    def _enter(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id == "f-procedure":
            self._procedure_enter()
        else:
            self.focus_next()

    # --- save --------------------------------------------------------------------------------

    def draft(self) -> DossierDraft:
        """What the form holds now, as raw text: the service checks it."""
        post = self.query_one("#f-post_option", RadioSet).pressed_index
        level = self.query_one("#f-level", RadioSet).pressed_index
        return DossierDraft(
            channel=self.channel,
            procedure_code=self.procedure.code if self.procedure else self._value("procedure"),
            applicant_name=self._value("applicant_name"), id_number=self._value("id_number"),
            phone=self._value("phone"), address=self._value("address"),
            email=self._value("email"), representative=self._value("representative"),
            representative_id=self._value("representative_id"),
            documents=[d.line() for d in self.documents],
            sets=self._value("sets"), fee=self._value("fee") or None, note=self._value("note"),
            post_option=POST_OPTIONS[post] if post >= 0 else None,
            waybill=self._value("waybill"), postal_charge=self._value("postal_charge") or 0,
            delivery_address=self._value("delivery_address"),
            portal_code=self._value("portal_code"),
            level=ONLINE_LEVELS[level] if level >= 0 else "",
            vneid=self.query_one("#f-vneid", Checkbox).value,
            paid_online=self.query_one("#f-paid_online", Checkbox).value,
            ticket_id=self.ticket_id,
        )

    def action_save(self) -> None:
        if self._saving:
            self.notify(t("intake.form.busy"), severity="warning")
            return
        self._saving = True
        draft = self.draft()
        self.ask(lambda store: services.intake.receive(store, draft), on_done=self._saved,
                 on_refused=self._refused, on_failed=self._unlock)

    def _unlock(self) -> None:
        self._saving = False

    def _refused(self, error: UserError) -> None:
        self._saving = False
        if isinstance(error, IntakeErrors):
            self.show_errors(error)
        else:
            self.refused(error)

    def _saved(self, received: ReceivedDossier) -> None:
        self._saving = False
        d = received.dossier
        due = d.due_at.strftime(DATETIME) if d.due_at else "-"
        self.app.clear_notifications()  # the refusals of earlier tries no longer apply
        self.notify(t("intake.form.received", code=d.code, due=due), timeout=15)
        self.dismiss(received)

    def _clear_errors(self) -> None:
        for msg in self.query(".field-msg.-error").results(Static):
            self._set_message(msg, "")

    def show_errors(self, errors: IntakeErrors) -> None:
        """Every problem next to its field; focus on the first one in the form."""
        self._clear_errors()
        targets: list[Widget] = []
        items = self.documents
        for exc in errors.errors:
            name = exc.field or ""
            msg: Static | None
            focus: Widget | None
            if name.startswith("documents.") and name.count(".") == 2:
                _, index, part = name.split(".")
                item = items[int(index)] if int(index) < len(items) else None
                msg = item.msg if item else None
                focus = {"originals": item.originals, "copies": item.copies,
                         "name": item.name_input}.get(part) if item else None
            elif name == "documents":
                msg = self.query_one("#m-documents", Static)
                focus = items[0].originals if items else self.query_one("#add-document")
            else:
                found = self.query(f"#m-{name}")
                msg = cast(Static, found.first()) if found else None
                focused = self.query(f"#f-{name}")
                focus = focused.first() if focused else None
            if msg is not None:
                self._set_message(msg, str(exc))
            if focus is not None:
                targets.append(focus)
            else:
                self.notify(str(exc), severity="error")
        self.notify(str(errors), severity="error", timeout=8)
        chain = self.focus_chain
        targets.sort(key=lambda w: chain.index(w) if w in chain else len(chain))
        if targets:
            targets[0].focus()

    # --- leaving -----------------------------------------------------------------------------

    def is_dirty(self) -> bool:
        if self.procedure is not None or clean(self._value("procedure")):
            return True
        if any(clean(self._value(n)) for n in TEXT_FIELDS if n not in ("sets", "fee")):
            return True
        return any(d.fixed_name is None and clean(d.doc_name) for d in self.documents)

    def action_back(self) -> None:
        box = self.query_one("#procedure-matches", Matches)
        if box.display:
            box.display = False
            return
        if not self.is_dirty():
            self.dismiss(None)
            return

        def answered(discard: bool | None) -> None:
            if discard:
                self.dismiss(None)

        self.app.push_screen(ConfirmDiscard(), answered)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "save" and self._saving:
            return None
        return True

