"""The emerging narrative of a spike: what most of its posts say, named by their own words.

Runs after the alert has gone out (on ``SpikeDetected``) because embedding a few hundred posts
takes a fraction of a second and loads the sentence encoder on first use.

Example::

    label_narrative(session=s, alert_id=alert.id)
    alert.explanation["narrative"]   # {"label": "outage, panne, internet", "share": 0.7, …}
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session

from tocsin.crisis.explain import emerging_narrative, summary_line
from tocsin.crisis.models import Alert
from tocsin.enrichment.embedding import Embedder, default_embedder
from tocsin.ingestion.models import Post
from tocsin.listening.models import PostBrand
from tocsin.types import as_utc

NARRATIVE_SAMPLE = 300
#: Where the sentence embedder comes from (tests swap in a light one).
embedder_factory: Callable[[], Embedder] = default_embedder


def label_narrative(*, session: Session, alert_id: int, embedder: Embedder | None = None) -> None:
    """Cluster the alert window's posts and store the largest group's label on the alert."""
    alert = session.get(Alert, alert_id)
    if alert is None:
        return
    rows = session.execute(
        select(Post.id, Post.text)
        .join(PostBrand, PostBrand.post_id == Post.id)
        .where(
            PostBrand.brand_id == alert.brand_id,
            PostBrand.post_created_at >= as_utc(alert.window_start),
            PostBrand.post_created_at < as_utc(alert.window_end),
            PostBrand.by_brand.is_(False),
            Post.deleted.is_(False),
        )
        .order_by(PostBrand.post_created_at.desc())
        .limit(NARRATIVE_SAMPLE)
    ).all()
    texts = [text for _id, text in rows]
    if len(texts) < 3:
        return
    vectors = (embedder or embedder_factory()).embed(texts)
    found = emerging_narrative(texts, vectors)
    if not found:
        return
    example = found.pop("example_index")
    found["example_post_id"] = rows[example][0]
    explanation = dict(alert.explanation)
    explanation["narrative"] = found
    alert.explanation = explanation
    alert.summary = summary_line(explanation)
