"""Brand: what the team watches, and the competitors it is compared with."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tocsin.db import Base
from tocsin.types import JSONType, UTCDateTime, utcnow


class Brand(Base):
    """A brand, ours or a competitor's.

    ``competitor_of_id`` is set on a competitor and points at the brand it competes with; the
    brand's listening ``query`` (see :mod:`tocsin.listening.query`) decides which posts mention it.
    """

    __tablename__ = "brands"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    #: Other names and spellings ("Acme", "ACME Corp").
    aliases: Mapped[list[str]] = mapped_column(JSONType, default=list)
    #: Official accounts as ``{"platform": "x", "handle": "acme"}``.
    handles: Mapped[list[dict[str, str]]] = mapped_column(JSONType, default=list)
    keywords: Mapped[list[str]] = mapped_column(JSONType, default=list)
    #: A listening query; empty means "names, aliases, handles and keywords".
    query: Mapped[str] = mapped_column(String(4000), default="")
    languages: Mapped[list[str]] = mapped_column(JSONType, default=list)
    time_zone: Mapped[str] = mapped_column(String(64), default="UTC")
    competitor_of_id: Mapped[int | None] = mapped_column(
        ForeignKey("brands.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    competitors: Mapped[list[Brand]] = relationship(
        back_populates="competitor_of", cascade="all, delete-orphan"
    )
    competitor_of: Mapped[Brand | None] = relationship(
        back_populates="competitors", remote_side=[id]
    )

    @property
    def is_competitor(self) -> bool:
        return self.competitor_of_id is not None

    def owns_handle(self, platform: str, handle: str) -> bool:
        """Whether ``handle`` on ``platform`` is one of this brand's official accounts."""
        wanted = handle.lstrip("@").casefold()
        return any(
            h.get("platform") == platform and h.get("handle", "").lstrip("@").casefold() == wanted
            for h in self.handles
        )
