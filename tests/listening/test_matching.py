from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from tocsin.brands.models import Brand
from tocsin.ingestion.schemas import CanonicalAuthor, CanonicalPost
from tocsin.ingestion.service import ingest_posts
from tocsin.listening.matching import BrandQueryError, match_posts
from tocsin.listening.models import PostBrand

NOW = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


def post(i, text, handle="jane", platform="x"):
    return CanonicalPost(
        platform=platform,
        external_id=f"m{i}",
        text=text,
        created_at=NOW,
        author=CanonicalAuthor(handle=handle),
    )


@pytest.fixture
def brands(session):
    lumio = Brand(
        slug="lumio",
        name="Lumio",
        aliases=["Lumio Telecom"],
        handles=[{"platform": "x", "handle": "LumioCare"}],
        keywords=[],
    )
    session.add(lumio)
    session.flush()
    veltra = Brand(
        slug="veltra",
        name="Veltra",
        competitor_of_id=lumio.id,
        handles=[{"platform": "x", "handle": "Veltra"}],
    )
    session.add(veltra)
    session.flush()
    return lumio, veltra


def links(session):
    return {(pb.post_id, pb.brand_id): pb for pb in session.scalars(select(PostBrand))}


def test_posts_link_to_every_brand_they_mention_once(session, brands):
    lumio, veltra = brands
    report = ingest_posts(
        session=session,
        posts=[
            post(1, "LUMIO internet down again, thinking of switching to veltra"),
            post(2, "Lumió est en panne #lumio"),
            post(3, "nothing to see here"),
            post(4, "Sorry to hear! Switch to us", handle="Veltra"),
        ],
    )
    ids = [o.post_id for o in report.outcomes]
    assert match_posts(session=session, post_ids=ids) == 4
    assert match_posts(session=session, post_ids=ids) == 0  # idempotent
    got = links(session)
    assert set(got) == {
        (ids[0], lumio.id),
        (ids[0], veltra.id),
        (ids[1], lumio.id),
        (ids[3], veltra.id),
    }
    assert got[(ids[0], veltra.id)].is_competitor
    assert got[(ids[3], veltra.id)].by_brand
    assert got[(ids[0], lumio.id)].matched_terms


def test_a_changed_query_is_used_at_once(session, brands):
    lumio, _ = brands
    report = ingest_posts(session=session, posts=[post(5, "my fibre box blinks red")])
    ids = [o.post_id for o in report.outcomes]
    assert match_posts(session=session, post_ids=ids) == 0
    lumio.query = 'lumio OR "fibre box"'
    session.flush()
    assert match_posts(session=session, post_ids=ids) == 1


def test_a_broken_brand_query_names_the_brand(session, brands):
    lumio, _ = brands
    lumio.query = "lumio AND (outage"
    session.flush()
    with pytest.raises(BrandQueryError, match="Lumio"):
        match_posts(session=session, post_ids=[1])
