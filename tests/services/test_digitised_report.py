"""The digitisation ratio on a fixture with known figures: five dossiers received on paper in
two fields, one online (not counted), one refused (not counted); three fully digitised, one
with a component missing, one with nothing; three results issued, two digitised.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from counter_tui.core.intake import DocumentLine
from counter_tui.core.report.digitised import digitised_table
from counter_tui.db.models import Dossier
from counter_tui.services import documents, intake, reports, worklists
from tests.services.test_intake import draft

A, B = "Tờ khai", "Giấy tờ kèm"


def receive(store: Any, field: str, channel: str = "walk_in") -> str:
    extra = {"portal_code": "G22.99-261201-0001", "level": "toàn trình"} \
        if channel == "online" else {}
    code = str(intake.receive(store, draft(channel=channel, documents=[
        DocumentLine(A, 1, 0), DocumentLine(B, 0, 1)], **extra)).dossier.code)
    with store.write():
        Dossier.update(field=field).where(Dossier.code == code).execute()
    return code


@pytest.fixture
def figures(store: Any, tmp_path: Path) -> Any:
    page = tmp_path / "p.png"
    Image.new("L", (100, 140), 255).save(page)
    full = [receive(store, "Hộ tịch") for _ in range(2)] + [receive(store, "Chứng thực")]
    partial = receive(store, "Hộ tịch")
    bare = receive(store, "Chứng thực")  # nothing digitised
    online, refused = receive(store, "Hộ tịch", "online"), receive(store, "Hộ tịch")
    for code in (*full, online, refused):
        for name in (A, B):
            documents.attach(store, code, [page], name)
    documents.attach(store, partial, [page], A)
    now = store.now()
    with store.write():
        Dossier.update(status=3).where(Dossier.code == refused).execute()
        Dossier.update(status=9, resolved_at=now).where(
            Dossier.code.in_([full[0], full[2], partial])).execute()
    documents.attach(store, full[0], [page], "", stage="result")
    documents.attach(store, partial, [page], "Quyết định", stage="result")
    store.undigitised = {partial, bare}  # what the worklist must hold
    return reports.digitised(store, now.date(), by="field", own_office=True)


def test_the_ratio_counts_paper_dossiers_with_every_component_digitised(figures: Any) -> None:
    rows = {r.key: r for r in figures.rows}
    assert (rows["Hộ tịch"].received, rows["Hộ tịch"].digitised) == (3, 2)
    assert (rows["Chứng thực"].received, rows["Chứng thực"].digitised) == (2, 1)
    total = figures.total
    assert (total.received, total.digitised, total.ratio) == (5, 3, 0.6)
    assert (total.results, total.results_digitised) == (3, 2)
    assert total.results_ratio == pytest.approx(2 / 3)
    table = digitised_table(figures)
    assert table.rows[-1][1:4] == (5, 3, 60.0)


def test_the_period_report_by_office_counts_the_same(store: Any, figures: Any) -> None:
    day = figures.start
    by_office = reports.digitised(store, day, day + dt.timedelta(days=1), by="office")
    assert [(r.received, r.digitised, r.results, r.results_digitised)
            for r in by_office.rows] == [(5, 3, 3, 2)]


def test_the_worklist_lists_todays_paper_dossiers_not_yet_digitised(store: Any,
                                                                   figures: Any) -> None:
    listed = worklists.worklist(store, "undigitised")
    assert {i.code for i in listed.items} == store.undigitised
    assert worklists.counts(store)["undigitised"] == 2
