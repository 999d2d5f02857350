"""Work done ahead, while the officer is not typing, so that it is never done under a key.

Two costs fell on the officer's keys. F4's intake form has some 170 widgets: composing and
styling them took about 200 ms before the form could take a key (the new-ticket dialog takes
35). And Python's full garbage collection, started whenever enough objects have piled up,
stopped the app for 30-220 ms at a random moment: a closed form leaves 20,000-40,000 objects
in cycles that only it frees, and it looks at every object alive.

Both are now done once the officer has not typed for `IDLE` seconds. The counter screen builds
the next intake form off screen (`build_off_screen`), so F4 only lays it out and draws it. The
app runs the full collection (`collect_if_due`), and the TUI's process leaves Python's own
full collections to that (`full_collections_in_pauses`): they start only after `BACKSTOP`
younger passes, a bound against an officer who never pauses. The younger passes, which look
only at new objects, run as before.
"""

from __future__ import annotations

import gc
import time
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from textual.app import App

    from counter_tui.ui.base import BaseScreen

IDLE = 1.0  # seconds without a key before work is done ahead
COLLECT_EVERY = 5.0  # seconds: at most one full collection in that time
BACKSTOP = 1000  # younger collection passes before Python runs a full one on its own

ScreenT = TypeVar("ScreenT", bound="BaseScreen[Any]")

_collected_at = 0.0


def build_off_screen(app: App[object], screen: ScreenT) -> ScreenT:
    """Compose and mount `screen` now, off the screen stack; `push_screen(screen)` later only
    lays it out and draws it. Styled for the terminal's size of now (a change before it is
    shown restyles it then, as any resize would)."""
    screen.fit_to(app.size)
    screen.styled_ahead = True
    # What push_screen does for a screen that is not running yet (App._get_screen), without
    # putting it on the stack: textual is pinned, and tests/ui/test_ahead.py checks the form
    # built this way is the one F4 shows, drawn exactly as one built at the key.
    app._register(app, screen)
    return screen


def full_collections_in_pauses() -> None:
    """For the TUI's process only: the tests' processes keep Python's pace."""
    young, middle, _ = gc.get_threshold()
    gc.set_threshold(young, middle, BACKSTOP)


def collect_if_due(idle: float) -> bool:
    """A full collection, if the officer has paused `IDLE` seconds, none ran in the last
    `COLLECT_EVERY` and objects have aged since (a pass of the middle generation ran)."""
    global _collected_at
    now = time.monotonic()
    if idle < IDLE or now - _collected_at < COLLECT_EVERY or gc.get_count()[2] == 0:
        return False
    gc.collect()
    _collected_at = now
    return True
