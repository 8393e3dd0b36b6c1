"""Events of the ingestion stage beyond the per-post ones in :mod:`tocsin.events.types`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from tocsin.events.types import Event


@dataclass(frozen=True)
class AuthorAccountChanged(Event):
    """The platform says an author's account changed status (deleted, deactivated, back…).

    ``status`` is ``active`` or the inactive status as the platform names it; ``erased`` is
    true when the change tombstoned the author's posts (each also got its ``post.deleted``);
    ``posts`` counts the stored posts the change affected (tombstoned, hidden or shown again).
    It names the author by id and platform id only: never a post's text.
    """

    name: ClassVar[str] = "author.account_changed"
    author_id: int
    platform: str
    external_id: str
    status: str
    previous: str
    erased: bool
    posts: int
