"""The district's own days off and working days, kept in the store (issue 15).

Vietnam's official holidays come from the `holidays` package and an office's own exceptions
from its config.toml; what neither holds is what the district (or the province) decides for
all its offices: a day off for a local festival, a Saturday worked in exchange. They are set
once at the district's centre (`counter-tui calendar off|work`) and come down to every office
that syncs to it, into this table; an office that does not sync may keep its own here too.
"""
from peewee import BooleanField, CharField, DateField, Model


def up(migrator, db):
    class CalendarDay(Model):
        day = DateField(primary_key=True)
        working = BooleanField()  # False: a day off; True: worked (a make-up day)
        note = CharField(max_length=200, default="")

        class Meta:
            database = db
            table_name = "calendar_day"

    db.create_tables([CalendarDay])


def down(migrator, db):
    db.execute_sql("DROP TABLE calendar_day")
