"""The board's ticket index covers the office the tickets came from (issue 14).

0011's ticket_board (day, state, then every column the board reads) let the board read a
day's tickets from the index alone. Since 0013 the board also asks whose they are (`origin`:
this store's own, or an office syncing to the district's centre); that column was not in the
index, so the planner read the day through the unique (origin, day, ...) index and then one
table row per ticket, eight thousand on a busy day. With `origin` after (day, state) the read
is from the index again, for one office, several, or all of them.
"""

BOARD = ("day, state, origin, group_letter, counter, officer, issued_at, called_at, serving_at, "
         "finished_at")


def up(migrator, db):
    db.execute_sql("DROP INDEX IF EXISTS ticket_board")
    db.execute_sql(f"CREATE INDEX ticket_board ON ticket ({BOARD})")


def down(migrator, db):
    db.execute_sql("DROP INDEX IF EXISTS ticket_board")
    db.execute_sql("CREATE INDEX ticket_board ON ticket (day, state, group_letter, counter, "
                   "officer, issued_at, called_at, serving_at, finished_at)")
