"""F5: find a dossier by its code, the applicant's phone, ID number or name.

The search box keeps the focus, so a barcode scanner (which types the receipt's code and Enter,
in any case, sometimes with a trailing CR/LF) works at any moment: a code that names exactly one
dossier opens it at once. Anything else lists the matches newest first, a page at a time; ↑/↓
choose a row from the box, Enter on the same text opens it, PgDn/PgUp (n/p in the table) page.
"""

from __future__ import annotations

from datetime import datetime

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Input, Static

from counter_tui.core.i18n import t
from counter_tui.core.statuses import status_label
from counter_tui.core.text import clean
from counter_tui.core.views import FindResult
from counter_tui.ui import services
from counter_tui.ui.base import BaseScreen, bind
from counter_tui.ui.widgets.keybar import KeyBar
from counter_tui.ui.widgets.text import Msg

DATETIME = "%H:%M %d/%m/%y"
CODE_W, NAME_W, PHONE_W, STATUS_W, WHEN_W = 25, 18, 11, 14, 14
WIDE_FIXED = CODE_W + NAME_W + PHONE_W + STATUS_W + 2 * WHEN_W + 2 * 7 + 2  # + padding, bar
MIN_FLEX = 20


def when(at: datetime | None) -> str:
    return at.strftime(DATETIME) if at else ""


def cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[:max(width - 1, 0)] + "…"


class LookupScreen(BaseScreen[None]):
    BINDINGS = [
        bind("escape", "back", "lookup.screen.back", "lookup_back", display="Esc"),
        bind("pagedown", "page(1)", "lookup.screen.next", "lookup_next_page", display="PgDn",
            priority=True),
        bind("pageup", "page(-1)", "lookup.screen.prev", "lookup_prev_page", display="PgUp",
            priority=True),
        bind("n", "page(1)", "lookup.screen.next", "lookup_next_page_n", show=False),
        bind("p", "page(-1)", "lookup.screen.prev", "lookup_prev_page_p", show=False),
        Binding("down", "row(1)", show=False),
        Binding("up", "row(-1)", show=False),
    ]

    def __init__(self, query: str = "") -> None:
        super().__init__(id="lookup")
        self.initial = query
        self.result: FindResult | None = None
        self._asked = ""  # the text the shown (or coming) result is for
        self._wide: bool | None = None  # one line a dossier, or two on a narrow terminal

    def compose(self) -> ComposeResult:
        yield Msg("lookup.screen.title", id="lookup-title")
        yield Input(self.initial, placeholder=t("lookup.screen.placeholder"), id="lookup-query")
        yield Static(t("lookup.screen.hint"), id="lookup-info")
        yield DataTable(id="lookup-results", cursor_type="row", zebra_stripes=True)
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#lookup-query", Input).focus()
        if clean(self.initial):
            self.search(self.initial)

    def on_screen_resume(self) -> None:
        """Back from a dossier: the next scan or typed text replaces the last one."""
        query = self.query_one("#lookup-query", Input)
        query.focus()
        query.select_all()

    # --- searching ---------------------------------------------------------------------------

    def search(self, text: str, page: int = 0) -> None:
        """Find in a worker; the keys typed meanwhile wait (a scanned code opens its dossier,
        and they are for that dossier)."""
        self._asked = text
        self.ask(lambda store: services.lookup.find(store, text, page=page),
                 on_done=lambda result: self.show(result, text), group="search",
                 hold_keys=True)

    def relabel_data(self) -> None:
        self.query_one("#lookup-query", Input).placeholder = t("lookup.screen.placeholder")
        self._wide = None  # the columns again, headed in the new language
        if self.result is not None:
            self._show_result(self.result, self._asked)
        else:
            self.query_one("#lookup-info", Static).update(t("lookup.screen.hint"))

    def show(self, result: FindResult, text: str) -> None:
        self.result = result
        if result.kind == "code" and result.page == 0 and len(result.items) == 1:
            self.open(result.items[0].code)
        self._show_result(result, text)

    def _show_result(self, result: FindResult, text: str) -> None:
        self._fill()
        kind = t(f"lookup.screen.kind.{result.kind}")
        info = self.query_one("#lookup-info", Static)
        if result.items:
            info.update(t("lookup.screen.found", kind=kind, count=len(result.items),
                          page=result.page + 1,
                          more=t("lookup.screen.more") if result.has_more else ""))
        else:
            info.update(t("lookup.screen.none", kind=kind, text=clean(text)))
        self.refresh_bindings()

    def on_resize(self, event: events.Resize) -> None:
        self.call_after_refresh(self._fill, keep_cursor=True)

    def _fill(self, keep_cursor: bool = False) -> None:
        """The rows of the result: one line each when the terminal is wide enough for every
        column, else two (code over status, applicant and phone over procedure, received
        over due), so nothing is cut off at 80 columns."""
        table = self.query_one("#lookup-results", DataTable)
        width = table.size.width or self.size.width - 2
        wide = width - WIDE_FIXED >= MIN_FLEX
        if wide != self._wide:
            self._wide = wide
            table.clear(columns=True)

            def col(key: str) -> str:
                return t(f"lookup.screen.col.{key}")

            if wide:
                table.header_height = 1
                for key, w in (("code", CODE_W), ("applicant", NAME_W), ("phone", PHONE_W),
                               ("procedure", None), ("status", STATUS_W),
                               ("received", WHEN_W), ("due", WHEN_W)):
                    table.add_column(col(key), key=key, width=w)
            else:
                table.header_height = 2
                table.add_column(f"{col('code')}\n{col('status')}", key="code", width=CODE_W)
                table.add_column(f"{col('applicant')} · {col('phone')}\n{col('procedure')}",
                                 key="who")
                table.add_column(f"{col('received')}\n{col('due')}", key="when", width=WHEN_W)
        keep = table.cursor_row if keep_cursor else 0
        table.clear()
        items = self.result.items if self.result else ()
        if wide:
            flex = max(width - WIDE_FIXED, MIN_FLEX)
            for d in items:
                table.add_row(d.code, cut(d.applicant_name, NAME_W), d.phone,
                              cut(d.procedure_name, flex), cut(status_label(d.status), STATUS_W),
                              when(d.received_at), when(d.due_at), key=d.code)
        else:
            flex = max(width - CODE_W - WHEN_W - 2 * 3 - 2, MIN_FLEX)
            for d in items:
                table.add_row(
                    f"{d.code}\n{cut(status_label(d.status), CODE_W)}",
                    f"{cut(f'{d.applicant_name} · {d.phone}', flex)}\n"
                    f"{cut(d.procedure_name, flex)}",
                    f"{when(d.received_at)}\n{when(d.due_at)}", key=d.code, height=2)
        if items:
            table.move_cursor(row=min(keep, len(items) - 1))

    @on(Input.Submitted, "#lookup-query")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        text = event.value
        if not clean(text):
            return
        table = self.query_one("#lookup-results", DataTable)
        if clean(text) == clean(self._asked) and self.result is not None and table.row_count:
            self._open_row()  # Enter again on the same text: open the chosen row
        else:
            self.search(text)

    @on(Input.Changed, "#lookup-query")
    def _typed(self, event: Input.Changed) -> None:
        # a scanner's trailing line feed arrives as text on some terminals: drop it
        if event.value != event.value.rstrip("\r\n"):
            event.input.value = event.value.rstrip("\r\n")

    @on(DataTable.RowSelected, "#lookup-results")
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value:
            self.open(event.row_key.value)

    def _open_row(self) -> None:
        table = self.query_one("#lookup-results", DataTable)
        if table.row_count:
            key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key
            if key.value:
                self.open(key.value)

    def open(self, code: str) -> None:
        from counter_tui.ui.screens.dossier import DossierScreen

        self.app.push_screen(DossierScreen(code))

    # --- keys --------------------------------------------------------------------------------

    def action_row(self, step: int) -> None:
        table = self.query_one("#lookup-results", DataTable)
        if step > 0:
            table.action_cursor_down()
        else:
            table.action_cursor_up()

    def action_page(self, step: int) -> None:
        if self.result is None:
            return
        page = self.result.page + step
        if page < 0 or (step > 0 and not self.result.has_more):
            return
        self.search(self._asked, page)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "page":
            step = parameters[0] if parameters else 1
            if self.result is None:
                return None
            if step == 1:
                return True if self.result.has_more else None
            return True if self.result.page > 0 else None
        return True

    def action_back(self) -> None:
        self.dismiss(None)

