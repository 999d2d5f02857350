"""The role matrix over every service action, on both engines: each role signed in does what
its roles allow, is refused the rest with the message that says so, and each refusal is in
the audit log. Nobody signed in is refused everything that touches personal data or changes
state. An office may widen the matrix in its configuration ([roles])."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from counter_tui.core.errors import UserError
from counter_tui.core.roles import MATRIX, Action, Role
from counter_tui.db.models import AuditLog
from counter_tui.services import (
    accounts,
    catalogue,
    documents,
    dossiers,
    history,
    intake,
    lifecycle,
    lookup,
    printjobs,
    queue,
    reports,
    scanner,
    worklists,
)
from counter_tui.services.authority import NotAllowed
from tests.conftest import sign_in_as
from tests.services.test_history import write
from tests.services.test_intake import draft
from tests.tickets import hand_out

# Checked where the work is done outside a service that takes the store (db and printer
# commands: tests/test_cli_roles.py), or by features that are not part of accounts.
ELSEWHERE = {Action.DOSSIER_SHOW_ID, Action.PRINTER_MANAGE, Action.STORE_MANAGE,
             Action.CONFIG_CHANGE, Action.AUDIT_VIEW, Action.PRIVACY_PURGE}
DAY = dt.date(2026, 5, 12)


def calls(tmp_path: Path, code: str, ticket: int, job: int
          ) -> dict[Action, list[Callable[[Any], Any]]]:
    """Every gated service function, by the action it needs, called as a person would."""
    csv = write(tmp_path / "history.csv")
    procedures = tmp_path / "procedures.csv"
    procedures.write_text(catalogue.SHIPPED.read_text(encoding="utf-8"), encoding="utf-8")
    picture = tmp_path / "page.png"
    if not picture.exists():
        from PIL import Image

        Image.new("L", (100, 140), 255).save(picture)
    return {
        Action.QUEUE_VIEW: [queue.overview],
        Action.QUEUE_ISSUE: [lambda s: queue.issue(s, "A")],
        Action.QUEUE_SERVE: [queue.call_next, queue.recall, queue.start_serving, queue.finish,
                             queue.mark_absent, lambda s: queue.requeue(s, ticket),
                             lambda s: queue.transfer(s, to_group="B")],
        Action.QUEUE_VOID: [lambda s: queue.void(s, ticket)],
        Action.DOSSIER_RECEIVE: [lambda s: intake.receive(s, draft())],
        Action.DOSSIER_FIND: [lambda s: lookup.find(s, "nguyen")],
        Action.DOSSIER_VIEW: [lambda s: dossiers.show(s, code),
                              lambda s: lifecycle.history(s, code),
                              lambda s: lifecycle.state(s, code),
                              lambda s: worklists.worklist(s, "overdue"), worklists.counts],
        Action.DOSSIER_STEP: [lambda s: intake.reprint(s, code),
                              lambda s: lifecycle.handover(s, code, to_unit="Tư pháp",
                                                                received_by="Trần Bình"),
                              lambda s: lifecycle.print_control_sheet(s, code)],
        Action.DOSSIER_OVERRIDE: [lambda s: lifecycle.refuse(s, code, reason="Thiếu giấy"),
                                  lambda s: lifecycle.stop(s, code, reason="Dừng")],
        Action.DOSSIER_IMPORT: [lambda s: history.import_csv(s, csv)],
        Action.REPORT_VIEW: [reports.day_board, lambda s: reports.period(s, DAY, DAY),
                             reports.print_day_summary],
        Action.REPORT_EXPORT: [lambda s: reports.export_day(s, str(tmp_path / "d.csv")),
                               lambda s: reports.export_period(s, str(tmp_path / "p.csv"),
                                                               DAY, DAY)],
        Action.REGISTER_EXPORT: [lambda s: reports.register(s, DAY, DAY),
                                 lambda s: reports.export_register(s, str(tmp_path / "r.csv"),
                                                                   DAY, DAY)],
        Action.PRINTER_USE: [lambda s: printjobs.retry(s, job)],
        Action.CATALOGUE_MANAGE: [lambda s: catalogue.import_csv(s, procedures)],
        Action.ACCOUNT_MANAGE: [accounts.accounts, lambda s: accounts.account(s, "canbo1")],
        Action.DOSSIER_DIGITISE: [lambda s: documents.checklist(s, code),
                                  lambda s: documents.attach(s, code, [picture], "Tờ khai"),
                                  lambda s: documents.open_file(s, 1)],
        Action.FILES_VERIFY: [documents.verify],
        Action.SCANNER_MANAGE: [scanner.devices],
    }


@pytest.fixture
def office(store: Any) -> tuple[Any, str, int, int]:
    """A dossier, a ticket and a print job, made by the staff account, to act on."""
    received = intake.receive(store, draft())
    ticket = hand_out(store, "A")
    return store, received.dossier.code, int(ticket.id), int(received.print_job or 0)


def refusals(store: Any) -> list[str]:
    with store.read():
        return [a.action for a in AuditLog.select().where(AuditLog.action.startswith("refused:"))
                .order_by(AuditLog.id)]


def test_every_action_is_gated_somewhere(tmp_path: Path) -> None:
    assert set(calls(tmp_path, "", 0, 0)) | ELSEWHERE == set(Action)


@pytest.mark.parametrize("role", [Role.OFFICER, Role.SUPERVISOR, Role.TECHNICIAN,
                                  Role.ADMINISTRATOR, Role.KIOSK])
def test_each_role_does_exactly_its_work(office: tuple[Any, str, int, int], tmp_path: Path,
                                         role: Role) -> None:
    store, code, ticket, job = office
    sign_in_as(store, f"as_{role.value}", roles=(role.value,))
    for action, made in calls(tmp_path, code, ticket, job).items():
        allowed = role in MATRIX[action]
        for call in made:
            before = len(refusals(store))
            try:
                call(store)
            except NotAllowed as exc:
                assert not allowed, f"{role} refused {action}: {exc}"
                assert exc.key == "auth.not_allowed"
                assert f"as_{role.value}" in str(exc) and action.value in str(exc)
                assert refusals(store)[before:] == [f"refused:{action.value}"]
                continue
            except UserError:
                pass  # allowed, and then refused for what it asked (a step not possible now)
            assert allowed, f"{role} was allowed {action}"
            assert len(refusals(store)) == before


@pytest.mark.parametrize("engine", ["sqlite"], indirect=True)
def test_nobody_signed_in_is_refused_and_told_to_sign_in(office: tuple[Any, str, int, int],
                                                         tmp_path: Path) -> None:
    store, code, ticket, job = office
    store.sign_in(None)
    for action, made in calls(tmp_path, code, ticket, job).items():
        with pytest.raises(NotAllowed) as refused:
            made[0](store)
        assert refused.value.key == "auth.sign_in_first", action


@pytest.mark.parametrize("engine", ["sqlite"], indirect=True)
def test_an_office_lets_officers_refuse_and_stop(open_test_store: Callable[..., Any]) -> None:
    store = open_test_store(roles={"officer": ["dossier.override"]})
    code = intake.receive(store, draft()).dossier.code
    sign_in_as(store, "binh", roles=("officer",))
    assert lifecycle.refuse(store, code, reason="Thiếu giấy tờ").to_status == 3
    plain = open_test_store()
    code = intake.receive(plain, draft()).dossier.code
    sign_in_as(plain, "binh", roles=("officer",))
    with pytest.raises(NotAllowed):
        lifecycle.refuse(plain, code, reason="Thiếu giấy tờ")
