"""Automation rules: event → conditions (AND/OR tree) → ordered actions from a registry."""
