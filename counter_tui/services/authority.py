"""The one gate every service passes before it acts on personal data or changes state.

`require(store, action)` asks core.roles whether the store's actor (the officer signed in at
this terminal, the command line's session, a kiosk's key) may do it; a refusal is recorded in
the audit log (in its own transaction, so it stays when the work is not done) and raised as a
`NotAllowed` the TUI shows and the command line turns into exit code 2. Checking here, not in
the screens, holds every interface to the same rules. `@gated(action)` puts the check at the
top of a service function whose first argument is the store.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

from counter_tui.core.errors import UserError
from counter_tui.core.roles import Action, may
from counter_tui.services.store import Store

F = TypeVar("F", bound=Callable[..., Any])


class NotAllowed(UserError):
    """The actor's roles do not include the action (or nobody is signed in)."""


def require(store: Store, action: Action) -> None:
    if may(store.actor, action, store.grants):
        return
    from counter_tui.services import audit

    with store.write():
        audit.record(store, f"refused:{action.value}", "")
    if store.actor is None:
        raise NotAllowed("auth.sign_in_first", action=action.value)
    raise NotAllowed("auth.not_allowed", action=action.value, user=store.actor.username)


def gated(action: Action) -> Callable[[F], F]:
    def wrap(function: F) -> F:
        @functools.wraps(function)
        def checked(store: Store, *args: Any, **kwargs: Any) -> Any:
            require(store, action)
            return function(store, *args, **kwargs)

        return checked  # type: ignore[return-value]

    return wrap
