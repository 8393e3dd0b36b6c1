"""Event types: frozen dataclasses with a stable ``name``.

Add one by subclassing :class:`Event`; it registers itself by name so the dispatcher can
rebuild it from the outbox row.

Example::

    @dataclass(frozen=True)
    class PostIngested(Event):
        name: ClassVar[str] = "post.ingested"
        post_id: int
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any, ClassVar

EVENT_TYPES: dict[str, type[Event]] = {}


@dataclass(frozen=True)
class Event:
    name: ClassVar[str] = "event"

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if cls.name in EVENT_TYPES and EVENT_TYPES[cls.name] is not cls:
            raise TypeError(f"event name {cls.name!r} is already used")
        EVENT_TYPES[cls.name] = cls

    def to_payload(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_payload(cls, payload: dict[str, Any]) -> Event:
        fields = {f.name for f in dataclasses.fields(cls)}
        return cls(**{k: v for k, v in payload.items() if k in fields})


@dataclass(frozen=True)
class PostIngested(Event):
    """A new post was stored."""

    name: ClassVar[str] = "post.ingested"
    post_id: int
    platform: str
    direction: str = "inbound"


@dataclass(frozen=True)
class PostEdited(Event):
    """A stored post's text changed (the old text is kept as a version)."""

    name: ClassVar[str] = "post.edited"
    post_id: int
    version: int


@dataclass(frozen=True)
class PostDeleted(Event):
    """A post is now a tombstone: its author deleted it, or (``by_author`` false) the platform
    erased the whole account (deleted, taken down), which says nothing of the post itself."""

    name: ClassVar[str] = "post.deleted"
    post_id: int
    by_author: bool = True
