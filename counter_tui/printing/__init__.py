"""From printer-neutral slips to ESC/POS bytes on a real (or simulated) printer."""
