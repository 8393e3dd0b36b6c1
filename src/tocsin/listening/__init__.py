"""listening."""
