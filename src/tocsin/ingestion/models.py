"""Authors, posts, their versions, and the raw payload archive."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tocsin.db import Base
from tocsin.types import JSONType, UTCDateTime, utcnow


class Author(Base):
    """Someone who posts, identified by ``(platform, handle)``.

    ``external_id`` is the platform's stable id when it has one (a Bluesky DID): handles
    change, so an author is also looked up by it (see :mod:`tocsin.ingestion.authors`).
    ``account_status`` says the platform reported the account inactive (see
    :mod:`tocsin.ingestion.account_status`).
    """

    __tablename__ = "authors"
    __table_args__ = (
        UniqueConstraint("platform", "handle"),
        Index("ix_authors_platform_external_id", "platform", "external_id"),
        Index("ix_authors_account_status", "account_status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    platform: Mapped[str] = mapped_column(String(32))
    handle: Mapped[str] = mapped_column(String(200))
    external_id: Mapped[str | None] = mapped_column(String(200))
    display_name: Mapped[str] = mapped_column(String(300), default="")
    followers: Mapped[int] = mapped_column(Integer, default=0)
    verified: Mapped[bool] = mapped_column(Boolean, default=False)
    #: An automated account (bot, brand auto-responder): never auto-acknowledged.
    is_automated: Mapped[bool] = mapped_column(Boolean, default=False)
    #: Set when this is one of a brand's official accounts.
    brand_id: Mapped[int | None] = mapped_column(ForeignKey("brands.id", ondelete="SET NULL"))
    first_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: ``created_at`` of the newest post whose copy of the profile (followers, verified, name)
    #: was applied: an older post delivered later never rolls the profile back.
    profile_as_of: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: ``None`` while the account is active (or nothing was heard); else why it is not, as the
    #: platform says it: ``deleted`` and ``takendown`` erased its posts, ``deactivated``,
    #: ``suspended`` and any other status hide them until the account is active again.
    account_status: Mapped[str | None] = mapped_column(String(16))
    #: The stream position (Jetstream ``time_us``) of the status change applied last: an older
    #: change delivered later (a replay) never undoes a newer one.
    account_status_us: Mapped[int | None] = mapped_column(BigInteger)


class Post(Base):
    """A post, comment, review or article, unique by ``(platform, external_id)``.

    ``direction`` is ``inbound`` for what people say and ``outbound`` for what a brand's own
    account published (a reply from the care team, an imported historical brand reply).
    """

    __tablename__ = "posts"
    __table_args__ = (
        UniqueConstraint("platform", "external_id"),
        Index("ix_posts_created_at_id", "created_at", "id"),
        Index("ix_posts_thread", "platform", "thread_external_id"),
        Index("ix_posts_parent", "platform", "parent_external_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    platform: Mapped[str] = mapped_column(String(32), index=True)
    external_id: Mapped[str] = mapped_column(String(200))
    source_id: Mapped[int | None] = mapped_column(ForeignKey("sources.id", ondelete="SET NULL"))
    url: Mapped[str | None] = mapped_column(String(2000))
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("authors.id", ondelete="SET NULL"), index=True
    )
    direction: Mapped[str] = mapped_column(String(8), default="inbound")
    kind: Mapped[str] = mapped_column(String(16), default="post")
    text: Mapped[str] = mapped_column(Text, default="")
    title: Mapped[str | None] = mapped_column(String(1000))
    lang: Mapped[str | None] = mapped_column(String(8), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    likes: Mapped[int] = mapped_column(Integer, default=0)
    reposts: Mapped[int] = mapped_column(Integer, default=0)
    replies: Mapped[int] = mapped_column(Integer, default=0)
    quotes: Mapped[int] = mapped_column(Integer, default=0)
    views: Mapped[int] = mapped_column(Integer, default=0)
    parent_external_id: Mapped[str | None] = mapped_column(String(200))
    thread_external_id: Mapped[str | None] = mapped_column(String(200))
    #: The latest raw payload as the platform sent it (older ones are in ``raw_payloads``).
    raw: Mapped[dict[str, object] | None] = mapped_column(JSONType)
    version: Mapped[int] = mapped_column(Integer, default=1)
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: Set when the text was automatically generated (auto-acknowledgement), never by a person.
    is_automatic: Mapped[bool] = mapped_column(Boolean, default=False)
    hidden: Mapped[bool] = mapped_column(Boolean, default=False)

    author: Mapped[Author | None] = relationship(lazy="joined")
    versions: Mapped[list[PostVersion]] = relationship(
        back_populates="post", cascade="all, delete-orphan", order_by="PostVersion.version"
    )

    @property
    def engagement(self) -> int:
        return self.likes + self.reposts + self.replies + self.quotes


class PostVersion(Base):
    """A previous text of an edited post (the current text is on :class:`Post`)."""

    __tablename__ = "post_versions"
    __table_args__ = (UniqueConstraint("post_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"))
    version: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    title: Mapped[str | None] = mapped_column(String(1000))
    replaced_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    post: Mapped[Post] = relationship(back_populates="versions")


class RawPayload(Base):
    """Every distinct payload a platform delivered, archived before any processing.

    Webhooks and pollers write here first (``status="pending"``); the ingestion step
    normalises and marks them ``done`` or ``rejected``.  ``digest`` makes a re-delivery of the
    same bytes a no-op.
    """

    __tablename__ = "raw_payloads"
    __table_args__ = (UniqueConstraint("platform", "digest"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    platform: Mapped[str] = mapped_column(String(32))
    source_id: Mapped[int | None] = mapped_column(ForeignKey("sources.id", ondelete="SET NULL"))
    external_id: Mapped[str | None] = mapped_column(String(200), index=True)
    digest: Mapped[str] = mapped_column(String(64))
    payload: Mapped[dict[str, object]] = mapped_column(JSONType)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    status: Mapped[str] = mapped_column(String(16), default="pending", index=True)
    error: Mapped[str | None] = mapped_column(Text)
