"""The index of finished dossiers covers their office (issue 14).

0004's dossier_resolved (resolved_at, received_at) finds what finished on a day and the
dossiers open at a period's start. The board counts the day's results of one office (or of
some offices, on the district's centre), so it read the day through that index and then one
table row per dossier for its office: 4.1 ms of a board refresh at a million dossiers, against
0.14 ms from the index alone. With `office_id` last, the count is read from the index, and
the reports' reads keep their order.
"""


def up(migrator, db):
    db.execute_sql("DROP INDEX IF EXISTS dossier_resolved")
    db.execute_sql("CREATE INDEX dossier_resolved ON dossier (resolved_at, received_at, "
                   "office_id)")


def down(migrator, db):
    db.execute_sql("DROP INDEX IF EXISTS dossier_resolved")
    db.execute_sql("CREATE INDEX dossier_resolved ON dossier (resolved_at, received_at)")
