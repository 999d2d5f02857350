"""A ticket kiosk's printer known to be down, kept in the store (issue 13).

Nobody stands at a kiosk to say its printer is out of paper, and its printer may be one no
counter prints on: the kiosk writes what it knows of its printer here (one row per printer,
`down` the reason in words, "" once it prints again), and every counter shows it at once
through the change feed, a counter started later included.
"""
from peewee import CharField, DateTimeField, Model, TextField


def up(migrator, db):
    class KioskPrinter(Model):
        printer = CharField(max_length=200, primary_key=True)
        down = TextField(default="")
        since = DateTimeField(null=True)
        updated_at = DateTimeField()

        class Meta:
            database = db
            table_name = "kiosk_printer"

    db.create_tables([KioskPrinter])
