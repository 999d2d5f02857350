"""Pure domain rules: standard library only, so every rule is testable without a terminal,
a database or a printer."""
