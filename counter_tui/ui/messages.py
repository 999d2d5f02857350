"""Messages the app sends to whatever screen is showing."""

from textual.message import Message


class Refresh(Message):
    """Something changed behind the screen (a job printed, another terminal acted): reload."""
