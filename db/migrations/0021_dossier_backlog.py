"""The open dossiers counted by due day alone, and the dossiers in progress at a moment found by
their span (issue 14, a province's five years: 10,000,000 dossiers on PostgreSQL).

* dossier_backlog: how many open dossiers share each (state, office_id, due_day), state 5
  (running: statuses 1, 2, 4, 6) or 6 (waiting for supplements), as dossier_tally (0011) holds
  them, summed over every other column of its key. The board's overdue count and its count of
  dossiers waiting for supplements, and the worklists' counts of both, read every open dossier
  of the office: through dossier_tally that is one row per received day, channel, field,
  procedure and officer (203,000 rows, 90 ms, for a province's five years), through the
  dossiers one index entry each (300,000 waiting for supplements, 150 ms); here it is one row
  per due day (one for those waiting for supplements).

  Kept by row triggers on dossier_tally, so it moves in the same statement as the summary it
  sums, whichever path wrote the dossiers (0011 says why the summary is kept by the database);
  dossier_tally's rows are only ever inserted or have their `n` changed, and the triggers add
  the change of `n` to the row of its key. On PostgreSQL the summary's grouped upsert touches
  its keys in order of state first, so two writers of one dossier each take this table's row
  locks in one order.

* dossier_span (PostgreSQL): the finished dossiers by the span from received to resolved, a
  GiST index on tsrange(received_at, resolved_at, '(]'). A period report reads the dossiers
  received before its start and finished since (the period's carried-over edge): as a range
  of any B-tree that is every dossier received before the start (seven million, 970 ms) or
  every one finished since (a million); a span containing the start is what the GiST index
  answers, a few thousand entries. A span whose end comes before its start is left out (the
  range would be refused): such a dossier is in progress at no moment.
"""
from peewee import AutoField, DateField, IntegerField, Model, ModelIndex, SmallIntegerField
from peewee import SqliteDatabase

OPEN_STATES = "(5, 6)"
SPAN_WHERE = "status IN (3, 7, 8, 9, 10) AND resolved_at > received_at"
SPAN = "tsrange(received_at, resolved_at, '(]')"
UPSERT = ("ON CONFLICT (state, office_id, due_day) DO UPDATE "
          "SET n = dossier_backlog.n + excluded.n")


def _sqlite():
    def add(row, n):
        return (f"INSERT INTO dossier_backlog (state, office_id, due_day, n) VALUES "
                f"({row}.state, {row}.office_id, {row}.due_day, {n}) {UPSERT};")

    return [
        f"CREATE TRIGGER dossier_backlog_insert AFTER INSERT ON dossier_tally "
        f"WHEN NEW.state IN {OPEN_STATES} BEGIN {add('NEW', 'NEW.n')} END",
        f"CREATE TRIGGER dossier_backlog_update AFTER UPDATE OF n ON dossier_tally "
        f"WHEN NEW.state IN {OPEN_STATES} AND NEW.n <> OLD.n BEGIN "
        f"{add('NEW', 'NEW.n - OLD.n')} END",
        f"CREATE TRIGGER dossier_backlog_delete AFTER DELETE ON dossier_tally "
        f"WHEN OLD.state IN {OPEN_STATES} BEGIN {add('OLD', '-OLD.n')} END",
    ]


POSTGRES_FUNCTION = f"""
CREATE FUNCTION dossier_backlog_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        IF OLD.state IN {OPEN_STATES} THEN
            INSERT INTO dossier_backlog (state, office_id, due_day, n)
            VALUES (OLD.state, OLD.office_id, OLD.due_day, -OLD.n) {UPSERT};
        END IF;
    ELSIF NEW.state IN {OPEN_STATES} THEN
        INSERT INTO dossier_backlog (state, office_id, due_day, n)
        VALUES (NEW.state, NEW.office_id, NEW.due_day,
                NEW.n - CASE WHEN TG_OP = 'UPDATE' THEN OLD.n ELSE 0 END) {UPSERT};
    END IF;
    RETURN NULL;
END
$$
"""


def up(migrator, db):
    class DossierBacklog(Model):
        id = AutoField()
        state = SmallIntegerField()
        office_id = IntegerField()
        due_day = DateField()
        n = IntegerField(default=0)

        class Meta:
            database = db
            table_name = "dossier_backlog"

    DossierBacklog.add_index(ModelIndex(DossierBacklog, ("state", "office_id", "due_day"),
                                        name="dossier_backlog_key", unique=True))
    db.create_tables([DossierBacklog])
    db.execute_sql(
        "INSERT INTO dossier_backlog (state, office_id, due_day, n) "
        f"SELECT state, office_id, due_day, SUM(n) FROM dossier_tally "
        f"WHERE state IN {OPEN_STATES} GROUP BY state, office_id, due_day")
    if isinstance(db, SqliteDatabase):
        for statement in _sqlite():
            db.execute_sql(statement)
        return
    db.execute_sql(POSTGRES_FUNCTION)
    db.execute_sql("CREATE TRIGGER dossier_backlog_change AFTER INSERT OR UPDATE OF n OR DELETE "
                   "ON dossier_tally FOR EACH ROW EXECUTE FUNCTION dossier_backlog_change()")
    db.execute_sql("ALTER TABLE dossier_tally ENABLE ALWAYS TRIGGER dossier_backlog_change")
    db.execute_sql(f"CREATE INDEX dossier_span ON dossier USING gist ({SPAN}) "
                   f"WHERE {SPAN_WHERE}")
    db.execute_sql("ANALYZE dossier_backlog")


def down(migrator, db):
    if isinstance(db, SqliteDatabase):
        for op in ("insert", "update", "delete"):
            db.execute_sql(f"DROP TRIGGER IF EXISTS dossier_backlog_{op}")
    else:
        db.execute_sql("DROP TRIGGER IF EXISTS dossier_backlog_change ON dossier_tally")
        db.execute_sql("DROP FUNCTION IF EXISTS dossier_backlog_change()")
        db.execute_sql("DROP INDEX IF EXISTS dossier_span")
    db.execute_sql("DROP TABLE IF EXISTS dossier_backlog")
