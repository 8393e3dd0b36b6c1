"""Service-level agreements: business-hours calendars, policies and applied SLA rows."""
