"""A password that someone else chose must be replaced before the account does anything else.

When Tocsin generates a one-time password, or an admin sets or resets another person's
password, the user gets ``password_change_required``. Until they choose their own on
:data:`CHANGE_PASSWORD_PATH`:

* every page they open in the browser redirects there (then back to where they were heading);
* their browser's API calls answer 403 ``password-change-required``, except ``GET /api/v1/me``;
* nobody can create an API token in their name, except an operator from the shell.

API tokens they already hold keep working, so an importer set up for them does not stop.

Example::

    change_password_url("/inbox?tab=mine")   # -> "/settings/password?next=/inbox%3Ftab%3Dmine"
    raise PasswordChangeRequired()           # from a route: the web layer answers as above
"""

from __future__ import annotations

from urllib.parse import quote

CHANGE_PASSWORD_PATH = "/settings/password"  # noqa: S105 - a page, not a secret
PROBLEM_SLUG = "password-change-required"
PROBLEM_TITLE = "Password change required"


class PasswordChangeRequired(Exception):  # noqa: N818 - reads as a state
    """The caller still uses a password someone else chose; ``str(exc)`` says how to fix it."""

    def __init__(self, doing: str = "") -> None:
        before = f" before {doing}" if doing else ""
        super().__init__(
            f"your password was set by someone else: choose your own{before} on "
            f"{CHANGE_PASSWORD_PATH} in the web app (the current password, then the new one "
            "twice), then try again"
        )


def change_password_url(next_url: str | None = None) -> str:
    """The change page, coming back to the local path ``next_url`` afterwards."""
    if not next_url:
        return CHANGE_PASSWORD_PATH
    return f"{CHANGE_PASSWORD_PATH}?next={quote(next_url, safe='/')}"
