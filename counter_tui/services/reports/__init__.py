"""The supervisor's figures from the store: the day board (`daily`), the periodic report, Biểu
II.06a (`periodic`), the dossier register, Mẫu 06 (`dossier_register`), each with its export,
and the day summary slip; `sql` is what their reading shares. What each figure means is written
once, in core.report.

The reports are named here too, so callers write `reports.period(...)`.
"""

from __future__ import annotations

from counter_tui.services.reports.daily import (
    ALL_OFFICES,
    OfficeChoice,
    PrintedSummary,
    day_board,
    export_day,
    offices,
    print_day_summary,
)
from counter_tui.services.reports.digitised import digitised
from counter_tui.services.reports.dossier_register import export_register, register
from counter_tui.services.reports.periodic import export_period, period

__all__ = ["ALL_OFFICES", "OfficeChoice", "PrintedSummary", "day_board", "digitised",
           "export_day", "export_period", "export_register", "offices", "period",
           "print_day_summary", "register"]
