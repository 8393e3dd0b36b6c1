"""Events: typed facts written to an outbox with the change that caused them."""
