"""Who may do what at the counter: the role matrix, as data, in one place.

Personal data (Nghị định 13/2023) may be seen and changed only by the roles whose work needs it.
The services ask `may(actor, action)` before they act (services.authority), so the TUI, the
command line and any later interface are held to the same rules; screens use the same answer to
hide or grey what the signed-in officer cannot do. An office may widen the matrix in its
configuration (e.g. let officers refuse or stop a dossier): `grants` is then the shipped matrix
with those additions, never a second table written elsewhere.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import field
from enum import StrEnum

from counter_tui.core.records import frozen


class Role(StrEnum):
    OFFICER = "officer"              # the counter: queue, intake, look-up, the office's steps
    SUPERVISOR = "supervisor"        # + the board, reports, exports, the register, overrides
    TECHNICIAN = "technician"        # printers, scanners, the store, backups; no personal data
    ADMINISTRATOR = "administrator"  # accounts and configuration
    DISPLAY = "display"              # the waiting-room screen: reads the queue, nothing else
    KIOSK = "kiosk"                  # the ticket kiosk: issues tickets, nothing else


class Action(StrEnum):
    # The queue: ticket numbers and counters, no personal data.
    QUEUE_VIEW = "queue.view"
    QUEUE_ISSUE = "queue.issue"
    QUEUE_SERVE = "queue.serve"            # call, recall, serve, finish, absent, requeue, transfer
    QUEUE_VOID = "queue.void"
    # Dossiers: personal data.
    DOSSIER_RECEIVE = "dossier.receive"
    DOSSIER_FIND = "dossier.find"
    DOSSIER_VIEW = "dossier.view"
    DOSSIER_SHOW_ID = "dossier.show_id"    # an ID number in full, on purpose, audited
    DOSSIER_STEP = "dossier.step"          # the lifecycle steps of the office
    DOSSIER_OVERRIDE = "dossier.override"  # refuse, stop
    DOSSIER_IMPORT = "dossier.import"      # history from another system
    DOSSIER_DIGITISE = "dossier.digitise"  # scan or attach a dossier's documents, open them
    # Figures and exports.
    REPORT_VIEW = "report.view"            # the board, the day's and a period's figures
    REPORT_EXPORT = "report.export"        # figures to a file (no names)
    REGISTER_EXPORT = "register.export"    # the dossier register, with names
    # The machine.
    PRINTER_USE = "printer.use"            # see the office's print problems, reprint, retry
    PRINTER_MANAGE = "printer.manage"      # test pages, faults, printer settings
    STORE_MANAGE = "store.manage"          # backup, restore, check, migrations
    SCANNER_MANAGE = "scanner.manage"      # list scanners, scan a test page (no dossier)
    FILES_VERIFY = "files.verify"          # check the documents folder against its hashes
    CATALOGUE_MANAGE = "catalogue.manage"
    # Accounts, configuration and the audit log.
    ACCOUNT_MANAGE = "account.manage"
    CONFIG_CHANGE = "config.change"
    AUDIT_VIEW = "audit.view"
    PRIVACY_PURGE = "privacy.purge"


_O, _S, _T, _A = Role.OFFICER, Role.SUPERVISOR, Role.TECHNICIAN, Role.ADMINISTRATOR

MATRIX: Mapping[Action, frozenset[Role]] = {
    Action.QUEUE_VIEW: frozenset({_O, _S, _T, _A, Role.DISPLAY, Role.KIOSK}),
    Action.QUEUE_ISSUE: frozenset({_O, _S, Role.KIOSK}),
    Action.QUEUE_SERVE: frozenset({_O, _S}),
    Action.QUEUE_VOID: frozenset({_O, _S}),
    Action.DOSSIER_RECEIVE: frozenset({_O, _S}),
    Action.DOSSIER_FIND: frozenset({_O, _S}),
    Action.DOSSIER_VIEW: frozenset({_O, _S}),
    Action.DOSSIER_SHOW_ID: frozenset({_O, _S}),
    Action.DOSSIER_STEP: frozenset({_O, _S}),
    Action.DOSSIER_OVERRIDE: frozenset({_S}),
    Action.DOSSIER_IMPORT: frozenset({_S}),
    Action.DOSSIER_DIGITISE: frozenset({_O, _S}),
    Action.REPORT_VIEW: frozenset({_S}),
    Action.REPORT_EXPORT: frozenset({_S}),
    Action.REGISTER_EXPORT: frozenset({_S}),
    Action.PRINTER_USE: frozenset({_O, _S, _T}),
    Action.PRINTER_MANAGE: frozenset({_T, _A}),
    Action.STORE_MANAGE: frozenset({_T, _A}),
    Action.SCANNER_MANAGE: frozenset({_T, _A}),
    Action.FILES_VERIFY: frozenset({_S, _T, _A}),
    Action.CATALOGUE_MANAGE: frozenset({_S, _A}),
    Action.ACCOUNT_MANAGE: frozenset({_A}),
    Action.CONFIG_CHANGE: frozenset({_T, _A}),
    Action.AUDIT_VIEW: frozenset({_S, _A}),
    Action.PRIVACY_PURGE: frozenset({_A}),
}


@frozen
class Actor:
    """The person (or service account) a request is made by: a signed-in officer at a
    terminal, a command line with a session token, or a kiosk's or script's key."""

    username: str
    full_name: str
    roles: frozenset[Role]
    counters: frozenset[int] = field(default_factory=frozenset)  # empty: any counter
    service: bool = False

    def sits_at(self, counter: int | None) -> bool:
        return counter is None or not self.counters or counter in self.counters


def widened(additions: Mapping[str, Iterable[str]]) -> Mapping[Action, frozenset[Role]]:
    """The shipped matrix with an office's additions ({role: [action, ...]}), as configured.
    Unknown names raise ValueError: the configuration check turns it into a message."""
    grants = dict(MATRIX)
    for role_name, actions in additions.items():
        role = Role(role_name)
        for name in actions:
            action = Action(name)
            grants[action] = grants[action] | {role}
    return grants


def may(actor: Actor | None, action: Action,
        grants: Mapping[Action, frozenset[Role]] = MATRIX) -> bool:
    """Whether `actor` may do `action`; nobody signed in may do nothing."""
    return actor is not None and not actor.roles.isdisjoint(grants[action])


def actions_of(roles: Iterable[Role],
               grants: Mapping[Action, frozenset[Role]] = MATRIX) -> frozenset[Action]:
    """Everything the given roles together may do (the admin screen and `officer list`)."""
    held = frozenset(roles)
    return frozenset(a for a, allowed in grants.items() if not held.isdisjoint(allowed))
