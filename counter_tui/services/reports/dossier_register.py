"""The dossier register (Mẫu 06) from the store: every dossier received in a period with its
applicant, dates and outcome, read in pages so a year's register never sits in memory, and
its export. It holds personal data, so asking for it is audited.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from counter_tui.core.i18n import t
from counter_tui.core.ontime import classify
from counter_tui.core.report.arithmetic import day_bounds
from counter_tui.core.report.model import CHANNELS, channel_label
from counter_tui.core.report.tables import (
    REGISTER_FIXED_COLUMNS,
    register_headers,
    register_sheet,
    return_method_label,
)
from counter_tui.core.roles import Action
from counter_tui.core.statuses import status_label
from counter_tui.db.models import Office
from counter_tui.services import audit, exports
from counter_tui.services.authority import gated
from counter_tui.services.exports import Exported
from counter_tui.services.reports.sql import Sql, check_days, office_filter, office_id_of
from counter_tui.services.store import Store

REGISTER_CHUNK = 2000


@gated(Action.REGISTER_EXPORT)
def register(store: Store, start: dt.date, end: dt.date, *, office: str | None = None
             ) -> Iterator[tuple[Any, ...]]:
    """The register's lines (core.report.tables.REGISTER_COLUMNS) for dossiers received start..end,
    oldest first, read in pages so a year's register never sits in memory. Asking for it is
    recorded in the audit log at once: it holds applicants' personal data."""
    check_days(start, end)
    with store.write():
        office_id = office_id_of(store, office)
        offices = {o.id: o.name for o in Office.select(Office.id, Office.name)}
        audit.record(store, "export:register", f"{start.isoformat()}..{end.isoformat()}")
    return _register_lines(store, day_bounds(start)[0], day_bounds(end)[1], office_id,
                           offices)


def _register_lines(store: Store, lo: dt.datetime, hi: dt.datetime, office_id: int | None,
                    offices: dict[int, str]) -> Iterator[tuple[Any, ...]]:
    now = store.now()
    number = 0
    after: tuple[Any, int] | None = None
    statuses = {code: status_label(code) for code in range(1, 11)}
    channels = {c: channel_label(c) for c in CHANNELS}
    methods: dict[str, str] = {}
    while True:
        q = Sql(store)
        where = f"received_at >= {q.v(lo)} AND received_at < {q.v(hi)}"
        where += office_filter(q, office_id)
        if after is not None:
            where += f" AND (received_at, id) > ({q.v(after[0])}, {q.v(after[1])})"
        with store.read():
            rows = list(store.db.execute_sql(
                "SELECT id, code, procedure_name, applicant_name, address, phone, office_id, "
                "channel, received_at, due_at, resolved_at, returned_at, return_method, status, "
                f"paused_at, note FROM dossier WHERE {where} ORDER BY received_at, id "
                f"LIMIT {REGISTER_CHUNK}", q.args))
        for row in rows:
            number += 1
            (_id, code, procedure, applicant, address, phone, office_key, channel, received,
             due, finished, returned, method, status, paused, note) = row
            received, due, finished, returned, paused = (
                _as_datetime(x) for x in (received, due, finished, returned, paused))
            cls = classify(status, due, finished, now, paused_at=paused) \
                if 1 <= status <= 10 else None
            if returned and method not in methods:
                methods[method] = return_method_label(method)
            yield (number, code, procedure, applicant, address, phone,
                   offices.get(office_key, ""), channels.get(channel, channel), received, due,
                   finished, returned, methods[method] if returned else "",
                   statuses.get(status) or status_label(status), cls.label if cls else "", "",
                   note)
        if len(rows) < REGISTER_CHUNK:
            return
        after = (rows[-1][8], rows[-1][0])


def _as_datetime(value: Any) -> dt.datetime | None:
    """Raw SQL hands SQLite's stored text back as text; PostgreSQL gives datetimes."""
    if value is None or isinstance(value, dt.datetime):
        return value
    return dt.datetime.fromisoformat(str(value))


@gated(Action.REGISTER_EXPORT)
def export_register(store: Store, path: str, start: dt.date, end: dt.date, *,
                    office: str | None = None, fmt: str | None = None) -> Exported:
    fmt = exports.format_of(path, fmt)
    lines = register(store, start, end, office=office)
    title = t("report.register.title", start=start.strftime("%d/%m/%Y"),
              end=end.strftime("%d/%m/%Y"))
    return exports.write_rows(path, register_sheet(), title, register_headers(), lines, fmt,
                              fixed_columns=REGISTER_FIXED_COLUMNS)
