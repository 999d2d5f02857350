"""Worklists (services/worklists.py): indexes that start with the office, so each list is a
range on one index whatever the planner's statistics say (a store opened once and never
ANALYZEd): "due today" by the apology's new appointment (Mẫu 04; nearly always NULL, so the
index is small) and "returned today" by the hand-over time. Due and overdue dossiers use 0004's
dossier_worklist (office_id, status, due_at, paused_at)."""


def up(migrator, db):
    migrator.migrate(
        migrator.add_index("dossier", ("office_id", "apology_due_at"), False),
        migrator.add_index("dossier", ("office_id", "returned_at"), False),
    )
