"""Officers become accounts: who may sign in, with which roles, at which counters (issue 12).

- roles: the account's roles, comma-separated (core.roles.Role), from the old single `role`;
- counters: the counters it may sit at, comma-separated; empty: any;
- active: a disabled account keeps its name on every past record but cannot sign in;
- pin_hash: the PIN's scrypt hash with its salt and cost ("" : no PIN yet, cannot sign in);
- must_change: a PIN set by someone else (a new account, a reset) is changed at first sign-in;
- failed_attempts, retry_at, locked_until: wrong PINs in a row, the time before which the next
  try is refused (a growing delay) and the end of a lock;
- service, key_hash: a kiosk's or script's account, which signs in by a key (its SHA-256);
- account_session: a command line's `login`, by the SHA-256 of its token, until it expires.
"""
from peewee import BooleanField, CharField, DateTimeField, Model, SmallIntegerField


def up(migrator, db):
    migrator.migrate(
        migrator.add_column("officer", "roles", CharField(max_length=120, default="officer")),
        migrator.add_column("officer", "counters", CharField(max_length=200, default="")),
        migrator.add_column("officer", "active", BooleanField(default=True)),
        migrator.add_column("officer", "pin_hash", CharField(max_length=200, default="")),
        migrator.add_column("officer", "must_change", BooleanField(default=False)),
        migrator.add_column("officer", "failed_attempts", SmallIntegerField(default=0)),
        migrator.add_column("officer", "retry_at", DateTimeField(null=True)),
        migrator.add_column("officer", "locked_until", DateTimeField(null=True)),
        migrator.add_column("officer", "service", BooleanField(default=False)),
        migrator.add_column("officer", "key_hash", CharField(max_length=64, default="")),
    )
    db.execute_sql("UPDATE officer SET roles = role")

    class AccountSession(Model):
        token_hash = CharField(max_length=64, primary_key=True)
        username = CharField(max_length=40, index=True)
        created_at = DateTimeField()
        expires_at = DateTimeField()

        class Meta:
            database = db
            table_name = "account_session"

    db.create_tables([AccountSession])
