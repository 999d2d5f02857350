"""The one gate every service passes before it acts on personal data or changes state.

`require(store, action)` asks core.roles whether the store's actor (the officer signed in at
this terminal, the command line's session, a kiosk's key) may do it; a refusal is a `NotAllowed`
the TUI shows and the command line turns into exit code 2. Checking here, not in the screens,
holds every interface to the same rules.
"""

from __future__ import annotations

from counter_tui.core.errors import UserError
from counter_tui.core.roles import Action, may
from counter_tui.services.store import Store


class NotAllowed(UserError):
    """The actor's roles do not include the action (or nobody is signed in)."""


def require(store: Store, action: Action) -> None:
    if store.actor is None:
        raise NotAllowed("auth.sign_in_first", action=action.value)
    if not may(store.actor, action, store.grants):
        raise NotAllowed("auth.not_allowed", action=action.value,
                         user=store.actor.username)
