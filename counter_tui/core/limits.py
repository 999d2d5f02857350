"""How long each stored text may be: one table read by the store's columns (db/models.py) and by
every check of what people type, import or configure.

SQLite does not enforce a VARCHAR's length and PostgreSQL does, so a value checked against
nothing is stored on one engine and refused on the other, and the refusal then surfaces far from
its cause ("cannot reach the database" for an officer's name one character too long). Checking
against the very numbers the columns were made with, before anything is stored, makes both
engines accept and refuse the same values with a message that names the field.

Keys are `table.column`. A column missing here holds only values the code makes (states, kinds,
letters), never a person's text. Changing a number here changes the model, and so needs a
migration that alters the column.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

TEXT_LIMITS: Mapping[str, int] = MappingProxyType({
    # config.toml: the office, this terminal's officer, the queue groups and counters
    "office.code": 40,
    "office.name": 200,
    "office.address": 255,
    "officer.code": 40,
    "officer.name": 100,
    "service_group.name": 100,
    "counter.name": 100,
    # the procedures catalogue (catalogue import)
    "procedure.code": 40,
    "procedure.national_code": 40,
    "procedure.name": 300,
    "procedure.name_folded": 300,  # the name without marks: never longer than the name
    "procedure.field": 100,
    "procedure.level": 30,
    "procedure_document.name": 300,
    # a dossier: intake, its life, the history import
    "dossier.code": 60,
    "dossier.procedure_code": 40,  # the catalogue's, copied when received
    "dossier.procedure_name": 300,
    "dossier.field": 100,
    "dossier.level": 30,
    "dossier.applicant_name": 100,
    "dossier.applicant_folded": 100,  # the name without marks: never longer than the name
    "dossier.id_number": 12,
    "dossier.phone": 15,
    "dossier.address": 255,
    "dossier.email": 120,
    "dossier.representative": 100,
    "dossier.representative_id": 12,
    "dossier.waybill": 20,
    "dossier.delivery_address": 255,
    "dossier.portal_code": 40,
    "dossier.holder": 200,
    "dossier.collected_by": 100,
    "dossier.collected_id": 12,
    "dossier.return_waybill": 20,
    "dossier_document.name": 300,
    # who did it: the officer's code from config.toml, on every event
    "ticket.officer": 40,
    "ticket_event.officer": 40,
    "dossier.officer": 40,
    "dossier_event.officer": 40,
    "print_job.officer": 40,
    "print_job.printer": 200,  # the configured printer's target, checked with the config
    "print_job.claimed_by": 80,  # host:pid of the process sending the job
    "audit_log.officer": 40,
    "audit_log.subject": 120,
    "dossier_file.document": 300,  # a checklist document's name (dossier_document.name)
    "dossier_file.officer": 40,
    "calendar_day.note": 200,
})


def limit(column: str) -> int:
    """The most characters `table.column` holds."""
    return TEXT_LIMITS[column]
