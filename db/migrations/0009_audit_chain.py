"""The audit log becomes a chain, and dossiers can be anonymised (issue 12, personal data).

- audit_log.seq, prev_hash, hash: each entry's number in the chain (1, 2, 3 …, unique), the
  hash of the entry before it and its own (core/audit_chain.py says why); entries written
  before this migration are chained here, in the order they were stored;
- audit_log.dossiers: the codes of the dossiers an entry is about (what a search returned),
  so "who looked at this citizen's dossier" is answered from the log alone, without the log
  keeping what was typed;
- audit_head: the chain's last number and hash, one row, updated in the transaction of every
  entry: appending locks it, so two terminals writing at once take turns (on SQLite the write
  lock does that already), and cutting entries off the end of the log shows;
- store_secret: the store's own random key for the keyed hashes of searched values;
- dossier.anonymised_at: when a dossier's personal fields were removed (privacy purge).

The hash is a frozen copy of core.audit_chain.entry_hash (a test checks they agree).
"""
import hashlib
import json
import secrets
from datetime import datetime

from peewee import CharField, DateTimeField, IntegerField, Model, TextField

GENESIS = "0" * 64


def entry_hash(prev_hash, seq, at, officer, counter, action, subject, dossiers):
    if isinstance(at, str):
        at = datetime.fromisoformat(at)
    moment = at.replace(microsecond=0).isoformat(sep=" ")
    body = json.dumps([seq, moment, officer, counter, action, subject, dossiers],
                      ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(f"{prev_hash}\n{body}".encode()).hexdigest()


def up(migrator, db):
    migrator.migrate(
        migrator.add_column("audit_log", "seq", IntegerField(default=0)),
        migrator.add_column("audit_log", "prev_hash", CharField(max_length=64, default="")),
        migrator.add_column("audit_log", "hash", CharField(max_length=64, default="")),
        migrator.add_column("audit_log", "dossiers", TextField(default="")),
        migrator.add_column("dossier", "anonymised_at", DateTimeField(null=True)),
    )

    class AuditHead(Model):
        id = IntegerField(primary_key=True)
        seq = IntegerField(default=0)
        hash = CharField(max_length=64)

        class Meta:
            database = db
            table_name = "audit_head"

    class StoreSecret(Model):
        name = CharField(max_length=40, primary_key=True)
        value = CharField(max_length=128)

        class Meta:
            database = db
            table_name = "store_secret"

    db.create_tables([AuditHead, StoreSecret])
    prev, seq = GENESIS, 0
    rows = db.execute_sql("SELECT id, at, officer, counter, action, subject FROM audit_log "
                          "ORDER BY id").fetchall()
    for row_id, at, officer, counter, action, subject in rows:
        seq += 1
        own = entry_hash(prev, seq, at, officer, counter, action, subject, "")
        db.execute_sql("UPDATE audit_log SET seq = %s, prev_hash = %s, hash = %s WHERE id = %s"
                       .replace("%s", db.param), (seq, prev, own, row_id))
        prev = own
    AuditHead.insert(id=1, seq=seq, hash=prev).execute()
    StoreSecret.insert(name="audit", value=secrets.token_hex(32)).execute()
    migrator.migrate(migrator.add_index("audit_log", ("seq",), True))
