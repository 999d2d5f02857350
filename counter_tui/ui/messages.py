"""Messages the app sends to whatever screen is showing."""

from textual.message import Message


class Refresh(Message):
    """Something changed behind the screen (a job printed, another terminal acted): reload."""


class StoreStatus(Message):
    """The change feed lost the store, or found it again (`live`)."""

    def __init__(self, live: bool) -> None:
        super().__init__()
        self.live = live
