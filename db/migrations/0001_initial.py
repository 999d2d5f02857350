"""The first schema: queue, catalogue, dossiers, print jobs and audit (frozen copies of the models)."""
from peewee import *
import datetime

def up(migrator, db):
    class AuditLog(Model):
        at = DateTimeField()
        officer = CharField(max_length=40)
        counter = IntegerField(null=True)
        action = CharField(max_length=30)
        subject = CharField(max_length=120)
        class Meta:
            database = db
            table_name = 'audit_log'
    db.create_tables([AuditLog])

    class Counter(Model):
        number = IntegerField(primary_key=True)
        name = CharField(max_length=100)
        groups = CharField(max_length=60)
        active = BooleanField(default=True)
        class Meta:
            database = db
            table_name = 'counter'
    db.create_tables([Counter])

    class Office(Model):
        code = CharField(unique=True, max_length=40)
        name = CharField(max_length=200)
        address = CharField(default='')
        class Meta:
            database = db
            table_name = 'office'
    db.create_tables([Office])

    class Procedure(Model):
        code = CharField(unique=True, max_length=40)
        national_code = CharField(max_length=40, default='')
        name = CharField(max_length=300)
        name_folded = CharField(index=True, max_length=300)
        field = CharField(max_length=100)
        level = CharField(max_length=30)
        processing_days = SmallIntegerField(default=0)
        same_day_cutoff = CharField(null=True, max_length=5)
        fee_vnd = BigIntegerField(default=0)
        fee_online_vnd = BigIntegerField(default=0)
        fee_note = TextField(default='')
        active = BooleanField(default=True)
        updated_at = DateTimeField(default=datetime.datetime.now)
        class Meta:
            database = db
            table_name = 'procedure'
    db.create_tables([Procedure])

    class Ticket(Model):
        day = DateField()
        series = CharField(max_length=1)
        number = IntegerField()
        group = CharField(max_length=1, column_name='group_letter')
        priority = CharField(null=True, max_length=20)
        state = CharField(max_length=12, default='waiting')
        counter = IntegerField(null=True)
        officer = CharField(null=True, max_length=40)
        issued_by = IntegerField(null=True)
        issued_at = DateTimeField()
        called_at = DateTimeField(null=True)
        serving_at = DateTimeField(null=True)
        finished_at = DateTimeField(null=True)
        recalls = SmallIntegerField(default=0)
        ahead_at_issue = IntegerField(default=0)
        target_counter = IntegerField(null=True)
        class Meta:
            database = db
            table_name = 'ticket'
            indexes = ((('day', 'series', 'number'), True), (('day', 'state', 'group'), False))
    db.create_tables([Ticket])

    class Dossier(Model):
        code = CharField(unique=True, max_length=60)
        office = ForeignKeyField(Office)
        procedure = ForeignKeyField(Procedure, null=True)
        procedure_code = CharField(max_length=40)
        procedure_name = CharField(max_length=300)
        field = CharField(max_length=100)
        channel = CharField(max_length=10)
        level = CharField(max_length=30, default='')
        status = SmallIntegerField(default=2)
        applicant_name = CharField(max_length=100)
        applicant_folded = CharField(index=True, max_length=100)
        id_number = CharField(index=True, max_length=12, default='')
        id_kind = CharField(max_length=5, default='')
        phone = CharField(index=True, max_length=15, default='')
        address = CharField(default='')
        email = CharField(max_length=120, default='')
        representative = CharField(max_length=100, default='')
        representative_id = CharField(max_length=12, default='')
        sets = SmallIntegerField(default=1)
        fee_vnd = BigIntegerField(default=0)
        received_at = DateTimeField(index=True)
        due_at = DateTimeField(null=True)
        original_due_at = DateTimeField(null=True)
        paused_at = DateTimeField(null=True)
        resolved_at = DateTimeField(null=True)
        returned_at = DateTimeField(null=True)
        return_method = CharField(max_length=10, default='counter')
        post_option = SmallIntegerField(null=True)
        waybill = CharField(max_length=20, default='')
        postal_charge_vnd = BigIntegerField(default=0)
        delivery_address = CharField(default='')
        portal_code = CharField(max_length=40, default='')
        vneid = BooleanField(default=False)
        paid_online = BooleanField(default=False)
        ticket = ForeignKeyField(Ticket, null=True, on_delete='SET NULL')
        officer = CharField(max_length=40)
        counter = IntegerField(null=True)
        rating = SmallIntegerField(null=True)
        note = TextField(default='')
        class Meta:
            database = db
            table_name = 'dossier'
            indexes = ((('status', 'due_at'), False),)
    db.create_tables([Dossier])

    class DossierDocument(Model):
        dossier = ForeignKeyField(Dossier, on_delete='CASCADE')
        position = SmallIntegerField()
        name = CharField(max_length=300)
        originals = SmallIntegerField(default=0)
        copies = SmallIntegerField(default=0)
        class Meta:
            database = db
            table_name = 'dossier_document'
    db.create_tables([DossierDocument])

    class DossierEvent(Model):
        dossier = ForeignKeyField(Dossier, on_delete='CASCADE')
        at = DateTimeField()
        action = CharField(max_length=30)
        from_status = SmallIntegerField(null=True)
        to_status = SmallIntegerField(null=True)
        officer = CharField(null=True, max_length=40)
        counter = IntegerField(null=True)
        note = TextField(default='')
        data = TextField(default='')
        class Meta:
            database = db
            table_name = 'dossier_event'
    db.create_tables([DossierEvent])

    class Officer(Model):
        code = CharField(unique=True, max_length=40)
        name = CharField(max_length=100)
        role = CharField(max_length=20, default='officer')
        class Meta:
            database = db
            table_name = 'officer'
    db.create_tables([Officer])

    class PrintJob(Model):
        kind = CharField(max_length=20)
        ticket = ForeignKeyField(Ticket, null=True, on_delete='SET NULL')
        dossier = ForeignKeyField(Dossier, null=True, on_delete='SET NULL')
        slip = TextField()
        state = CharField(max_length=10, default='queued')
        attempts = SmallIntegerField(default=0)
        error = TextField(default='')
        created_at = DateTimeField()
        sent_at = DateTimeField(null=True)
        next_try_at = DateTimeField(null=True)
        counter = IntegerField(null=True)
        officer = CharField(null=True, max_length=40)
        class Meta:
            database = db
            table_name = 'print_job'
            indexes = ((('state', 'id'), False),)
    db.create_tables([PrintJob])

    class ProcedureDocument(Model):
        procedure = ForeignKeyField(Procedure, on_delete='CASCADE')
        position = SmallIntegerField()
        name = CharField(max_length=300)
        originals = SmallIntegerField(default=1)
        copies = SmallIntegerField(default=0)
        class Meta:
            database = db
            table_name = 'procedure_document'
    db.create_tables([ProcedureDocument])

    class Sequence(Model):
        scope = CharField(max_length=60)
        day = DateField()
        value = IntegerField(default=0)
        class Meta:
            database = db
            table_name = 'sequence'
            primary_key = CompositeKey('scope', 'day')
    db.create_tables([Sequence])

    class ServiceGroup(Model):
        letter = CharField(primary_key=True, max_length=1)
        name = CharField(max_length=100)
        active = BooleanField(default=True)
        class Meta:
            database = db
            table_name = 'service_group'
    db.create_tables([ServiceGroup])

    class TicketEvent(Model):
        ticket = ForeignKeyField(Ticket, on_delete='CASCADE')
        at = DateTimeField()
        action = CharField(max_length=20)
        from_state = CharField(null=True, max_length=12)
        to_state = CharField(max_length=12)
        counter = IntegerField(null=True)
        officer = CharField(null=True, max_length=40)
        note = TextField(default='')
        class Meta:
            database = db
            table_name = 'ticket_event'
    db.create_tables([TicketEvent])


def down(migrator, db):
    migrator.migrate(migrator.drop_table('ticket_event'))
    migrator.migrate(migrator.drop_table('service_group'))
    migrator.migrate(migrator.drop_table('sequence'))
    migrator.migrate(migrator.drop_table('procedure_document'))
    migrator.migrate(migrator.drop_table('print_job'))
    migrator.migrate(migrator.drop_table('officer'))
    migrator.migrate(migrator.drop_table('dossier_event'))
    migrator.migrate(migrator.drop_table('dossier_document'))
    migrator.migrate(migrator.drop_table('dossier'))
    migrator.migrate(migrator.drop_table('ticket'))
    migrator.migrate(migrator.drop_table('procedure'))
    migrator.migrate(migrator.drop_table('office'))
    migrator.migrate(migrator.drop_table('counter'))
    migrator.migrate(migrator.drop_table('audit_log'))

