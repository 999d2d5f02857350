"""Offices that sync to the district's central store (issue 15; README, "Offices that sync to
the district").

Each office works on its own store, always; everything it records reaches the centre, a
PostgreSQL counter-tui store, as soon as the link allows, once. The pieces:

- capture: migration 0013's triggers note every change of a synced table in the outbox, in the
  transaction of the change (`outbox` turns capture on and reads what waits);
- up: `push` reads the changed rows as they are now and has `apply` write them on the centre,
  a batch per transaction, idempotent by each change's sequence number; the office then
  deletes what the centre acknowledged;
- down: `pull` brings the centre's procedure catalogue and accounts, where they changed;
- `verify`: counts and checksums per office, table and day on both sides, naming any difference;
- `runner`: one pass (`sync now`), or passes for ever with back-off (`sync run`), and the state
  the screens show (`status`).
"""
