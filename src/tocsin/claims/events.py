"""Events of the fact sheet: a post matched a claim; a correction was approved or rejected."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from tocsin.events.types import Event


@dataclass(frozen=True)
class ClaimMatched(Event):
    """A post repeats a known claim (``match_id`` explains why)."""

    name: ClassVar[str] = "claim.matched"
    match_id: int
    claim_id: int
    post_id: int


@dataclass(frozen=True)
class CorrectionDecided(Event):
    """A manager approved or rejected a suggested correction."""

    name: ClassVar[str] = "claim.correction_decided"
    correction_id: int
    approved: bool
    reply_id: int | None = None
