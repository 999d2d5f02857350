"""What every screen shares: the app it runs in (typed), its keys, and asking a service.

`ask` runs a service call in a thread worker owned by the screen that asks. What comes back is
handed to the screen by the mechanism, not by guards written in each screen:

- a result reaches `on_done` only while the screen is open, and only if no newer request of
  the same `group` was made since (a group is exclusive: the newer request supersedes);
  requests without a group are commands, each reported on its own;
- a refusal (`UserError`: a field to fix, a move not allowed, another terminal was quicker)
  goes to `on_refused` (by default: a notification), never disguised as a result;
- anything else is logged and the officer sees a short apology with the log's path, then
  `on_failed` runs (a form unlocks itself, a dialog closes).

A request whose answer decides where the next key goes (it moves the focus, closes a dialog,
changes what the footer allows) is asked with `hold_keys=True`: keys typed meanwhile wait in
the app's key queue (ui.keys) until the answer is shown, then go on in order.

A result carrying a `print_job` (an issued ticket, a received dossier, a step's slip) is
printed from the same worker as soon as it is committed, before the screen is told: the slip
does not wait for a repaint.
"""

from __future__ import annotations

import inspect
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar, cast

from rich.cells import cell_len
from rich.text import Text
from textual import events, on
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable
from textual.worker import Worker, WorkerState

from counter_tui.core.errors import UserError
from counter_tui.core.i18n import t
from counter_tui.core.records import frozen
from counter_tui.core.roles import Action
from counter_tui.ui.widgets.keybar import KeyBar

if TYPE_CHECKING:
    from counter_tui.services.store import Store
    from counter_tui.ui.app import CounterApp

log = logging.getLogger(__name__)
T = TypeVar("T")
ResultT = TypeVar("ResultT")


def bind(keys: str, action: str, label: str, bid: str, *, help: str = "",
         display: str | None = None, show: bool = True, priority: bool = False) -> Binding:
    """A key of a screen. `label` (the binding's description) and `help` (its tooltip: what
    the command palette says beside the label) are message KEYS, translated where they are
    shown (the key bar, F1, the palette), so a change of language shows at once. `bid` is the
    binding's id, so keys can be remapped."""
    return Binding(keys, action, label, id=bid, tooltip=help, key_display=display, show=show,
                   priority=priority)


@frozen
class _Asked:
    on_done: Callable[[Any], object] | None
    on_refused: Callable[[UserError], object] | None
    on_failed: Callable[[], object] | None
    what: str


class BaseScreen(Screen[ResultT], Generic[ResultT]):
    """A screen of the app; modal dialogs use `BaseModal`."""

    BINDINGS: ClassVar[list[BindingType]] = [
        bind("f1", "help", "ui.help", "help", help="ui.help_more"),
    ]

    # action -> what the role matrix must allow for it: a key the signed-in officer's roles
    # do not allow is greyed out (the service would refuse it anyway: this only says so first)
    NEEDS: ClassVar[dict[str, Action]] = {}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._requests: dict[Worker[Any], _Asked] = {}
        self._holding: set[object] = set()
        self.styled_ahead = False  # built off screen, styled already (ui.ahead)

    @property
    def capp(self) -> CounterApp:
        return cast("CounterApp", self.app)

    # --- the terminal's size -------------------------------------------------------------------

    NARROW = 100  # columns: under this, screens lay out for an 80-column terminal
    SHORT = 30  # rows: under this, for a 24-row one

    def fit_to(self, size: Size) -> bool:
        """The classes that lay the screen out for `size`; whether they changed."""
        narrow, short = size.width < self.NARROW, size.height < self.SHORT
        if narrow == self.has_class("-narrow") and short == self.has_class("-short"):
            return False
        self.set_class(narrow, "-narrow")
        self.set_class(short, "-short")
        return True

    def on_resize(self, event: events.Resize) -> None:
        if self.fit_to(self.size):
            self.resized()
        elif self._laid_out_at(event.size):
            # Textual lays a screen out again at each Resize, and every screen under it. A
            # screen's first Resize (from no size to the terminal's) comes after its first
            # frame, laid out at that size already: doing it again redrew the new-ticket dialog
            # and the counter screen under it, 20 ms that the officer's next key waited for.
            event.prevent_default()

    def _laid_out_at(self, size: Size) -> bool:
        screens = [self, *self.app._background_screens]
        return all(screen._compositor.size == size for screen in screens)

    def resized(self) -> None:
        """The terminal went from wide to narrow (or short) or back (screens override)."""

    @on(events.ScreenResume)
    def _shown_as_built(self, event: events.ScreenResume) -> None:
        if self.styled_ahead:
            # Textual styles a screen again each time it is pushed: for a form built ahead
            # that was most of what F4 still cost (ui.ahead)
            self.styled_ahead = False
            event.refresh_styles = False

    # --- keys and labels -------------------------------------------------------------------------

    def role_allows(self, action: str) -> bool:
        needs = self.NEEDS.get(action.partition("(")[0])
        return needs is None or self.capp.can(needs)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return self.role_allows(action)

    def action_help(self) -> None:
        """F1: every key of this screen (and the app's), with what it does."""
        from counter_tui.ui.screens.help import HelpScreen

        self.app.push_screen(HelpScreen(self))

    def columns(self, table: DataTable[Any], *keys: str, **widths: int) -> None:
        """Add columns headed by message keys (column key = message key): a change of
        language relabels them."""
        for key in keys:
            table.add_column(t(key), key=key, width=widths.get(key.rpartition(".")[2]))

    def relabel(self) -> None:
        """The language changed: every label, column header and key shown again in it."""
        for node in self.walk_children():
            relabel = getattr(node, "relabel", None)
            if callable(relabel):  # a Msg, a form's field row
                relabel()
        for table in self.query(DataTable).results(DataTable):
            for column in table.columns.values():
                key = str(column.key.value or "")
                if key and t(key) != key:
                    column.label = Text(t(key))
                    column.content_width = max(column.content_width, cell_len(t(key)))
            table._require_update_dimensions = True
            table.refresh()
        for bar in self.query(KeyBar).results(KeyBar):
            bar.refresh_keys()
        self.relabel_data()
        self.refresh_bindings()

    def relabel_data(self) -> None:
        """What the screen shows from its data, in the new language (screens override)."""

    def officer_changed(self) -> None:
        """Another officer signed in at this terminal (screens that show who override)."""

    def printer_changed(self) -> None:
        """This terminal's printer went down or came back (`app.printer_health`)."""

    # --- asking the services -----------------------------------------------------------------

    def ask(self, call: Callable[[Store], T], *,
            on_done: Callable[[T], object] | None = None,
            on_refused: Callable[[UserError], object] | None = None,
            on_failed: Callable[[], object] | None = None,
            group: str | None = None, hold_keys: bool = False) -> Worker[T]:
        """Run `call(store)` in a thread worker of this screen (see the module's docstring)."""
        app = self.capp
        what = getattr(call, "__qualname__", "") or repr(call)

        def work() -> T:
            result = call(app.store)
            app.print_now(getattr(result, "print_job", None))
            return result

        worker: Worker[T] = self.run_worker(
            work, name=what, group=group or "command", exclusive=group is not None,
            thread=True, exit_on_error=False)
        self._requests[worker] = _Asked(on_done, on_refused, on_failed, what)
        if hold_keys:
            self.hold_keys(worker)
        return worker

    # --- keys that must wait for an answer -----------------------------------------------------

    def hold_keys(self, token: object) -> None:
        """Keys typed from now on wait until `release_keys(token)`."""
        self._holding.add(token)
        self.capp.keys.hold(token)

    def release_keys(self, token: object) -> None:
        self._holding.discard(token)
        self.capp.keys.release(token)

    def on_unmount(self) -> None:
        for token in list(self._holding):  # a closed screen holds nothing
            self.release_keys(token)

    def cancel_asks(self, group: str) -> None:
        """Drop what the requests of `group` would answer (what they asked is moot now)."""
        self.workers.cancel_group(self, group)

    def refused(self, error: UserError) -> None:
        """The default for a refusal: say what is wrong and how to fix it."""
        self.notify(str(error), severity="error", timeout=8)

    @on(Worker.StateChanged)
    async def _answered(self, event: Worker.StateChanged) -> None:
        asked = self._requests.get(event.worker)
        if asked is None or event.state in (WorkerState.PENDING, WorkerState.RUNNING):
            return
        del self._requests[event.worker]
        try:
            await self._answer(event, asked)
        finally:
            self.release_keys(event.worker)

    async def _answer(self, event: Worker.StateChanged, asked: _Asked) -> None:
        if event.state == WorkerState.CANCELLED or event.worker.is_cancelled:
            return  # superseded by a newer request of its group
        if event.state == WorkerState.SUCCESS:
            if asked.on_done is not None:
                await _finish(asked.on_done(event.worker.result))
            return
        error = event.worker.error
        if isinstance(error, UserError):
            await _finish((asked.on_refused or self.refused)(error))
            return
        log.error("service call %s failed", asked.what, exc_info=error)
        self.notify(t("error.unexpected", log=self.capp.log_path or "-"), severity="error",
                    timeout=10)
        if asked.on_failed is not None:
            await _finish(asked.on_failed())


class BaseModal(ModalScreen[ResultT], BaseScreen[ResultT], Generic[ResultT]):
    """A dialog over a screen: what BaseScreen gives, as a modal. (ModalScreen comes first:
    Textual takes a class's CSS and CSS type names from its first base only.)"""


async def _finish(value: object) -> None:
    """A callback may be a coroutine (it mounts widgets): wait for it. (Not any awaitable: a
    screen's own dismiss() must not be awaited from its handler.)"""
    if inspect.iscoroutine(value):
        await value
