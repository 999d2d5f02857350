"""The Textual interface: screens ask services and show the dataclasses they return."""
