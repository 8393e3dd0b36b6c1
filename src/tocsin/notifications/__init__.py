"""Notifications: alerts and pages delivered in-app, by e-mail, to Slack, Teams or a webhook."""
