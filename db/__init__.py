"""The store: peewee models, the connection (SQLite file by default, PostgreSQL by URL),
numbered migrations and the seed catalogue."""
