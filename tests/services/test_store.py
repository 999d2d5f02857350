"""The store on both engines: migrations build exactly the models' schema, opening syncs the
configured office, groups and counters, and an unreachable server is a readable UserError."""

from __future__ import annotations

import socket
from collections.abc import Callable
from typing import Any

import pytest
from playhouse.schema_diff import diff_models

from counter_tui.core.errors import UserError
from counter_tui.db import connection, search
from counter_tui.db.models import MODELS, Counter, Office, Officer, Procedure, ServiceGroup
from counter_tui.services.store import open_store

GROUPS_AFTER = [
    {"letter": "A", "name": "Hộ tịch - Chứng thực"},
    {"letter": "C", "name": "Cư trú"},
    {"letter": "E", "name": "Đất đai"},
]
COUNTERS_AFTER = [
    {"number": 1, "name": "Quầy một", "groups": ["A", "E"]},
    {"number": 4, "name": "Quầy 4", "groups": ["C"]},
]


def _migration_names() -> list[str]:
    """Every numbered script in db/migrations, in order: what a new store must run."""
    return sorted(p.stem for p in connection.MIGRATIONS.glob("[0-9][0-9][0-9][0-9]_*.py"))


def _columns(db: Any, table: str) -> dict[str, bool]:
    return {c.name: c.null for c in db.get_columns(table)}


def _own_indexes(db: Any) -> set[str]:
    """The indexes each engine has beside the models': the name search's, and on PostgreSQL
    the GiST index of a finished dossier's span (0021), which a model's index cannot say."""
    return search.own_indexes(db) | (set() if connection.is_sqlite(db) else {"dossier_span"})


def test_migrations_build_exactly_the_models(empty_database_url: str) -> None:
    db = connection.connect(empty_database_url)
    try:
        names = _migration_names()
        assert names[0] == "0001_initial"
        assert connection.migrate(db) == names
        with db.connection_context():
            diff = diff_models(db, MODELS)
            # the name search is each engine's own index, which the models do not describe: on
            # PostgreSQL a GIN index on dossier (seen by diff_models), on SQLite an FTS5 table;
            # so is PostgreSQL's GiST index of a dossier's span (migration 0021)
            own = _own_indexes(db)
            assert {i.name for i in diff.drop_indexes if i.name in own} == own
            diff = diff._replace(drop_indexes=[i for i in diff.drop_indexes
                                               if i.name not in own])
            assert not diff, f"migrations and models disagree:\n{diff}"
            # sqlite_sequence: SQLite's own, made for the sync outbox's AUTOINCREMENT (0013)
            tables = set(db.get_tables()) - {"sqlite_sequence"}
            assert {m._meta.table_name for m in MODELS} | {"schema_migration"} | \
                search.own_tables(db) == tables
            for model in MODELS:  # and the nullability diff_models does not look at
                expected = {f.column_name: bool(f.null) for f in model._meta.sorted_fields
                            if not f.primary_key}
                actual = _columns(db, model._meta.table_name)
                assert {k: actual[k] for k in expected} == expected, model.__name__
    finally:
        db.close()
        connection.database.initialize(None)


def test_partial_indexes_hold_the_rows_the_models_say(tmp_path: Any) -> None:
    """diff_models pairs a partial index by its name alone; its condition is what decides
    which dossiers it holds and which queries may read it, so it is compared here, as the
    migrations wrote it (the same text on both engines)."""
    db = connection.connect(f"sqlite:///{tmp_path / 'partial.db'}")
    try:
        connection.migrate(db)
        with db.connection_context():
            stored = {name: sql for name, sql in db.execute_sql(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql LIKE "
                "'% WHERE %'")}
        declared = {index._name: index._where.sql for model in MODELS
                    for index in model._meta.fields_to_index()
                    if getattr(index, "_where", None) is not None}
        assert "dossier_worklist" in declared and set(declared) <= set(stored)
        for name, condition in declared.items():
            assert stored[name].split(" WHERE ", 1)[1] == condition, name
    finally:
        db.close()
        connection.database.initialize(None)


def test_every_model_names_its_own_key() -> None:
    """The base model has none to inherit (db.models): a model without one would have none."""
    for model in MODELS:
        key = model._meta.primary_key
        assert key is not False and key.model is model, model.__name__


def test_migrating_twice_is_a_no_op(empty_database_url: str) -> None:
    db = connection.connect(empty_database_url)
    try:
        assert connection.migrate(db) == _migration_names()
        assert connection.migrate(db) == []
        with db.connection_context():
            assert {i.name for i in diff_models(db, MODELS).drop_indexes} == _own_indexes(db)
    finally:
        db.close()
        connection.database.initialize(None)


def test_open_store_migrates_syncs_and_seeds(store: Any) -> None:
    cfg = store.cfg
    with store.read():
        assert Office.get(Office.code == cfg.office.agency_code).name == cfg.office.name
        assert Officer.get(Officer.code == "canbo1").name == "Nguyễn Thị Lan"
        groups = {g.letter: (g.name, g.active) for g in ServiceGroup.select()}
        assert groups == {"A": ("Hộ tịch", True), "B": ("Chứng thực", True),
                          "C": ("Cư trú", True), "D": ("Bưu chính công ích", True)}
        counters = {c.number: (c.groups, c.active) for c in Counter.select()}
        assert counters == {1: ("A,B", True), 2: ("B,C", True), 3: ("C,D", True)}
        assert Procedure.select().count() == 20
    assert (store.counter, store.officer) == (1, "canbo1")


def test_reopening_with_another_config_follows_it(open_test_store: Callable[..., Any]) -> None:
    open_test_store()
    store = open_test_store(groups=GROUPS_AFTER, counters=COUNTERS_AFTER,
                            office={"name": "UBND phường Mới"},
                            terminal={"counter": 4, "officer": "canbo2",
                                      "officer_name": "Trần Văn Bình"})
    with store.read():
        groups = {g.letter: (g.name, g.active) for g in ServiceGroup.select()}
        assert groups == {"A": ("Hộ tịch - Chứng thực", True), "B": ("Chứng thực", False),
                          "C": ("Cư trú", True), "D": ("Bưu chính công ích", False),
                          "E": ("Đất đai", True)}
        counters = {c.number: (c.name, c.groups, c.active) for c in Counter.select()}
        assert counters == {1: ("Quầy một", "A,E", True), 2: ("Quầy 2", "B,C", False),
                            3: ("Quầy 3", "C,D", False), 4: ("Quầy 4", "C", True)}
        assert [o.name for o in Office.select()] == ["UBND phường Mới"]
        assert {o.code for o in Officer.select()} == {"canbo1", "canbo2"}
        assert Procedure.select().count() == 20  # not seeded twice
    assert (store.counter, store.officer) == (4, "canbo2")

    # a group that comes back is active again
    store = open_test_store()
    with store.read():
        assert all(g.active for g in ServiceGroup.select().where(ServiceGroup.letter != "E"))
        assert not ServiceGroup.get_by_id("E").active


def test_open_without_seed_leaves_the_catalogue_empty(
        open_test_store: Callable[..., Any]) -> None:
    store = open_test_store(seed=False)
    with store.read():
        assert Procedure.select().count() == 0


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_unreachable_postgres_is_a_user_error_with_the_password_masked(
        make_config: Callable[..., Any], tmp_path: Any) -> None:
    url = f"postgresql://counter:s3cr3t-pw@127.0.0.1:{_closed_port()}/counter"
    cfg = make_config(tmp_path, database={"url": url})
    with pytest.raises(UserError) as info:
        open_store(cfg)
    assert info.value.key == "store.unavailable"
    message = str(info.value)
    assert "s3cr3t-pw" not in message
    assert "postgresql://***@127.0.0.1:" in message
    assert "database.url" in message
    assert "\n" not in message
    connection.database.initialize(None)


def test_a_missing_folder_is_never_a_new_store(make_config: Callable[..., Any],
                                               tmp_path: Any) -> None:
    from counter_tui.services.store import StoreUnavailable, create_store

    share = tmp_path / "share" / "counter"
    cfg = make_config(tmp_path, database={"url": f"sqlite:///{share / 'counter.db'}"})
    with pytest.raises(StoreUnavailable) as info:
        open_store(cfg)
    assert info.value.key == "store.folder_missing"
    assert str(share) in str(info.value) and "counter-tui init" in str(info.value)
    assert not (tmp_path / "share").exists()
    # the first setup makes one level of folder, never a whole missing path
    with pytest.raises(StoreUnavailable):
        create_store(cfg)
    assert not (tmp_path / "share").exists()
    (tmp_path / "share").mkdir()
    store, new = create_store(cfg)
    assert new and (share / "counter.db").exists()
    store.close()
    store, new = create_store(cfg)
    assert not new
    store.close()
    connection.database.initialize(None)


def test_connect_refuses_a_store_that_keeps_nothing() -> None:
    for url in ("sqlite:///:memory:", "sqlite:///"):
        with pytest.raises(connection.NotPersistent):
            connection.connect(url)


@pytest.mark.parametrize("engine", ["sqlite"], indirect=True)  # another program's file lock
def test_a_locked_store_is_said_for_people(store: Any, tmp_path: Any) -> None:
    import sqlite3

    from counter_tui.services import queue
    from counter_tui.services.store import describe_failure

    other = sqlite3.connect(store.db.database, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        with pytest.raises(Exception) as info:
            queue.issue(store, "A")
    finally:
        other.close()
    described = describe_failure(info.value, store.cfg.database.url)
    assert described is not None and described.key == "store.locked"
    assert "Đóng chương trình đó rồi thử lại" in str(described)
