"""The control sheet (Mẫu 05): a dossier's hand-overs, from the citizen to the desk, between
units and back, rebuilt from its events and printed on request.
"""

from __future__ import annotations

from counter_tui.core.i18n import t
from counter_tui.core.lifecycle import StatusChange
from counter_tui.core.notices import HandoverStep, control_slip
from counter_tui.core.ontime import OnTime
from counter_tui.core.roles import Action
from counter_tui.db.models import Dossier, DossierEvent
from counter_tui.services.authority import gated
from counter_tui.services.lifecycle.closing import POST
from counter_tui.services.lifecycle.reading import decode_data, find_dossier
from counter_tui.services.lifecycle.recording import notice_head, officer_name, write_step
from counter_tui.services.store import Store


def handover_steps(d: Dossier) -> tuple[HandoverStep, ...]:
    """The Mẫu 05 rows of a dossier, rebuilt from its events."""
    steps: list[HandoverStep] = []
    desk = t("lifecycle.one_stop")
    for e in (DossierEvent.select().where(DossierEvent.dossier == d.id)
              .order_by(DossierEvent.at, DossierEvent.id)):
        data = decode_data(e.data)
        if e.action == "receive":
            steps.append(HandoverStep(t("lifecycle.citizen"), desk, e.at, d.applicant_name,
                                      officer_name(e.officer)))
        elif e.action == "handover" or (e.action == "result_ready" and "from" in data):
            outcome = OnTime(data["ontime"]).label if "ontime" in data else ""
            steps.append(HandoverStep(data.get("from", ""), data.get("to", ""), e.at,
                                      data.get("given_by", ""), data.get("received_by", ""),
                                      outcome))
        elif e.action == "return_result":
            target = (f"{t('lifecycle.post')} {data.get('waybill', '')}"
                      if data.get("method") == POST else data.get("collected_by", ""))
            outcome = OnTime(data["ontime"]).label if "ontime" in data else ""
            steps.append(HandoverStep(desk, target, e.at, officer_name(e.officer),
                                      data.get("collected_by", ""), outcome))
    return tuple(steps)


@gated(Action.DOSSIER_STEP)
def print_control_sheet(store: Store, code: str) -> StatusChange:
    """Queue Mẫu 05 (the control sheet) for the dossier; the print is logged."""
    with store.write():
        d, now = find_dossier(code), store.now()
        slip = control_slip(notice_head(store, d, now), handover_steps(d))
        return write_step(store, d, now, action="reprint_notice", to=None, note="",
                          data={"slip": "control"}, slip=slip)
