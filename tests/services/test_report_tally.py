"""The reports' summary (dossier_tally, migration 0011) against the dossiers themselves, on both
engines: rows written straight into the table (as an import, a restore or the centre's sync
applier writes them, never through a service), changed one by one and many at once, and
deleted; after each step the summary holds exactly what the dossiers make, and the period
report and the day board read from it agree with the figures worked out in Python from the
dossiers by core.ontime's rule.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from typing import Any

import pytest

from counter_tui.core.ontime import FINISHED_STATUSES, classify
from counter_tui.core.report.arithmetic import day_bounds
from counter_tui.core.report.counting import class_at, handled
from counter_tui.core.report.model import Tally
from counter_tui.db.models import Dossier, DossierBacklog, DossierTally, Office
from counter_tui.services import reports, worklists

D = dt.datetime
NO_DUE = dt.date(9999, 12, 31)
CLASS_CODES = {"early": 0, "on_time": 1, "late": 2}
CHANNEL_CODES = {"post": 1, "online": 2}
FIELDS = {"HT-KS": "Hộ tịch", "HT-KH": "Hộ tịch", "CT-BS": "Chứng thực", "X-1": ""}
OFFICERS = ["canbo1", "canbo2", ""]
CHANNELS = ["walk_in", "online", "post", "fax"]  # any other channel counts as walk-in
DAY = dt.date
PERIODS = [(DAY(2026, 4, 1), DAY(2026, 4, 30)), (DAY(2026, 1, 1), DAY(2026, 5, 31)),
           (DAY(2026, 5, 12), DAY(2026, 5, 12)), (DAY(2025, 11, 3), DAY(2026, 2, 9)),
           (DAY(2026, 5, 1), DAY(2026, 5, 11)), (DAY(2025, 4, 1), DAY(2025, 9, 30))]


def _moment(rnd: random.Random, lo: dt.datetime, days: float) -> dt.datetime:
    at = lo + dt.timedelta(seconds=rnd.random() * days * 86400)
    # the due day's afternoon often: the class on the due day itself hangs on the hour
    return at.replace(second=0) if rnd.random() < 0.8 else at


def _dossier(rnd: random.Random, n: int, offices: list[int], now: dt.datetime) -> dict[str, Any]:
    received = _moment(rnd, D(2025, 3, 1, 7), (now - D(2025, 3, 1, 7)).days + 0.04)
    status = rnd.randint(1, 10)
    due = None if rnd.random() < 0.08 else received + dt.timedelta(
        days=rnd.choice((0, 0.3, 1, 3, 5, 12)), hours=rnd.randint(0, 9))
    resolved = paused = returned = None
    if status in FINISHED_STATUSES and rnd.random() < 0.95:
        resolved = min(now, received + dt.timedelta(hours=rnd.randint(1, 24 * 15)))
        if status == 10:
            returned = resolved
    if status == 5 and rnd.random() < 0.8:
        paused = min(now, received + dt.timedelta(hours=rnd.randint(1, 24 * 10)))
    procedure = rnd.choice(list(FIELDS))
    return dict(code=f"T-{n:05d}", office=rnd.choice(offices), procedure_code=procedure,
                procedure_name=procedure, field=FIELDS[procedure], channel=rnd.choice(CHANNELS),
                level="", status=status, applicant_name=f"Nguyễn Văn {n}",
                applicant_folded=f"nguyen van {n}", received_at=received, due_at=due,
                original_due_at=due, resolved_at=resolved, returned_at=returned,
                paused_at=paused, officer=rnd.choice(OFFICERS), counter=1)


def _expected_tally() -> Counter[tuple[Any, ...]]:
    """What dossier_tally must hold, worked out in Python from every dossier."""
    far = D(9999, 1, 1)
    out: Counter[tuple[Any, ...]] = Counter()
    for d in Dossier.select():
        if d.status in FINISHED_STATUSES:
            state = CLASS_CODES[classify(d.status, d.due_at, d.resolved_at, far).value]
        else:
            state = 6 if d.status == 5 else 5
        due = d.due_at.date() if state == 5 and d.due_at is not None else NO_DUE
        out[(state, d.received_at.date(), d.office_id, due, CHANNEL_CODES.get(d.channel, 0),
             d.field, d.procedure_code, d.officer)] += 1
    return out


def _stored_tally() -> Counter[tuple[Any, ...]]:
    out: Counter[tuple[Any, ...]] = Counter()
    for t in DossierTally.select():
        day = t.received_day if isinstance(t.received_day, dt.date) else \
            dt.date.fromisoformat(t.received_day)
        due = t.due_day if isinstance(t.due_day, dt.date) else dt.date.fromisoformat(t.due_day)
        if t.n:
            out[(t.state, day, t.office_id, due, t.channel, t.field, t.procedure_code,
                 t.officer)] += t.n
    return out


def _oracle(start: dt.date, end: dt.date, now: dt.datetime, by: str,
            office: int | None = None) -> dict[str, Tally]:
    """The period report worked out in Python from the dossiers (core.report.counting)."""
    lo, hi = day_bounds(start)[0], day_bounds(end)[1]
    as_of = min(hi, now)
    column = {"field": "field", "procedure": "procedure_code", "officer": "officer",
              "office": "office_id"}[by]
    out: dict[Any, Tally] = {}
    for d in Dossier.select():
        if office is not None and d.office_id != office:
            continue
        kind = handled(d.received_at, d.status, d.resolved_at, lo, hi)
        if kind is None:
            continue
        cls = class_at(d.status, d.due_at, d.resolved_at, d.paused_at, end=hi, as_of=as_of)
        key = getattr(d, column)
        out[key] = out.get(key, Tally()).counted(kind, d.channel, cls.value, 1)
    return out


def _stored_backlog() -> Counter[tuple[Any, ...]]:
    out: Counter[tuple[Any, ...]] = Counter()
    for b in DossierBacklog.select():
        due = b.due_day if isinstance(b.due_day, dt.date) else dt.date.fromisoformat(b.due_day)
        if b.n:
            out[(b.state, b.office_id, due)] += b.n
    return out


def _check(store: Any) -> None:
    with store.read():
        expected = _expected_tally()
        assert _stored_tally() == expected
        backlog: Counter[tuple[Any, ...]] = Counter()  # the open ones by due day (0021)
        for (state, _, office, due, *_), n in expected.items():
            if state in (5, 6):
                backlog[(state, office, due)] += n
        assert _stored_backlog() == backlog
        offices = [o.id for o in Office.select()]
    now = store.now()
    for start, end in PERIODS:
        for by in ("field", "procedure", "officer", "office"):
            report = reports.period(store, start, end, by=by)
            got = {r.key: r.tally for r in report.rows}
            with store.read():
                want = {str(k): v for k, v in _oracle(start, end, now, by).items()}
            assert got == want, (start, end, by)
        with store.read():
            code = Office.get_by_id(offices[0]).code
            want = {str(k): v for k, v in _oracle(start, end, now, "field", offices[0]).items()}
        got = {r.key: r.tally for r in reports.period(store, start, end, office=code).rows}
        assert got == want, (start, end, code)


def _board_overdue(store: Any) -> int:
    """The day board's overdue count, from the dossiers by core.ontime's rule."""
    now = store.now()
    with store.read():
        office = Office.get(Office.code == store.cfg.office.agency_code)
        return sum(classify(d.status, d.due_at, None, now, paused_at=d.paused_at).value
                   == "overdue" for d in Dossier.select().where(
                       Dossier.office == office.id, Dossier.status.in_((1, 2, 4, 5, 6))))


def _board_month_share(store: Any) -> float | None:
    """The day board's online share of the month, counted from the dossiers."""
    today = store.now().date()
    with store.read():
        office = Office.get(Office.code == store.cfg.office.agency_code)
        rows = [d.channel for d in Dossier.select(Dossier.channel).where(
            Dossier.office == office.id, Dossier.received_at >= D(today.year, today.month, 1),
            Dossier.received_at < day_bounds(today)[1])]
    return sum(c == "online" for c in rows) / len(rows) if rows else None


@pytest.mark.parametrize("seed", [1, 2])
def test_the_summary_follows_rows_written_past_the_services(store: Any, seed: int) -> None:
    rnd = random.Random(seed)
    now = store.now()
    with store.write():
        own = Office.get(Office.code == store.cfg.office.agency_code).id
        other = Office.insert(code="000.17.22.H57", name="UBND xã Bình An").execute()
        offices = [own, other]
        rows = [_dossier(rnd, n, offices, now) for n in range(400)]
        # many rows in one statement (as an import or a sync batch), then one by one
        Dossier.insert_many(rows[:300]).execute()
        for row in rows[300:]:
            Dossier.insert(**row).execute()
    _check(store)
    board = reports.day_board(store)
    assert board.online_month == pytest.approx(_board_month_share(store))
    assert board.overdue == _board_overdue(store) == worklists.counts(store)["overdue"]

    with store.write():
        ids = [d.id for d in Dossier.select(Dossier.id)]
        rnd.shuffle(ids)
        for i in ids[:60]:  # one by one: resolved, reopened, paused, moved, re-dated
            change = rnd.choice(("resolve", "reopen", "pause", "move", "due", "channel"))
            if change == "resolve":
                values: dict[Any, Any] = {Dossier.status: rnd.choice((3, 7, 8, 9, 10)),
                                          Dossier.resolved_at: now - dt.timedelta(days=1)}
            elif change == "reopen":
                values = {Dossier.status: 4, Dossier.resolved_at: None,
                          Dossier.returned_at: None}
            elif change == "pause":
                values = {Dossier.status: 5, Dossier.paused_at: now - dt.timedelta(days=2)}
            elif change == "move":
                values = {Dossier.office: rnd.choice(offices), Dossier.officer: "canbo2",
                          Dossier.procedure_code: "HT-KH", Dossier.field: "Hộ tịch"}
            elif change == "due":
                values = {Dossier.due_at: now + dt.timedelta(hours=rnd.randint(-48, 48))}
            else:
                values = {Dossier.channel: rnd.choice(CHANNELS)}
            Dossier.update(values).where(Dossier.id == i).execute()
        # many at once, and a change of a column the summary does not count
        Dossier.update({Dossier.field: "Chứng thực"}).where(
            Dossier.procedure_code == "CT-BS").execute()
        Dossier.update({Dossier.due_at: now + dt.timedelta(hours=30)}).where(
            Dossier.status == 4).execute()
        Dossier.update({Dossier.note: "x"}).execute()
        Dossier.delete().where(Dossier.id.in_(ids[60:100])).execute()
        Dossier.delete().where(Dossier.id == ids[100]).execute()
    _check(store)
    board = reports.day_board(store)
    assert board.online_month == pytest.approx(_board_month_share(store))
    assert board.overdue == _board_overdue(store) == worklists.counts(store)["overdue"]


def test_judged_during_the_day_due_that_day(store: Any) -> None:
    """A running dossier due today is overdue once its hour has passed, not before: the one
    class the summary's due day cannot tell, read live."""
    now = store.now()
    today = now.replace(hour=0, minute=0, second=0, microsecond=0)
    with store.write():
        office = Office.get(Office.code == store.cfg.office.agency_code).id
        for n, due in enumerate((now - dt.timedelta(minutes=1), now + dt.timedelta(minutes=1),
                                 today + dt.timedelta(hours=23, minutes=59))):
            Dossier.insert(code=f"E-{n}", office=office, procedure_code="HT-KS",
                           procedure_name="x", field="Hộ tịch", channel="walk_in", status=4,
                           applicant_name="A", applicant_folded="a",
                           received_at=today - dt.timedelta(days=3), due_at=due,
                           officer="canbo1").execute()
    report = reports.period(store, now.date().replace(day=1), now.date())
    assert (report.total.overdue, report.total.in_time) == (1, 2)


def test_an_import_fills_the_summary_and_the_name_search_as_the_triggers_would(
        store: Any, tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """An import's batches fill both for the whole batch (db/bulk.py); the result is the
    same as row by row, and the triggers are back for the next dossier."""
    from counter_tui.services import history, lookup

    monkeypatch.setattr(history, "BATCH", 7)
    rnd = random.Random(5)
    lines = ["code,office,procedure_code,channel,level,applicant_name,received_at,due_at,"
             "resolved_at,returned_at,status"]
    for i in range(1, 41):
        received = D(2026, 3, 1, 8) + dt.timedelta(days=i, hours=rnd.randint(0, 8))
        status = rnd.choice((2, 4, 5, 9, 10, 3, 8))
        resolved = received + dt.timedelta(days=rnd.randint(0, 6)) \
            if status in FINISHED_STATUSES else None
        returned = resolved if status == 10 else None
        lines.append(",".join([
            f"H.001-{received:%y%m%d}-{i:04d}", rnd.choice(("000.17.22.H56", "UBND xã Bình An")),
            rnd.choice(list(FIELDS)), rnd.choice(CHANNELS[:3]), "", f"Trần Thị Import{i}",
            f"{received:%Y-%m-%d %H:%M}", f"{received + dt.timedelta(days=3):%Y-%m-%d %H:%M}",
            f"{resolved:%Y-%m-%d %H:%M}" if resolved else "",
            f"{returned:%Y-%m-%d %H:%M}" if returned else "", str(status)]))
    path = tmp_path / "history.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert history.import_csv(store, path).added == 40
    _check(store)
    found = lookup.find(store, "import17")
    assert [d.applicant_name for d in found.items] == ["Trần Thị Import17"]
    with store.write():  # the row triggers stand again after the import
        Dossier.update({Dossier.status: 10, Dossier.resolved_at: D(2026, 5, 1, 9)}).where(
            Dossier.status == 4).execute()
        row = _dossier(rnd, 999, [Office.get(Office.code == "000.17.22.H56").id], store.now())
        Dossier.insert(**{**row, "applicant_folded": "tran thi sau import"}).execute()
    _check(store)
    assert [d.applicant_name for d in lookup.find(store, "sau import").items] == \
        ["Nguyễn Văn 999"]


def test_the_migration_keeps_a_frozen_copy_of_the_summary_key() -> None:
    import importlib.util

    from counter_tui.db import bulk
    from counter_tui.db.connection import MIGRATIONS

    spec = importlib.util.spec_from_file_location(
        "m0011", MIGRATIONS / "0011_dossier_tally.py")
    assert spec is not None and spec.loader is not None
    frozen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(frozen)
    assert frozen.KEY == bulk.TALLY_KEY
    for column in ("field", "procedure_code", "officer"):  # copies of the dossier's columns
        assert getattr(DossierTally, column).max_length == getattr(Dossier, column).max_length
    for sqlite in (True, False):
        for row in ("NEW", "OLD", "d"):
            assert frozen.key_sql(row, sqlite) == bulk.tally_key(row, sqlite)
