"""Use cases over the store: functions that take the store and return core dataclasses.

The TUI, the CLI and the tests all go through these, so a rule enforced here holds everywhere.
"""
