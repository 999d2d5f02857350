"""The print queue knows which printer each job is for (issue 10, items 12 and 16).

- printer: the printer a job was queued for ("network:192.168.1.50:9100", "usb:04b8:0e15"),
  so every counter printing there sees a slip that failed from the CLI, a kiosk or another
  terminal, and the start-up recovery finds every job of the printer left half-sent;
- claimed_by, claimed_at: which process (host:pid) took a job to send it, and when, so that
  a job left "sending" by a process that died is told from one another terminal is sending;
- an index on (printer, state) for both.
"""
from peewee import CharField, DateTimeField


def up(migrator, db):
    migrator.migrate(
        migrator.add_column("print_job", "printer", CharField(max_length=200, null=True)),
        migrator.add_column("print_job", "claimed_by", CharField(max_length=80, null=True)),
        migrator.add_column("print_job", "claimed_at", DateTimeField(null=True)),
        migrator.add_index("print_job", ("printer", "state"), False),
    )
