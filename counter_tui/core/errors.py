"""The one kind of error an officer sees: it says what is wrong and how to fix it.

Services raise `UserError` for anything a person can put right (a bad field, a ticket that is no
longer waiting, a group that does not exist); the UI shows its text as a notification and the CLI
prints it and exits non-zero. Anything else is a bug, logged, and shown as a short apology.
"""

from __future__ import annotations

from counter_tui.core.i18n import t


class UserError(Exception):
    """A message key and its parameters; `field` names the input that is wrong, if any."""

    def __init__(self, key: str, *, field: str | None = None, **params: object) -> None:
        self.key, self.field, self.params = key, field, params
        super().__init__(key)

    def __str__(self) -> str:
        return t(self.key, **self.params)
