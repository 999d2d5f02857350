"""counter-tui: the terminal app of a Vietnamese one-stop counter (Bộ phận Một cửa)."""

__version__ = "0.1.0"
