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
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar, cast

from textual import on
from textual.binding import Binding
from textual.screen import ModalScreen, Screen
from textual.worker import Worker, WorkerState

from counter_tui.core.errors import UserError
from counter_tui.core.i18n import messages, t

if TYPE_CHECKING:
    from counter_tui.services.store import Store
    from counter_tui.ui.app import CounterApp

messages({
    "ui.cancel": ("Hủy", "Cancel"),
    "ui.close": ("Đóng", "Close"),
})

log = logging.getLogger(__name__)
T = TypeVar("T")
ResultT = TypeVar("ResultT")


def bind(keys: str, action: str, label: str, bid: str, *, help: str | None = None,
        display: str | None = None, show: bool = True, priority: bool = False) -> Binding:
    """A key of a screen: `label` (and `help`, the longer text of the palette) are message
    keys; `bid` is the binding's id, so keys can be remapped."""
    return Binding(keys, action, t(label), id=bid, tooltip=t(help or label),
                   key_display=display, show=show, priority=priority)


@dataclass(frozen=True)
class _Asked:
    on_done: Callable[[Any], object] | None
    on_refused: Callable[[UserError], object] | None
    on_failed: Callable[[], object] | None
    what: str


class BaseScreen(Screen[ResultT], Generic[ResultT]):
    """A screen of the app; modal dialogs use `BaseModal`."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._requests: dict[Worker[Any], _Asked] = {}
        self._holding: set[object] = set()

    @property
    def capp(self) -> CounterApp:
        return cast("CounterApp", self.app)

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
