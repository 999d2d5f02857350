"""D: the officer's worklists: due today, overdue, waiting for supplements, ready to return,
returned today. 1-5 switch lists (the counts are in the title line), Enter opens the dossier
(its status keys are there), F5 reloads, Esc goes back. The lists reload when the officer comes
back from a dossier and every half minute.
"""

from __future__ import annotations

from datetime import datetime

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.widgets import DataTable, Static

from counter_tui.core.i18n import t
from counter_tui.core.lifecycle import WORKLISTS, Worklist
from counter_tui.core.statuses import status_label
from counter_tui.ui import services
from counter_tui.ui.base import BaseScreen, bind
from counter_tui.ui.widgets.keybar import KeyBar
from counter_tui.ui.widgets.text import Msg

DATETIME = "%H:%M %d/%m/%Y"
REFRESH_SECONDS = 30.0
PROCEDURE_WIDTH = 34
# the date column of each list: what the officer sorts by in their head
WHEN = {"due_today": "when", "overdue": "when", "supplements": "deadline", "ready": "ready",
        "returned_today": "returned", "undigitised": "received"}


def _when(at: datetime | None) -> str:
    return at.strftime(DATETIME) if at else ""


class WorklistScreen(BaseScreen[None]):
    BINDINGS = [
        *(bind(str(i), f"show('{name}')", f"wl.list.{name}", f"wl_{name}")
          for i, name in enumerate(WORKLISTS, start=1)),
        bind("enter", "open", "wl.open", "wl_open", display="Enter"),
        bind("f5", "reload", "wl.reload", "wl_reload"),
        bind("escape", "back", "wl.back", "wl_back", display="Esc"),
    ]
    DEFAULT_CSS = """
    #wl-title { height: 1; background: $primary; text-style: bold; padding: 0 1; }
    #wl-tabs { height: auto; padding: 0 1; }
    #wl-info { height: auto; padding: 0 1; color: $text-muted; }
    #wl-table { height: 1fr; margin: 0 1; }
    """

    def __init__(self, name: str = "due_today") -> None:
        super().__init__(id="worklists")
        self.current = name
        self.result: Worklist | None = None
        self.counts: dict[str, int] = {}

    def compose(self) -> ComposeResult:
        yield Msg("wl.title", id="wl-title")
        yield Static("", id="wl-tabs")
        yield DataTable(id="wl-table", cursor_type="row", zebra_stripes=True)
        yield Static("", id="wl-info")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#wl-table", DataTable).focus()
        # the periodic refresh is not the officer opening a list: not a look to record
        self.set_interval(REFRESH_SECONDS, lambda: self.reload(audited=False))
        self.reload()

    def on_screen_resume(self) -> None:
        self.reload()

    def reload(self, *, audited: bool = True) -> None:
        name = self.current
        self.ask(lambda store: services.worklists.worklist(store, name, audited=audited),
                 on_done=self.show, group="worklist")
        self.ask(services.worklists.counts, on_done=self._counted, group="counts")

    def _counted(self, counts: dict[str, int]) -> None:
        self.counts = counts
        self._tabs()

    def _tabs(self) -> None:
        parts = Text()
        for i, name in enumerate(WORKLISTS, start=1):
            label = f" {i} {t(f'wl.list.{name}')} ({self.counts.get(name, '…')}) "
            parts.append(label, style="reverse bold" if name == self.current else "")
            parts.append(" ")
        self.query_one("#wl-tabs", Static).update(parts)

    def relabel_data(self) -> None:
        if self.result is not None:
            self.show(self.result)
        else:
            self._tabs()

    def show(self, result: Worklist) -> None:
        self.result = result
        table = self.query_one("#wl-table", DataTable)
        table.clear(columns=True)
        when = WHEN[result.name]
        self.columns(table, *(f"wl.col.{key}" for key in (
            "code", "applicant", "procedure", "status", when, "ontime", "holder")))
        for i in result.items:
            moment = {"when": i.appointment_at, "deadline": i.supplement_deadline,
                      "ready": i.resolved_at, "returned": i.returned_at,
                      "received": i.received_at}[when]
            procedure = (i.procedure_name if len(i.procedure_name) <= PROCEDURE_WIDTH
                         else i.procedure_name[:PROCEDURE_WIDTH - 1] + "…")
            late = i.ontime in ("overdue", "late")
            table.add_row(i.code, i.applicant_name, procedure, status_label(i.status),
                          _when(moment), Text(i.ontime_label, style="bold red" if late else ""),
                          i.holder, key=i.code)
        info = t("wl.more", n=len(result.items)) if result.has_more else (
            "" if result.items else t("wl.empty"))
        self.query_one("#wl-info", Static).update(info)
        self._tabs()

    # --- keys ---------------------------------------------------------------------------------

    def action_show(self, name: str) -> None:
        if name in WORKLISTS and name != self.current:
            self.current = name
            self.reload()

    def selected(self) -> str | None:
        table = self.query_one("#wl-table", DataTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key
        return str(key.value) if key.value else None

    def action_open(self) -> None:
        code = self.selected()
        if code:
            from counter_tui.ui.screens.dossier import DossierScreen

            self.app.push_screen(DossierScreen(code))

    @on(DataTable.RowSelected, "#wl-table")
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open()

    def action_reload(self) -> None:
        self.reload()

    def action_back(self) -> None:
        self.dismiss(None)
