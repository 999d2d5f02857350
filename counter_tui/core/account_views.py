"""The values of accounts and sign-in (never a PIN or a key).

Apart from the other views (core.views, which re-exports these): every command resolves who
it acts as, and need not build the dossier views' classes to do so.
"""

from __future__ import annotations

from datetime import datetime

from counter_tui.core.records import frozen


@frozen
class AccountView:
    """An account as the admin screen and `officer list` show it (never its PIN or key)."""

    username: str
    full_name: str
    roles: tuple[str, ...]
    counters: tuple[int, ...]
    active: bool
    service: bool
    must_change: bool
    locked_until: datetime | None


@frozen
class SignedIn:
    """The result of a sign-in: who, and whether the PIN must be changed before working."""

    username: str
    full_name: str
    roles: tuple[str, ...]
    counters: tuple[int, ...]
    must_change: bool
    service: bool = False
