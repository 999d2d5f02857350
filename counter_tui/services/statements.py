"""The statements a screen reads after every commit in the office, built once.

The counter screen reads the same few statements whenever any terminal commits (the change
feed, services.changes), and twenty terminals do so at the same moment. Building each
statement's SQL with the ORM took more CPU than the database took to run it (about 7 of a
reload's 11 ms on PostgreSQL went to Python), and on one machine whose cores the terminals
share, that CPU, times twenty, was the delay between a commit and the other screens. A
statement's text and parameters depend only on its shape, its arguments (the counter, its
groups, the day, the printer) and the database's dialect, so they are built once and reused:
the key names every argument the statement is built from.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any

from peewee import Database, Field

MAX_KEPT = 256  # a day's statements of a terminal are a handful; this only bounds a long run

Converter = Callable[[Any], Any] | None
Built = tuple[str, tuple[Any, ...], tuple[Converter, ...]]

_built: dict[tuple[Hashable, ...], Built] = {}


def _built_once(db: Database, key: tuple[Hashable, ...], build: Callable[[], Any]) -> Built:
    full = (type(db).__name__, *key)
    found = _built.get(full)
    if found is None:
        if len(_built) >= MAX_KEPT:
            _built.clear()
        query = build()
        text, params = query.sql()
        # what the ORM does to each selected column's value (SQLite keeps times as text)
        converters = tuple(node.python_value if isinstance(node, Field) else None
                           for node in getattr(query, "_returning", ()))
        found = _built[full] = (text, tuple(params), converters)
    return found


def sql(db: Database, key: tuple[Hashable, ...],
        build: Callable[[], Any]) -> tuple[str, tuple[Any, ...]]:
    """The SQL text and parameters of `build()` (a peewee query) for `key`, built once per
    dialect: the same key must always build the same statement."""
    text, params, _ = _built_once(db, key, build)
    return text, params


def rows(db: Database, key: tuple[Hashable, ...],
         build: Callable[[], Any]) -> list[tuple[Any, ...]]:
    """The rows of a cached statement, as tuples of the values the ORM would give."""
    text, params, converters = _built_once(db, key, build)
    return [tuple(value if convert is None or value is None else convert(value)
                  for value, convert in zip(row, converters, strict=False))
            for row in db.execute_sql(text, params).fetchall()]


def models(model: Any, db: Database, key: tuple[Hashable, ...],
           build: Callable[[], Any]) -> list[Any]:
    """The rows of a cached statement, as instances of `model` (its columns, as selected)."""
    text, params = sql(db, key, build)
    return list(model.raw(text, *params))


# --- writes ------------------------------------------------------------------------------
# A ticket's path from its key to its slip's bytes runs a handful of writes whose values change
# at every call (the time, the number), so the cache above cannot keep them; peewee wrote each
# one's text anew, about a quarter of a millisecond of Python where SQLite takes a hundredth
# of that to run it. Their text is written here once per dialect from the model, and only
# their values are bound at each call.

_inserts: dict[tuple[Hashable, ...], tuple[str, tuple[Field, ...], tuple[Any, ...]]] = {}


def insert(db: Database, model: Any, values: dict[str, Any]) -> None:
    """Insert one row of `model`: the fields named in `values`, every other field with a
    default given that default (as peewee's insert does)."""
    _insert(db, model, values, returning=False)


def insert_id(db: Database, model: Any, values: dict[str, Any]) -> int:
    """insert, returning the new row's id."""
    return int(_insert(db, model, values, returning=True).fetchone()[0])


def _insert(db: Database, model: Any, values: dict[str, Any], *, returning: bool) -> Any:
    names = tuple(values)
    text, fields, defaults = _insert_text(db, model, names, returning)
    params = [field.db_value(values[name]) for name, field in zip(names, fields, strict=True)]
    return db.execute_sql(text, (*params, *defaults))


def _insert_text(db: Database, model: Any, names: tuple[str, ...], returning: bool
                 ) -> tuple[str, tuple[Field, ...], tuple[Any, ...]]:
    key = (type(db).__name__, model, names, returning)
    found = _inserts.get(key)
    if found is None:
        meta = model._meta
        given = tuple(meta.fields[name] for name in names)
        rest = [f for f in meta.sorted_fields
                if f.name not in names and f is not meta.primary_key and f.default is not None]
        if any(callable(f.default) for f in rest):  # a default computed per row: give it
            raise TypeError(f"{model.__name__}: give {[f.name for f in rest]} explicitly")
        columns = ", ".join(f'"{f.column_name}"' for f in (*given, *rest))
        marks = ", ".join([db.param] * (len(given) + len(rest)))
        text = f'INSERT INTO "{meta.table_name}" ({columns}) VALUES ({marks})'
        if returning:
            text += f' RETURNING "{meta.primary_key.column_name}"'
        found = _inserts[key] = (text, given, tuple(f.db_value(f.default) for f in rest))
    return found
