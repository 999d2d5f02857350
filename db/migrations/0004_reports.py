"""Reports: a finishing time on every finished dossier, and the indexes the supervisor reads.

`resolved_at` is when a dossier left processing, whatever the outcome: result ready (9, kept by
the hand-over 10), refused (3), withdrawn (7) or stopped (8) (services.lifecycle sets it on each
of these moves). The periodic report counts a dossier as resolved in the period that holds this
moment. Finished dossiers stored before that rule get it from the last event that set their
status, else the hand-over, else the receipt.

Indexes:
* dossier_report (status, received_at, then every column the periodic report and the day board
  read): a period's dossiers are counted from the index alone, without visiting a table row;
  the status leads so "still open" and "received in the period" are both plain ranges.
* dossier_resolved (resolved_at, received_at): what finished on a day, and the dossiers open at
  a period's start that finished after it, filtered in the index.
* dossier_worklist (office_id, status, due_at, paused_at): due today, overdue and waiting for
  supplements, counted per office from the index alone.
"""


def up(migrator, db):
    db.execute_sql(
        "UPDATE dossier SET resolved_at = COALESCE("
        "(SELECT MAX(e.at) FROM dossier_event e WHERE e.dossier_id = dossier.id "
        "AND e.to_status = dossier.status), returned_at, received_at) "
        "WHERE status IN (3, 7, 8, 9, 10) AND resolved_at IS NULL")
    db.execute_sql(
        "CREATE INDEX dossier_report ON dossier (status, received_at, channel, resolved_at, "
        "due_at, paused_at, office_id, field, procedure_code, officer)")
    db.execute_sql("CREATE INDEX dossier_resolved ON dossier (resolved_at, received_at)")
    db.execute_sql(
        "CREATE INDEX dossier_worklist ON dossier (office_id, status, due_at, paused_at)")


def down(migrator, db):
    for name in ("dossier_report", "dossier_resolved", "dossier_worklist"):
        db.execute_sql(f"DROP INDEX IF EXISTS {name}")
