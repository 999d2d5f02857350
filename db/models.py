"""The store's tables, as peewee models.

The sizes of the text columns people fill come from `core.limits`, the table every input check
reads, so what a check accepts fits the column on both engines.

These models are the application's view of the schema; the schema itself is built by the numbered
scripts in db/migrations (frozen copies), and a test checks that the two agree. Only services
import this module: the UI gets dataclasses, never rows.

Times are naive, in the office's time zone (`office.timezone`, read through core.clock) whatever
zone the machine is set to, as the national forms print them; the same on both engines
(SQLite text, PostgreSQL `timestamp without time zone`).
"""

from __future__ import annotations

from peewee import (
    SQL,
    AutoField,
    BigAutoField,
    BigIntegerField,
    BooleanField,
    CharField,
    CompositeKey,
    DatabaseProxy,
    DateField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    Model,
    ModelIndex,
    SmallIntegerField,
    TextField,
)

from counter_tui.core.clock import office_now
from counter_tui.core.limits import limit
from counter_tui.db.search import CODE_TAIL, code_tail

database = DatabaseProxy()


class BaseModel(Model):
    class Meta:
        database = database
        legacy_table_names = False
        # Every model names its own key (tests/services/test_store.py checks it). Without
        # this, peewee gives the base an `id` and deep-copies it into each model, which then
        # replaces it with its own: about a tenth of making the models, paid by every command
        # and every start.
        primary_key = False


class Office(BaseModel):
    """An agency whose dossiers are in the store (several when a province's history is loaded)."""

    id = AutoField()
    code = CharField(max_length=limit("office.code"), unique=True)
    name = CharField(max_length=limit("office.name"))
    address = CharField(max_length=limit("office.address"), default="")


class Officer(BaseModel):
    """An account (migration 0008): `code` is the username, `name` the full name."""

    id = AutoField()
    code = CharField(max_length=limit("officer.code"), unique=True)
    name = CharField(max_length=limit("officer.name"))
    role = CharField(max_length=20, default="officer")  # before 0008; `roles` since
    roles = CharField(max_length=120, default="officer")
    counters = CharField(max_length=200, default="")
    active = BooleanField(default=True)
    pin_hash = CharField(max_length=200, default="")
    must_change = BooleanField(default=False)
    failed_attempts = SmallIntegerField(default=0)
    retry_at = DateTimeField(null=True)
    locked_until = DateTimeField(null=True)
    service = BooleanField(default=False)
    key_hash = CharField(max_length=64, default="")


class AccountSession(BaseModel):
    """A command line's sign-in (`counter-tui login`), by its token's SHA-256."""

    token_hash = CharField(max_length=64, primary_key=True)
    username = CharField(max_length=40, index=True)
    created_at = DateTimeField()
    expires_at = DateTimeField()


class ServiceGroup(BaseModel):
    """A queue series (A hộ tịch, B chứng thực ...), kept in step with config.toml at start."""

    letter = CharField(max_length=1, primary_key=True)
    name = CharField(max_length=limit("service_group.name"))
    active = BooleanField(default=True)


class Counter(BaseModel):
    number = IntegerField(primary_key=True)
    name = CharField(max_length=limit("counter.name"))
    groups = CharField(max_length=60)
    active = BooleanField(default=True)


class Procedure(BaseModel):
    id = AutoField()
    code = CharField(max_length=limit("procedure.code"), unique=True)
    national_code = CharField(max_length=limit("procedure.national_code"), default="")
    name = CharField(max_length=limit("procedure.name"))
    name_folded = CharField(max_length=limit("procedure.name_folded"), index=True)
    field = CharField(max_length=limit("procedure.field"))
    level = CharField(max_length=limit("procedure.level"))
    processing_days = SmallIntegerField(default=0)
    same_day_cutoff = CharField(max_length=5, null=True)
    fee_vnd = BigIntegerField(default=0)
    fee_online_vnd = BigIntegerField(default=0)
    fee_note = TextField(default="")
    active = BooleanField(default=True)
    updated_at = DateTimeField(default=office_now)


class ProcedureDocument(BaseModel):
    id = AutoField()
    procedure = ForeignKeyField(Procedure, backref="documents", on_delete="CASCADE")
    position = SmallIntegerField()
    name = CharField(max_length=limit("procedure_document.name"))
    originals = SmallIntegerField(default=1)
    copies = SmallIntegerField(default=0)


class Sequence(BaseModel):
    """Per-scope, per-day counters (ticket series, dossier codes), bumped in the same
    transaction that stores the numbered row, so two terminals never get one number."""

    scope = CharField(max_length=60)
    day = DateField()
    value = IntegerField(default=0)

    class Meta:
        primary_key = CompositeKey("scope", "day")


class Ticket(BaseModel):
    """A queue number: `series` + `number` is what was printed (A015) and never changes; `group`
    is the queue it waits in now, which a transfer changes."""

    id = AutoField()
    day = DateField()
    series = CharField(max_length=1)
    number = IntegerField()
    group = CharField(max_length=1, column_name="group_letter")
    priority = CharField(max_length=20, null=True)
    state = CharField(max_length=12, default="waiting")
    counter = IntegerField(null=True)
    officer = CharField(max_length=limit("ticket.officer"), null=True)
    issued_by = IntegerField(null=True)
    issued_at = DateTimeField()
    called_at = DateTimeField(null=True)
    serving_at = DateTimeField(null=True)
    finished_at = DateTimeField(null=True)
    recalls = SmallIntegerField(default=0)
    ahead_at_issue = IntegerField(default=0)
    target_counter = IntegerField(null=True)
    # the office a ticket came from, on the district's centre (migration 0013); "" at an office
    origin = CharField(max_length=limit("office.code"), default="")

    class Meta:
        indexes = (
            (("origin", "day", "series", "number"), True),
            (("day", "state", "group"), False),
        )


class TicketEvent(BaseModel):
    id = AutoField()
    ticket = ForeignKeyField(Ticket, backref="events", on_delete="CASCADE")
    at = DateTimeField()
    action = CharField(max_length=20)
    from_state = CharField(max_length=12, null=True)
    to_state = CharField(max_length=12)
    counter = IntegerField(null=True)
    officer = CharField(max_length=limit("ticket_event.officer"), null=True)
    note = TextField(default="")


class Dossier(BaseModel):
    id = AutoField()
    code = CharField(max_length=limit("dossier.code"), unique=True)
    # which indexes a dossier has, and why no more: migration 0022
    office = ForeignKeyField(Office, backref="dossiers", index=False)
    procedure = ForeignKeyField(Procedure, null=True, index=False)
    procedure_code = CharField(max_length=limit("dossier.procedure_code"))
    procedure_name = CharField(max_length=limit("dossier.procedure_name"))
    field = CharField(max_length=limit("dossier.field"))
    channel = CharField(max_length=10)
    level = CharField(max_length=limit("dossier.level"), default="")
    status = SmallIntegerField(default=2)
    applicant_name = CharField(max_length=limit("dossier.applicant_name"))
    applicant_folded = CharField(max_length=limit("dossier.applicant_folded"))
    id_number = CharField(max_length=limit("dossier.id_number"), default="")
    id_kind = CharField(max_length=5, default="")
    phone = CharField(max_length=limit("dossier.phone"), default="")
    address = CharField(max_length=limit("dossier.address"), default="")
    email = CharField(max_length=limit("dossier.email"), default="")
    representative = CharField(max_length=limit("dossier.representative"), default="")
    representative_id = CharField(max_length=limit("dossier.representative_id"), default="")
    sets = SmallIntegerField(default=1)
    fee_vnd = BigIntegerField(default=0)
    received_at = DateTimeField(index=True)
    due_at = DateTimeField(null=True)
    original_due_at = DateTimeField(null=True)
    paused_at = DateTimeField(null=True)
    resolved_at = DateTimeField(null=True)
    returned_at = DateTimeField(null=True)
    return_method = CharField(max_length=10, default="counter")
    post_option = SmallIntegerField(null=True)
    waybill = CharField(max_length=limit("dossier.waybill"), default="")
    postal_charge_vnd = BigIntegerField(default=0)
    delivery_address = CharField(max_length=limit("dossier.delivery_address"), default="")
    portal_code = CharField(max_length=limit("dossier.portal_code"), default="")
    vneid = BooleanField(default=False)
    paid_online = BooleanField(default=False)
    ticket = ForeignKeyField(Ticket, null=True, on_delete="SET NULL", index=False)
    officer = CharField(max_length=limit("dossier.officer"))
    counter = IntegerField(null=True)
    rating = SmallIntegerField(null=True)
    note = TextField(default="")
    # The lifecycle (migration 0003): due_at is the legal due date (moved only by pauses for
    # supplements); an apology's new appointment is kept beside it, never over it.
    holder = CharField(max_length=limit("dossier.holder"), default="")
    supplement_deadline = DateTimeField(null=True)
    apology_due_at = DateTimeField(null=True)
    collected_by = CharField(max_length=limit("dossier.collected_by"), default="")
    collected_id = CharField(max_length=limit("dossier.collected_id"), default="")
    return_waybill = CharField(max_length=limit("dossier.return_waybill"), default="")
    delivered_at = DateTimeField(null=True)
    anonymised_at = DateTimeField(null=True)  # personal fields removed (privacy purge, 0009)
    office_id: int
    ticket_id: int | None

    class Meta:
        indexes = ((("office", "returned_at"), False),)  # worklists (migration 0005)


# Lookups answer newest first: phone and ID number are indexed with the receipt time
# descending, so a page of results is read straight off the index (migration 0002), for the
# dossiers that have one (0022: a lookup carries the condition word for word). A dossier
# code is found whole (unique) or by its part after the agency identifier, "-261201-0002"
# (migration 0006). Names are found by any of their words through each engine's own text
# index, which the models do not describe (db/search.py).
PHONE_GIVEN = "phone <> ''"
ID_NUMBER_GIVEN = "id_number <> ''"
LOOKUP_INDEXES = {
    "dossier_phone_lookup": ((Dossier.phone, Dossier.received_at.desc()), PHONE_GIVEN),
    "dossier_id_lookup": ((Dossier.id_number, Dossier.received_at.desc()), ID_NUMBER_GIVEN),
    CODE_TAIL: ((code_tail(Dossier.code),), None),
    # the foreign key's SET NULL finds a ticket's dossiers; most have none (0022)
    "dossier_ticket_id": ((Dossier.ticket,), "ticket_id IS NOT NULL"),
}

# The supervisor's figures (migration 0004): a period's dossiers counted from one index alone,
# and the day's worklist counts (due, overdue, waiting for supplements) per office, over the
# statuses those counts read (0022).
REPORT_INDEXES = {
    "dossier_report": ((Dossier.status, Dossier.received_at, Dossier.channel,
                        Dossier.resolved_at, Dossier.due_at, Dossier.paused_at, Dossier.office,
                        Dossier.field, Dossier.procedure_code, Dossier.officer), None),
    "dossier_resolved": ((Dossier.resolved_at, Dossier.received_at, Dossier.office), None),
    "dossier_worklist": ((Dossier.office, Dossier.due_at), "status IN (1, 2, 4, 5, 6, 9)"),
    # an apology's new date, of the few dossiers given one (0005, 0022)
    "dossier_office_id_apology_due_at": ((Dossier.office, Dossier.apology_due_at),
                                         "apology_due_at IS NOT NULL"),
}
for _name, (_parts, _condition) in (LOOKUP_INDEXES | REPORT_INDEXES).items():
    Dossier.add_index(ModelIndex(Dossier, _parts, name=_name,
                                 where=None if _condition is None else SQL(_condition)))

# The worklists (migration 0010): partial indexes on the open statuses, each in its list's order.
WORKLIST_INDEXES = {
    "dossier_ticking": ((Dossier.office, Dossier.status, Dossier.due_at, Dossier.id),
                        "status IN (1, 2, 4, 6)"),
    "dossier_supplement": ((Dossier.office, Dossier.supplement_deadline, Dossier.id),
                           "status = 5"),
    "dossier_ready": ((Dossier.office, Dossier.resolved_at, Dossier.id), "status = 9"),
    "dossier_paused_late": ((Dossier.office, Dossier.due_at, Dossier.id),
                            "status = 5 AND paused_at > due_at"),
}
for _worklist_index, (_worklist_columns, _where) in WORKLIST_INDEXES.items():
    Dossier.add_index(ModelIndex(Dossier, _worklist_columns, name=_worklist_index,
                                 where=SQL(_where)))


# The dossiers counted by (state, day received, office, due day, channel, field, procedure,
# officer), kept by the database's own triggers (migration 0011 says what each column holds
# and why triggers): the reports read these counts instead of every dossier.
class DossierTally(BaseModel):
    id = AutoField()
    state = SmallIntegerField()
    received_day = DateField()
    office_id = IntegerField()
    due_day = DateField()
    channel = SmallIntegerField()
    field = CharField(max_length=limit("dossier.field"))
    procedure_code = CharField(max_length=limit("dossier.procedure_code"))
    officer = CharField(max_length=limit("dossier.officer"))
    n = IntegerField(default=0)


TALLY_KEY = (DossierTally.state, DossierTally.received_day, DossierTally.office_id,
             DossierTally.due_day, DossierTally.channel, DossierTally.field,
             DossierTally.procedure_code, DossierTally.officer)
DossierTally.add_index(ModelIndex(DossierTally, TALLY_KEY, name="dossier_tally_key",
                                  unique=True))


class DossierBacklog(BaseModel):
    """The open dossiers by due day alone (migration 0021): dossier_tally's states 5 and 6
    summed by (state, office_id, due_day), kept by triggers on dossier_tally."""

    id = AutoField()
    state = SmallIntegerField()
    office_id = IntegerField()
    due_day = DateField()
    n = IntegerField(default=0)


DossierBacklog.add_index(ModelIndex(DossierBacklog, (DossierBacklog.state,
                                                     DossierBacklog.office_id,
                                                     DossierBacklog.due_day),
                                    name="dossier_backlog_key", unique=True))
# the board's day of tickets, of one office or several, read from the index alone (0011, 0018)
Ticket.add_index(ModelIndex(Ticket, (Ticket.day, Ticket.state, Ticket.origin, Ticket.group,
                                     Ticket.counter, Ticket.officer, Ticket.issued_at,
                                     Ticket.called_at, Ticket.serving_at, Ticket.finished_at),
                            name="ticket_board"))
# open dossiers whose clock runs, by due time: those due on the day a period is judged (0011)
Dossier.add_index(ModelIndex(Dossier, (Dossier.due_at,), name="dossier_ticking_due",
                             where=SQL("status IN (1, 2, 4, 6)")))


class DossierDocument(BaseModel):
    id = AutoField()
    dossier = ForeignKeyField(Dossier, backref="documents", on_delete="CASCADE")
    position = SmallIntegerField()
    name = CharField(max_length=limit("dossier_document.name"))
    originals = SmallIntegerField(default=0)
    copies = SmallIntegerField(default=0)


class DossierEvent(BaseModel):
    """Every change of a dossier: the history the forms (Mẫu 05) are rebuilt from."""

    id = AutoField()
    dossier = ForeignKeyField(Dossier, backref="events", on_delete="CASCADE")
    at = DateTimeField()
    action = CharField(max_length=30)
    from_status = SmallIntegerField(null=True)
    to_status = SmallIntegerField(null=True)
    officer = CharField(max_length=limit("dossier_event.officer"), null=True)
    counter = IntegerField(null=True)
    note = TextField(default="")
    data = TextField(default="")


class PrintJob(BaseModel):
    """A slip waiting for, sent to, or refused by the printer; printing never blocks a record."""

    id = AutoField()
    kind = CharField(max_length=20)
    ticket = ForeignKeyField(Ticket, null=True, on_delete="SET NULL")
    dossier = ForeignKeyField(Dossier, null=True, on_delete="SET NULL")
    slip = TextField()
    state = CharField(max_length=10, default="queued")
    attempts = SmallIntegerField(default=0)
    error = TextField(default="")
    created_at = DateTimeField()
    sent_at = DateTimeField(null=True)
    next_try_at = DateTimeField(null=True)
    counter = IntegerField(null=True)
    officer = CharField(max_length=limit("print_job.officer"), null=True)
    printer = CharField(max_length=limit("print_job.printer"), null=True)  # its printer (0007)
    claimed_by = CharField(max_length=limit("print_job.claimed_by"), null=True)  # host:pid
    claimed_at = DateTimeField(null=True)
    ticket_id: int | None
    dossier_id: int | None

    class Meta:
        indexes = ((("state", "id"), False), (("printer", "state"), False))


class KioskPrinter(BaseModel):
    """A ticket kiosk's printer as the kiosk last knew it (0014): nobody stands at a kiosk to
    say it is out of paper, so the counters read it here."""

    printer = CharField(max_length=200, primary_key=True)  # printjobs.printer_of
    down = TextField(default="")  # why it cannot print, in words; "": it prints
    since = DateTimeField(null=True)  # down since
    updated_at = DateTimeField()


class CalendarDay(BaseModel):
    """A day the district (or this office, when it does not sync) declares off or worked,
    beyond the official holidays (0017); config.toml's [holidays] still wins over it."""

    day = DateField(primary_key=True)
    working = BooleanField()  # False: a day off; True: worked (a make-up day)
    note = CharField(max_length=limit("calendar_day.note"), default="")


class AuditLog(BaseModel):
    """Who looked up or changed personal data (Nghị định 13/2023); a chain of hashes, so an
    entry edited, deleted or moved shows (core/audit_chain.py, migration 0009)."""

    id = AutoField()
    at = DateTimeField()
    officer = CharField(max_length=limit("audit_log.officer"))
    counter = IntegerField(null=True)
    action = CharField(max_length=30)
    subject = CharField(max_length=limit("audit_log.subject"))
    seq = IntegerField(default=0, unique=True)
    prev_hash = CharField(max_length=64, default="")
    hash = CharField(max_length=64, default="")
    dossiers = TextField(default="")  # the codes the entry is about, space-separated


class AuditHead(BaseModel):
    """The audit chain's last number and hash: one row, locked by every append."""

    id = IntegerField(primary_key=True)
    seq = IntegerField(default=0)
    hash = CharField(max_length=64)


class DossierFile(BaseModel):
    """A dossier's document digitised: one PDF in the office's documents folder (migration
    0012), its SHA-256 checked by `dossier verify-files`. `path` is relative to the folder;
    `purged_at`: the file was removed with the dossier's personal data (the row stays, so the
    digitisation figures of past periods do not change)."""

    id = AutoField()
    dossier = ForeignKeyField(Dossier, backref="files", on_delete="CASCADE")
    stage = CharField(max_length=10)  # received | result
    document = CharField(max_length=limit("dossier_file.document"))
    path = CharField(max_length=400)
    sha256 = CharField(max_length=64)
    pages = SmallIntegerField()
    bytes = BigIntegerField()
    method = CharField(max_length=10)  # scan | attach
    officer = CharField(max_length=limit("dossier_file.officer"))
    at = DateTimeField()
    purged_at = DateTimeField(null=True)
    dossier_id: int

    class Meta:
        indexes = ((("dossier", "stage", "document"), True),)


class StoreSecret(BaseModel):
    """Keys that belong to this store alone (the audit log's keyed hashes)."""

    name = CharField(max_length=40, primary_key=True)
    value = CharField(max_length=128)


class SyncOutbox(BaseModel):
    """Which synced row changed, in commit order (migration 0013's triggers write it; the
    sender reads the row itself when it sends, services/sync)."""

    seq = BigAutoField()
    tbl = CharField(max_length=30)
    row_id = BigIntegerField()
    tx = BigIntegerField(default=0)  # PostgreSQL: the writing transaction (txid_current())


class SyncState(BaseModel):
    """This store's side of the link to the centre: one row."""

    id = IntegerField(primary_key=True)
    enabled = BooleanField(default=False)
    office = CharField(max_length=40, default="")
    acked_seq = BigIntegerField(default=0)
    sent_rows = BigIntegerField(default=0)
    last_sent_at = DateTimeField(null=True)
    last_contact_at = DateTimeField(null=True)
    down_since = DateTimeField(null=True)
    error = CharField(max_length=300, default="")


class SyncPulled(BaseModel):
    """The last version of a centre row (a procedure, an account) brought down, by hash."""

    tbl = CharField(max_length=30)
    key = CharField(max_length=60)
    hash = CharField(max_length=64)

    class Meta:
        primary_key = CompositeKey("tbl", "key")


class SyncMap(BaseModel):
    """On the centre: an office's row (by its own id) and the centre's row it became."""

    office = CharField(max_length=40)
    tbl = CharField(max_length=30)
    local_id = BigIntegerField()
    centre_id = BigIntegerField(null=True)
    seq = BigIntegerField()
    hash = CharField(max_length=64, default="")

    class Meta:
        primary_key = CompositeKey("office", "tbl", "local_id")
        indexes = ((("office", "tbl", "centre_id"), False),)


class SyncPeer(BaseModel):
    """On the centre: what each office sent last."""

    office = CharField(max_length=40, primary_key=True)
    acked_seq = BigIntegerField(default=0)
    rows = BigIntegerField(default=0)
    last_at = DateTimeField(null=True)


class SyncAudit(BaseModel):
    """On the centre: each office's audit log, its own chain, as the office keeps it."""

    office = CharField(max_length=40)
    local_id = BigIntegerField()
    seq = IntegerField()
    at = DateTimeField()
    officer = CharField(max_length=40)
    counter = IntegerField(null=True)
    action = CharField(max_length=30)
    subject = CharField(max_length=200)
    dossiers = TextField(default="")
    prev_hash = CharField(max_length=64)
    hash = CharField(max_length=64)

    class Meta:
        primary_key = CompositeKey("office", "local_id")
        indexes = ((("office", "seq"), False),)


class SyncConflict(BaseModel):
    """On the centre: an office's row that was changed at the centre too, as the centre had
    it before the office's version replaced it."""

    id = AutoField()
    office = CharField(max_length=40)
    tbl = CharField(max_length=30)
    local_id = BigIntegerField()
    at = DateTimeField()
    centre_row = TextField()


MODELS: tuple[type[BaseModel], ...] = (
    Office, Officer, ServiceGroup, Counter, Procedure, ProcedureDocument, Sequence, Ticket,
    TicketEvent, Dossier, DossierDocument, DossierEvent, PrintJob, AuditLog, AccountSession,
    AuditHead, StoreSecret, DossierTally, DossierBacklog, SyncOutbox, SyncState, SyncPulled,
    SyncMap, SyncPeer, SyncAudit, SyncConflict, KioskPrinter, DossierFile, CalendarDay,
)

__all__ = ["MODELS", "SQL", "database"]
