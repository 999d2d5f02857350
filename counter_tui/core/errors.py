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


# The operating system's reasons people meet at a counter (a printer unplugged, a full disk,
# a folder where a file should be), said in the interface's language: the system's own text
# is English whatever the language chosen. Others keep the system's text.
_OS_REASONS = {
    "ENOENT": "missing", "EACCES": "denied", "EPERM": "denied", "EISDIR": "is_folder",
    "ENOTDIR": "not_folder", "ENOSPC": "disk_full", "EDQUOT": "disk_full",
    "EROFS": "read_only", "EIO": "io", "EEXIST": "exists", "EBUSY": "busy",
    "ENXIO": "no_device", "ENODEV": "no_device", "ECONNREFUSED": "refused",
    "ETIMEDOUT": "timed_out", "EHOSTUNREACH": "unreachable", "ENETUNREACH": "unreachable",
    "ECONNRESET": "broken", "EPIPE": "broken", "ENAMETOOLONG": "name_too_long",
    "EMFILE": "too_many_open", "ENFILE": "too_many_open",
}


def os_reason(exc: BaseException) -> str:
    """Why an operating-system call failed, for a message: in the interface's language for
    the usual reasons, else as the system says it."""
    import errno

    code = getattr(exc, "errno", None)
    reason = _OS_REASONS.get(errno.errorcode.get(code, "")) if isinstance(code, int) else None
    if reason is not None:
        return t(f"os_error.{reason}")
    return getattr(exc, "strerror", None) or str(exc)
