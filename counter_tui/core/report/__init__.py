"""The supervisor's figures as plain values, and the arithmetic on them (no store, no I/O).

Definitions (the same in the day board, the periodic report, the exports and the tests):

* **Received in a period** [start, end): `received_at` in the period, whatever the status now,
  refused (3) and withdrawn (7) included. Split by channel: online; walk-in; post.
* **Finished**: statuses 3 refused, 7 withdrawn, 8 stopped, 9 result ready and 10 returned.
  The moment is `resolved_at`: when the result was ready (9, kept by the hand-over 10), or
  when the dossier was refused, withdrawn or stopped (services.lifecycle sets it on each of
  these moves; migration 0004 filled it in for older rows). A finished dossier whose moment is
  unknown counts as finished when it was received.
* **Resolved in the period** ("đã giải quyết"): finished, with `resolved_at` before the end of
  the period, among the dossiers the period handles (below). Early / on time / late is
  `ontime.classify()`; refused and withdrawn are on time, stopped is on time or late.
* **Carried over** ("kỳ trước chuyển qua"): received before the start and not finished before
  it.
* **In progress at the end** ("đang giải quyết"): handled and not finished before the end;
  in time / overdue judged at `as_of` = the end of the period, or now if the period has not
  ended. A dossier waiting for supplements (5) since before `as_of` keeps the class its pause
  gives it (classify's rule); one paused later was running at `as_of`.
* So for every row: received total = carried + new = resolved + in progress.
* **Compared with the same period last year** ("so với cùng kỳ"): the same days a year
  earlier, counted by the same rules; four figures (received total, received online, resolved,
  resolved in time = early + on time), each as last year's count and the change: "tăng 40%",
  "giảm 12%", "bằng cùng kỳ", or "mới" when last year had none (no percentage of nothing).

The day board (one office, one day, judged now or at the day's end):

* received: `received_at` that day, by channel and by level; finished: `resolved_at` that day
  (any of 3, 7, 8, 9); returned: `returned_at` that day;
* due: appointments that day still to hand over (statuses 1, 2, 4, 5, 6 and 9);
* overdue: open dossiers classify() calls overdue (1, 2, 4, 6 past their due time; 5 paused
  after its due time); waiting for supplements: status 5;
* per officer: dossiers received (the receiving officer) and results returned (the officer
  of the hand-over step that day, who is not always the one who received the dossier);
* tickets of the day per group (issued = every ticket handed out: neither void nor still
  waiting for its slip, queue_rules.HANDED_OUT), counter and officer; wait = called -
  issued; service = finished - serving (or - called when serving was never pressed), for
  tickets done; online share of the day and of the month so far against [targets].

`class_at()` (in `counting`) is that rule for one dossier, written with `ontime.classify()`;
the SQL in services.reports.periodic copies it, and the tests check the two agree dossier by
dossier.

Where each part lives: `model` (the figures as values: a period's rows, the day board),
`counting` (which dossiers a period counts, and their class at its end), `arithmetic` (ratios,
percentiles, durations, days, figures as people read them), `comparison` (the change from last
year, in words), `tables` (what the exports write and the CLI prints), `slip`
(the day summary on the thermal printer) and `plain` (tables as text, reports as JSON). The
package names them all too, and importing it loads every part, so that every report message is
registered before a screen shows one, as when the report was one module.
"""

from __future__ import annotations

from counter_tui.core.report.arithmetic import (
    Durations,
    change,
    count_text,
    day_bounds,
    day_label,
    decimal_text,
    minutes,
    parse_day,
    percent,
    percentile,
    ratio,
    same_day_last_year,
)
from counter_tui.core.report.comparison import COMPARED, Change, changes
from counter_tui.core.report.counting import PROCESSING, class_at, finished_before, handled
from counter_tui.core.report.model import (
    CHANNELS,
    DIMENSIONS,
    CounterDay,
    DayBoard,
    GroupDay,
    OfficeRank,
    OfficerDay,
    PeriodReport,
    PeriodRow,
    Tally,
    channel_label,
    level_label,
    rank_offices,
    total,
)
from counter_tui.core.report.plain import (
    change_dict,
    day_json,
    period_json,
    render_text,
    tally_dict,
)
from counter_tui.core.report.slip import day_summary_slip
from counter_tui.core.report.tables import (
    PREVIOUS_COLUMNS,
    REGISTER_COLUMNS,
    REGISTER_FIXED_COLUMNS,
    TALLY_COLUMNS,
    Cell,
    Table,
    day_tables,
    period_tables,
    register_headers,
    register_sheet,
    return_method_label,
    stamp,
)

__all__ = ["CHANNELS", "COMPARED", "DIMENSIONS", "PREVIOUS_COLUMNS", "PROCESSING",
           "REGISTER_COLUMNS", "REGISTER_FIXED_COLUMNS", "TALLY_COLUMNS", "Cell", "Change",
           "CounterDay", "DayBoard", "Durations", "GroupDay", "OfficeRank", "OfficerDay",
           "PeriodReport", "PeriodRow", "Table", "Tally", "change", "change_dict", "changes",
           "channel_label", "class_at", "count_text", "day_bounds", "day_json", "day_label",
           "day_summary_slip", "day_tables", "decimal_text", "finished_before", "handled",
           "level_label", "minutes", "parse_day", "percent", "percentile", "period_json",
           "period_tables", "rank_offices", "ratio", "register_headers", "register_sheet",
           "render_text", "return_method_label", "same_day_last_year", "stamp", "tally_dict",
           "total"]
