"""Announcing calls aloud, offline: the speech engine and player (speaker) and the queue that
speaks one announcement at a time (announcer). A sibling of printing: it depends on core only,
and the display feeds it."""
