"""The form machine: every form of the app is a list of fields declared as data.

A `Field` names its value (the service's keyword, and the `UserError.field` whose message is
shown beside it), its label (a message key), its kind, whether it is required and how it is
checked: a validator from `counter_tui.core`, called as `check(value, field=name)`, the same
one the service uses. `FieldRow` draws a field: label, input, and the line under it that says
what is wrong (or, for a value that is right, what it means: what a CCCD number tells).

`Form` holds the rows (and whatever widgets a screen adds of its own: intake's procedure
search and documents) and gives every form the same behaviour:

- focus moves in the order the fields are declared: Tab, and Enter (`enter="next"`), or Enter
  submits (`enter="submit"`, the short forms of a dialog);
- a field is checked as the officer leaves it; an empty field is not reproached on the way
  through, only when the form is submitted; a field marked wrong is checked again as it is
  typed, so its message goes the moment it is right;
- on submit, every field is checked (`precheck`) and every problem is shown beside its field,
  focus on the first; then the screen gets `Form.Submitted` with the values, asks its service,
  and shows the service's refusals the same way (`show_errors`). Nothing typed is cleared.

`FormDialog` is a dialog made of fields alone: the lifecycle steps, transfer, the supervisor's
exports. (Keys typed faster than the screen can follow are kept in order by the app: see
ui.keys.)
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, ClassVar, Generic, TypeVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.widget import Widget
from textual.widgets import (
    Checkbox,
    Input,
    OptionList,
    RadioButton,
    RadioSet,
    SelectionList,
    Static,
)
from textual.widgets.option_list import Option

from counter_tui.core.errors import UserError
from counter_tui.core.i18n import known, t
from counter_tui.core.records import frozen
from counter_tui.core.text import clean
from counter_tui.ui.base import BaseModal, bind
from counter_tui.ui.widgets.text import Msg

R = TypeVar("R")
KINDS = ("text", "secret", "choice", "pick", "checklist", "flag")
Options = Sequence[tuple[str, str]]


@frozen
class Field:
    """One value of a form.

    kind: text (one line), secret (shown as dots), choice (radio buttons: arrows or digits
    choose), pick (a list: Enter takes the highlighted entry and submits), checklist (a list of
    ticks: space), flag (a tick box).
    """

    name: str
    label: str  # message key
    kind: str = "text"
    required: bool = False
    check: Callable[..., Any] | None = None  # check(value, field=name) -> clean value
    describe: Callable[[Any], str] | None = None  # what a right value means, shown under it
    options: Options = ()  # (value, message key or text shown) for choice, pick, checklist
    numbered: bool = False  # a choice's options shown "1. …", "2. …" (the digits choose)
    value: str = ""  # the starting value (a choice's chosen value, "1" for a ticked flag)
    placeholder: str = ""  # message key
    max_length: int = 0
    restrict: str | None = None
    also: tuple[str, ...] = ()  # other UserError.field names whose message is shown here

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"field {self.name}: unknown kind {self.kind!r}")


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


def option_labels(field: Field) -> list[str]:
    """The options of a field as shown now: a message key is looked up, anything else (a
    group's or a unit's name from the store) is shown as it is."""
    shown = [t(text) if known(text) else text for _, text in field.options]
    return [f"{i}. {text}" if field.numbered else text for i, text in enumerate(shown, start=1)]


def field_widget(field: Field, *, compact: bool = False) -> Widget:
    """The input of a field, `#f-<name>`."""
    wid = f"f-{field.name}"
    labels = option_labels(field)
    values = [value for value, _ in field.options]
    if field.kind == "choice":
        return Choice(*(RadioButton(text, value=value == field.value, name=value)
                        for value, text in zip(values, labels, strict=True)),
                      id=wid, compact=compact, classes="choice")
    if field.kind == "pick":
        return OptionList(*(Option(text, id=value)
                            for value, text in zip(values, labels, strict=True)), id=wid)
    if field.kind == "checklist":
        return SelectionList[str](*zip(labels, values, strict=True), id=wid)
    if field.kind == "flag":
        return Checkbox(t(field.label), bool(field.value), id=wid, compact=compact)
    return Input(field.value, id=wid, password=field.kind == "secret", compact=compact,
                 placeholder=t(field.placeholder) if field.placeholder else "",
                 max_length=field.max_length, restrict=field.restrict)


class FieldRow(Vertical):
    """A field drawn: its label (beside the input when `inline`, else above), the input, and
    `#m-<name>`, the line that says what is wrong with it."""

    def __init__(self, field: Field, *, inline: bool = False, compact: bool = False) -> None:
        super().__init__(id=f"field-{field.name}", classes="field")
        self.field = field
        self.input = field_widget(field, compact=compact)
        self.message = Static("", id=f"m-{field.name}", classes="field-msg")
        self.inline = inline

    def relabel(self) -> None:
        """The language changed: the options, the tick box and the placeholder again."""
        f, widget = self.field, self.input
        if isinstance(widget, RadioSet):
            for button, text in zip(widget.query(RadioButton).results(RadioButton),
                                    option_labels(f), strict=False):
                button.label = text
        elif isinstance(widget, Checkbox):
            widget.label = t(f.label)
        elif isinstance(widget, Input) and f.placeholder:
            widget.placeholder = t(f.placeholder)

    def compose(self) -> ComposeResult:
        label = Msg(self.field.label, classes="field-label")
        if self.field.kind == "flag":  # the tick box carries its own label
            yield self.input
        elif self.inline:
            with Horizontal(classes="field-row"):
                yield label
                yield self.input
        else:
            yield label
            yield self.input
        yield self.message


def rows(fields: Sequence[Field], *, inline: bool = False, compact: bool = False
         ) -> list[FieldRow]:
    return [FieldRow(f, inline=inline, compact=compact) for f in fields]


def value_of(widget: Widget) -> Any:
    if isinstance(widget, Input):
        return widget.value
    if isinstance(widget, RadioSet):
        pressed = widget.pressed_button
        return (pressed.name or "") if pressed is not None else ""
    if isinstance(widget, SelectionList):
        return list(widget.selected)
    if isinstance(widget, OptionList):
        index = widget.highlighted
        return str(widget.get_option_at_index(index).id) if index is not None else ""
    if isinstance(widget, Checkbox):
        return widget.value
    raise TypeError(f"not a field's input: {widget!r}")


def say(target: Static, text: str, kind: str = "error") -> None:
    """Show `text` on a field's message line: an "error" or an "info"; "" clears it."""
    target.update(text)
    target.set_class(bool(text) and kind == "error", "-error")
    target.set_class(bool(text) and kind == "info", "-info")


def _empty(value: Any) -> bool:
    return not clean(value) if isinstance(value, str) else not value


# where a refusal that names no field of the form goes: (message line, widget to focus)
Locate = Callable[[str], "tuple[Static | None, Widget | None] | None"]


class Form(VerticalScroll, can_focus=False):
    """The fields of a form, and the screen's own widgets between them (see the docstring)."""

    class Submitted(Message):
        """The officer asked to save: every field passed its check."""

        def __init__(self, form: Form, values: dict[str, Any]) -> None:
            super().__init__()
            self.form, self.values = form, values

    def __init__(self, *children: Widget, enter: str = "next", precheck: bool = True,
                 id: str | None = None, classes: str | None = None) -> None:
        super().__init__(*children, id=id, classes=classes)
        self.enter = enter
        self.precheck = precheck
        self.locate: Locate | None = None

    # --- the fields ----------------------------------------------------------------------

    @property
    def rows(self) -> list[FieldRow]:
        return list(self.query(FieldRow))

    def row(self, name: str) -> FieldRow:
        return self.query_one(f"#field-{name}", FieldRow)

    def widget(self, name: str) -> Widget:
        return self.row(name).input

    def value(self, name: str) -> Any:
        return value_of(self.widget(name))

    def values(self) -> dict[str, Any]:
        return {r.field.name: value_of(r.input) for r in self.rows}

    def _row_of(self, widget: Widget | None) -> FieldRow | None:
        for node in (widget.ancestors_with_self if widget is not None else ()):
            if isinstance(node, FieldRow):
                return node
            if node is self:
                break
        return None

    @staticmethod
    def _shown(row: FieldRow) -> bool:
        return all(node.display for node in row.ancestors_with_self
                   if isinstance(node, Widget) and not isinstance(node, Form))

    # --- checking --------------------------------------------------------------------------

    def check_row(self, row: FieldRow, *, submitting: bool = False) -> UserError | None:
        """The problem of one field, or None; shows it (or what the value means) beside it.
        Passing through an empty field says nothing (what a save listed as missing stays)."""
        f, value = row.field, value_of(row.input)
        error: UserError | None = None
        info = ""
        if _empty(value):
            if not submitting:
                return None
            if f.required:
                try:
                    if f.check is not None:
                        f.check(value, field=f.name)
                    error = UserError("form.required", field=f.name, label=t(f.label).lower())
                except UserError as exc:
                    error = exc
        elif f.check is not None:
            try:
                checked = f.check(value, field=f.name)
                info = f.describe(checked) if f.describe is not None else ""
            except UserError as exc:
                error = exc
        if error is not None:
            say(row.message, str(error))
        else:
            say(row.message, info, "info")
        return error

    def check(self) -> list[UserError]:
        """Every shown field, as on submit; each problem is shown beside its field."""
        return [e for r in self.rows if self._shown(r)
                if (e := self.check_row(r, submitting=True)) is not None]

    def submit(self) -> None:
        """Check (when `precheck`), then post Submitted with the values."""
        if self.precheck:
            errors = self.check()
            if errors:
                self.focus_first([self.widget(e.field) for e in errors if e.field])
                return
        self.post_message(self.Submitted(self, self.values()))

    def clear_errors(self) -> None:
        for target in self.screen.query(".field-msg.-error").results(Static):
            say(target, "")

    def show_errors(self, errors: Sequence[UserError]) -> list[UserError]:
        """Each refusal beside its field (by name, or a field's `also`, or `locate`); focus
        on the first field to fix in the form's order. The refusals placed nowhere are
        returned, for the screen to show as a whole."""
        self.clear_errors()
        by_name = {name: r for r in self.rows for name in (r.field.name, *r.field.also)}
        targets: list[Widget] = []
        unplaced: list[UserError] = []
        for error in errors:
            name = error.field or ""
            message: Static | None
            focus: Widget | None
            if name in by_name:
                message, focus = by_name[name].message, by_name[name].input
            else:
                located = self.locate(name) if self.locate is not None and name else None
                message, focus = located or (None, None)
            if message is not None:
                say(message, str(error))
            else:
                unplaced.append(error)
            if focus is not None:
                targets.append(focus)
        self.focus_first(targets)
        return unplaced

    def focus_first(self, widgets: Sequence[Widget]) -> None:
        chain = self.screen.focus_chain
        ordered = sorted(widgets, key=lambda w: chain.index(w) if w in chain else len(chain))
        if ordered:
            self.screen.set_focus(ordered[0])

    def is_dirty(self) -> bool:
        """Anything typed or chosen other than what the form started with."""
        for r in self.rows:
            value = value_of(r.input)
            if isinstance(value, str):
                if clean(value) != clean(r.field.value) and r.field.kind != "pick":
                    return True
            elif r.field.kind == "checklist" and value:
                return True
        return False

    # --- the keys and the checks as the officer goes ---------------------------------------

    @on(Input.Blurred)
    def _left(self, event: Input.Blurred) -> None:
        row = self._row_of(event.input)
        if row is not None:
            self.check_row(row)

    @on(Input.Changed)
    def _typed(self, event: Input.Changed) -> None:
        row = self._row_of(event.input)
        if row is not None and row.message.has_class("-error") and not _empty(event.value):
            self.check_row(row)

    @on(Input.Submitted)
    def _entered(self, event: Input.Submitted) -> None:
        if self._row_of(event.input) is None and not event.input.has_class("-enter-next"):
            return  # an input of the screen's own, with its own Enter
        event.stop()
        rows_ = self.rows
        if self.enter == "submit" or (self.enter == "next-submit" and rows_
                                      and event.input is rows_[-1].input):
            self.submit()
        else:
            self.screen.focus_next()

    @on(OptionList.OptionSelected)
    def _picked(self, event: OptionList.OptionSelected) -> None:
        row = self._row_of(event.option_list)
        if row is not None and row.field.kind == "pick":
            event.stop()
            self.submit()


class FormDialog(BaseModal[R], Generic[R]):
    """A dialog made of fields: title, a line of information, the fields, a hint.

    `submitted(values)` decides what saving means: by default the dialog returns the values;
    `save(call, ...)` stores them through a service first, and keeps the dialog (and every
    value typed) until the service has said yes, showing a refusal beside its field."""

    BINDINGS: ClassVar[list[BindingType]] = [
        bind("ctrl+s", "save", "form.save", "form_save", display="Ctrl+S"),
        bind("escape", "cancel", "ui.cancel", "form_cancel", display="Esc"),
    ]

    def __init__(self, title: str, fields: Sequence[Field], *, info: str = "",
                 hint: str = "form.hint", enter: str = "submit", precheck: bool = True,
                 inline: bool = False, id: str | None = None, **title_params: object) -> None:
        super().__init__(id=id)
        self.title_key, self.title_params = title, title_params
        self.fields, self.info, self.hint = tuple(fields), info, hint
        self.enter, self.precheck, self.inline = enter, precheck, inline
        self.busy = False

    @property
    def form(self) -> Form:
        return self.query_one(Form)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog form-dialog"):
            yield Msg(self.title_key, self.title_params, classes="box-title")
            if self.info:
                yield Static(self.info, id="form-info")
            yield Static("", id="m-form", classes="field-msg")
            yield Form(*rows(self.fields, inline=self.inline, compact=self.inline),
                       enter=self.enter, precheck=self.precheck, id="form-fields",
                       classes="-inline" if self.inline else None)
            yield Msg(self.hint, classes="hint")

    focus_first_on: str | None = None  # a field to start in other than the first

    def on_mount(self) -> None:
        self.resized()
        rows_ = self.form.rows
        if self.focus_first_on:
            self.set_focus(self.form.widget(self.focus_first_on))
        elif rows_:
            self.set_focus(rows_[0].input)
            # focusing scrolls the first input into view, and on 24 rows that hides its label:
            # the top of the form shows both
            self.call_after_refresh(self.form.scroll_home, animate=False)

    def resized(self) -> None:
        """The fields scroll inside the dialog when the terminal is short (24 rows)."""
        self.form.styles.max_height = max(4, min(30, self.app.size.height - 11))

    def on_resize(self, event: events.Resize) -> None:
        self.resized()

    def action_save(self) -> None:
        if self.busy:
            return
        self.form.submit()

    @on(Form.Submitted)
    def _submitted(self, event: Form.Submitted) -> None:
        event.stop()
        if not self.busy:
            say(self.query_one("#m-form", Static), "")
            self.submitted(event.values)

    def submitted(self, values: dict[str, Any]) -> None:
        self.dismiss(values)  # type: ignore[arg-type]

    def save(self, call: Callable[[Any], Any], on_done: Callable[[Any], object] | None = None
             ) -> None:
        """Store through `call(store)` in a worker; the dialog closes with its result."""
        self.busy = True
        self.ask(call, on_done=on_done or self.dismiss, on_refused=self.refusal,
                 on_failed=self._unlock, hold_keys=True)

    def refusal(self, error: UserError) -> None:
        self.busy = False
        unplaced = self.form.show_errors(list(getattr(error, "errors", None) or [error]))
        if unplaced:
            say(self.query_one("#m-form", Static), "\n".join(str(e) for e in unplaced))

    def _unlock(self) -> None:
        self.busy = False

    def action_cancel(self) -> None:
        if self.busy:  # the save is under way: its outcome is shown here
            self.notify(t("form.saving"), severity="warning")
            return
        self.dismiss(None)
