"""Who a command acts as: a service account's key in `COUNTER_TUI_KEY`, else the session that
`counter-tui login` kept, else nobody. Apart from the `login`/`logout` commands (commands.session)
because every command that opens the store needs it, and a kiosk's `ticket issue` should not
load the other subcommands' modules to find it.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from counter_tui.core.roles import Actor
    from counter_tui.services.store import Store

ENV_KEY = "COUNTER_TUI_KEY"


def session_file() -> Path:
    from counter_tui.config_locate import user_data_dir

    return user_data_dir() / "session"


def resolve_actor(store: Store) -> Actor | None:
    """The key's account, else the session's, else None (nobody)."""
    from counter_tui.services import accounts

    key = os.environ.get(ENV_KEY, "").strip()
    if key:
        return accounts.actor_for_key(store, key)
    path = session_file()
    try:
        token = path.read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        return None
    return accounts.actor_for_token(store, token) if token else None
