"""`counter-tui init`: the first setup of a terminal's store, the one time a store is created.

Everywhere else a missing data folder stops the program (an unmounted drive must not become a
new, empty store whose numbering starts again); here, asked for on purpose, the folder and the
store are made. Run on an existing store it creates nothing and says what is there.
"""

from __future__ import annotations

import argparse
from typing import Any

from counter_tui.commands import Context, emit
from counter_tui.core.i18n import messages, t

messages({
    "cli.init.created": ("Đã tạo cơ sở dữ liệu mới: {url}", "Created a new store: {url}"),
    "cli.init.existing": (
        "Cơ sở dữ liệu đã có, không tạo mới: {url} ({dossiers} hồ sơ, {tickets} số thứ tự)",
        "The store already exists, nothing created: {url} ({dossiers} dossiers, "
        "{tickets} tickets)",
    ),
})


def register(sub: Any) -> None:
    init = sub.add_parser("init", help="first setup: create the data folder and the store")
    init.add_argument("--json", action="store_true")
    init.set_defaults(handler=initialise)


def initialise(args: argparse.Namespace, ctx: Context) -> int:
    from counter_tui.db.models import Dossier, Ticket
    from counter_tui.services.store import create_store, shown_url

    store, new = create_store(ctx.cfg)
    ctx.adopt(store)
    with store.read():
        dossiers, tickets = Dossier.select().count(), Ticket.select().count()
    url = shown_url(ctx.cfg.database.url)
    text = (t("cli.init.created", url=url) if new
            else t("cli.init.existing", url=url, dossiers=dossiers, tickets=tickets))
    emit({"url": url, "created": new, "dossiers": dossiers, "tickets": tickets}, args.json, text)
    return 0
