"""The storylines of the demo week, each in its own module, sharing a :class:`World`."""
