"""Lets `python -m counter_tui` behave exactly like the `counter-tui` command."""

from counter_tui.launch import main

raise SystemExit(main())
