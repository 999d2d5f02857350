"""The dossier lifecycle (issue 4): where a dossier is, what was promised, who took the result.

- holder: the unit holding the dossier now (empty: the one-stop desk), from the Mẫu 05 steps;
- supplement_deadline: the date the citizen was asked to bring the missing documents by (Mẫu 02);
- apology_due_at: the new appointment of an apology (Mẫu 04); due_at stays the legal due date
  (the receipt's, moved only by pauses for supplements), so a late dossier stays late;
- collected_by, collected_id: who took the result at the counter and the ID checked;
- return_waybill, delivered_at: the waybill of a result sent by post and when it was delivered
  (waybill stays the one the dossier came in with);
- an index on returned_at for the "returned today" list.
"""
from peewee import CharField, DateTimeField


def up(migrator, db):
    migrator.migrate(
        migrator.add_column("dossier", "holder", CharField(max_length=200, default="")),
        migrator.add_column("dossier", "supplement_deadline", DateTimeField(null=True)),
        migrator.add_column("dossier", "apology_due_at", DateTimeField(null=True)),
        migrator.add_column("dossier", "collected_by", CharField(max_length=100, default="")),
        migrator.add_column("dossier", "collected_id", CharField(max_length=12, default="")),
        migrator.add_column("dossier", "return_waybill", CharField(max_length=20, default="")),
        migrator.add_column("dossier", "delivered_at", DateTimeField(null=True)),
        migrator.add_index("dossier", ("returned_at",), False),
    )
