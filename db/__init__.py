"""The store: peewee models, the connection (SQLite file by default, PostgreSQL by URL),
numbered migrations and the seed catalogue."""

import sys


def without_server_drivers() -> None:
    """For a SQLite store: keep peewee from importing the PostgreSQL driver when it loads (it
    tries at import time, which costs a fifth of the app's own start-up). Call before the
    first import of peewee; a process that later needs PostgreSQL must not call it."""
    if "peewee" not in sys.modules:
        sys.modules.setdefault("psycopg2", None)  # type: ignore[arg-type]
