"""The audit log (Nghị định 13/2023): who looked at or changed what, at which counter, when.

Every service that reads personal data or changes state records it here, inside the same
transaction as the work, so a look or a change is never done without its entry.
"""

from __future__ import annotations

from counter_tui.core.limits import limit
from counter_tui.db.models import AuditLog
from counter_tui.services.store import Store


def record(store: Store, action: str, subject: str = "") -> None:
    """One entry, by the store's actor (or the terminal's officer) at its counter."""
    who = store.actor.username if store.actor is not None else store.officer or ""
    AuditLog.insert(at=store.now(), officer=who, counter=store.counter, action=action,
                    subject=subject[:limit("audit_log.subject")]).execute()
