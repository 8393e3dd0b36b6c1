"""Showing posts without exposing personal data: masked by default, revealed on purpose.

Every post is shown masked (``[EMAIL]``, ``[PHONE]``…) unless the reader holds
``pii:unmask`` **and** asks to reveal it; each reveal is written to the audit log.  The spans
come from the stored enrichment; a post not enriched yet is scanned on the spot with the fast
structured detector, so nothing leaks in the seconds before enrichment runs.

Enrichment reads ``"{title}\\n{text}"`` when a post has a title, so stored offsets are split
back onto the two fields here.

Example::

    view = disclose(session=s, posts=[post], reveal=False)
    view[post.id].text   # "Call me on [PHONE]"
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tocsin.enrichment.models import PostEnrichment
from tocsin.ingestion.models import Post
from tocsin.privacy.audit import record
from tocsin.privacy.pii import PiiDetector, PiiSpan, mask_text


@dataclass(frozen=True)
class DisclosedPost:
    text: str
    title: str | None
    #: Types of personal data found (``EMAIL``, ``PHONE``…), whether masked or revealed.
    pii_types: tuple[str, ...]
    masked: bool


@lru_cache(maxsize=1)
def _fast_detector() -> PiiDetector:
    return PiiDetector(mode="fast")


def _spans_from_rows(rows: Sequence[dict[str, Any]]) -> list[PiiSpan]:
    spans = []
    for row in rows:
        try:
            spans.append(
                PiiSpan(
                    type=str(row["type"]),
                    start=int(row["start"]),
                    end=int(row["end"]),
                    score=float(row.get("score", 1.0)),
                    source=str(row.get("source", "stored")),
                )
            )
        except (KeyError, TypeError, ValueError):
            continue
    return spans


def _split(spans: Sequence[PiiSpan], title: str | None) -> tuple[list[PiiSpan], list[PiiSpan]]:
    """Spans over ``title + "\\n" + text`` → (title spans, text spans) in each field's offsets."""
    if not title:
        return [], list(spans)
    cut = len(title) + 1
    title_spans: list[PiiSpan] = []
    text_spans: list[PiiSpan] = []
    for span in spans:
        if span.start < len(title):
            title_spans.append(
                PiiSpan(span.type, span.start, min(span.end, len(title)), span.score, span.source)
            )
        if span.end > cut:
            start = max(span.start, cut) - cut
            text_spans.append(PiiSpan(span.type, start, span.end - cut, span.score, span.source))
    return title_spans, text_spans


def disclose(
    *,
    session: Session,
    posts: Sequence[Post],
    reveal: bool = False,
    actor_user_id: int | None = None,
    actor_token_id: int | None = None,
    ip: str = "",
) -> dict[int, DisclosedPost]:
    """The text to show for each post. ``reveal=True`` must only be passed for readers who
    hold ``pii:unmask``; it is audited (one entry listing the revealed posts)."""
    ids = [p.id for p in posts]
    stored = {
        row.post_id: row.pii_spans
        for row in session.execute(
            select(PostEnrichment.post_id, PostEnrichment.pii_spans).where(
                PostEnrichment.post_id.in_(ids)
            )
        )
    }
    out: dict[int, DisclosedPost] = {}
    revealed: list[int] = []
    for post in posts:
        if post.id in stored:
            spans = _spans_from_rows(stored[post.id] or [])
            title_spans, text_spans = _split(spans, post.title)
        else:
            detector = _fast_detector()
            text_spans = detector.detect(post.text, post.lang)
            title_spans = detector.detect(post.title, post.lang) if post.title else []
        types = tuple(sorted({s.type for s in (*title_spans, *text_spans)}))
        if reveal or not types:
            out[post.id] = DisclosedPost(post.text, post.title, types, masked=False)
            if types:
                revealed.append(post.id)
            continue
        out[post.id] = DisclosedPost(
            text=mask_text(post.text, text_spans),
            title=mask_text(post.title, title_spans) if post.title else post.title,
            pii_types=types,
            masked=True,
        )
    if revealed:
        record(
            session,
            action="pii.unmask",
            actor_user_id=actor_user_id,
            actor_token_id=actor_token_id,
            target_type="post",
            target_id=",".join(map(str, revealed))[:64],
            detail={"post_ids": revealed},
            ip=ip,
        )
    return out
