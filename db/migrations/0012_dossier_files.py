"""A dossier's digitised documents (issue 17, Thông tư 01/2023/TT-VPCP): one row per document
PDF in the office's documents folder, with its SHA-256, pages, size, who scanned or attached it
and when, the document's name and its stage (a component received, or the result).

One row per (dossier, stage, document): pages added later make a new PDF and move the row to
it. The unique index serves the digitisation figures too: "is every received component of this
dossier digitised" is a lookup of (dossier_id, stage, document) per component.
"""
from peewee import (AutoField, BigIntegerField, CharField, DateTimeField, ForeignKeyField,
                    Model, SmallIntegerField)


def up(migrator, db):
    class Dossier(Model):
        id = AutoField()

        class Meta:
            database = db
            table_name = "dossier"

    class DossierFile(Model):
        id = AutoField()
        dossier = ForeignKeyField(Dossier, on_delete="CASCADE")
        stage = CharField(max_length=10)
        document = CharField(max_length=300)
        path = CharField(max_length=400)
        sha256 = CharField(max_length=64)
        pages = SmallIntegerField()
        bytes = BigIntegerField()
        method = CharField(max_length=10)
        officer = CharField(max_length=40)
        at = DateTimeField()
        purged_at = DateTimeField(null=True)

        class Meta:
            database = db
            table_name = "dossier_file"
            indexes = ((("dossier", "stage", "document"), True),)

    db.create_tables([DossierFile])


def down(migrator, db):
    db.execute_sql("DROP TABLE IF EXISTS dossier_file")
