"""Refused changes: the one exception every management service raises, whatever the domain.

A service that manages settings (the inbox's calendars and rules, the radar's policies and
templates, users and teams) checks what a schema cannot and refuses a change by raising
:class:`AdminError` before anything is written.  The refusal carries its *kind* (what went
wrong), a message for people, and the fields it blames as ``{"field": JSON Pointer,
"message": …}`` items, so the API, the pages and the CLI all report it the same way.  Nothing
here knows about HTTP requests: :func:`tocsin.web.problems.refusal` turns a refusal into a
problem document.

The tree::

    ValueError
    └── AdminError            kind INVALID    422: a value the rules refuse
        ├── ConflictError     kind CONFLICT   409: the current state forbids it (name taken…)
        └── NotFoundError     kind NOT_FOUND  404: what the change names does not exist

Example::

    raise ConflictError("a team named 'Care' already exists", field="/name")
    raise AdminError.naming([{"field": "/time_zone", "message": "unknown time zone 'Mars'"}])
    # str(exc) == "/time_zone: unknown time zone 'Mars'"; exc.status == 422
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import IntEnum
from typing import ClassVar, Self

#: One blamed value: ``{"field": "/steps/1/channel_ids/0", "message": "channel 9 …"}``, where
#: ``field`` is a JSON Pointer into the request.
FieldError = dict[str, str]


class Refusal(IntEnum):
    """Why a change was refused; the value is the HTTP status the API answers with."""

    NOT_FOUND = 404
    CONFLICT = 409
    INVALID = 422


class AdminError(ValueError):
    """A change a management service refused: ``kind``, message, and the fields it blames.

    ``field="/role"`` blames one field with the message itself; ``errors`` lists several (the
    message then says what the change as a whole is refused for).
    """

    kind: ClassVar[Refusal] = Refusal.INVALID

    def __init__(self, message: str, *, field: str = "", errors: Sequence[FieldError] = ()) -> None:
        super().__init__(message)
        self.errors: list[FieldError] = [dict(e) for e in errors]
        if field and not self.errors:
            self.errors = [{"field": field, "message": message}]

    @classmethod
    def naming(cls, errors: Sequence[FieldError]) -> Self:
        """A refusal whose message names every blamed field: ``/name: 'Paris' is taken``."""
        return cls("; ".join(f"{e['field']}: {e['message']}" for e in errors), errors=errors)

    @property
    def status(self) -> int:
        """The HTTP status of the kind: 404, 409 or 422."""
        return int(self.kind)

    @property
    def field(self) -> str:
        """The first blamed field's pointer, or ``""`` when the refusal names none."""
        return self.errors[0]["field"] if self.errors else ""


class ConflictError(AdminError):
    """Refused because of the current state: a name taken, a policy in use, the last admin."""

    kind = Refusal.CONFLICT


class NotFoundError(AdminError):
    """Refused because what the change names does not exist: a scope, a language, a row."""

    kind = Refusal.NOT_FOUND
