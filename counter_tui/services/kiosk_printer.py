"""What a ticket kiosk knows of its printer, shared with every counter through the store.

A counter's officer sees their own printer fail; a kiosk's printer fails with nobody beside
it, and the citizens it turns away walk to the counters. So the kiosk writes down when its
printer goes down and comes back (`report`, a row per printer: migration 0014), in a write
whose commit the change feed announces, and every counter reads the printers down with its
queue (`down`): the counters see it at once, and a counter started later sees it too.
"""

from __future__ import annotations

from counter_tui.core.queue_views import KioskPrinterView
from counter_tui.core.roles import Action
from counter_tui.db.models import KioskPrinter
from counter_tui.services import statements
from counter_tui.services.authority import require
from counter_tui.services.printjobs import printer_of
from counter_tui.services.store import Store

REASON_CHARS = 300


def report(store: Store, reason: str | None) -> bool:
    """The kiosk's printer is down for `reason`, or prints (None). Written only when that is
    news, so a kiosk repeating itself wakes no counter; True if it was."""
    require(store, Action.QUEUE_ISSUE)
    printer, now, down = printer_of(store.cfg.printer), store.now(), (reason or "")[:REASON_CHARS]
    with store.write():
        row = KioskPrinter.get_or_none(KioskPrinter.printer == printer)
        if row is None and not down:
            return False
        if row is not None and row.down == down:
            return False
        since = None if not down else (row.since if row is not None and row.down else now)
        values = {KioskPrinter.down: down, KioskPrinter.since: since,
                  KioskPrinter.updated_at: now}
        KioskPrinter.insert({KioskPrinter.printer: printer, **values}).on_conflict(
            conflict_target=[KioskPrinter.printer], update=values).execute()
    return True


def down(store: Store) -> tuple[KioskPrinterView, ...]:
    """Every kiosk printer that cannot print now, the longest down first (the counter reads
    it with its queue, in the same read)."""
    with store.read():
        rows = statements.rows(store.db, ("kiosk_printer.down",), lambda: KioskPrinter.select(
            KioskPrinter.printer, KioskPrinter.down, KioskPrinter.since).where(
            KioskPrinter.down != "").order_by(KioskPrinter.since, KioskPrinter.printer))
        return tuple(KioskPrinterView(*row) for row in rows)
