"""Loading the demo: brands by slug, posts once, held-back posts, reset."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from tocsin.brands.models import Brand
from tocsin.demo.generator import generate
from tocsin.demo.loader import demo_source, ensure_brands, load_demo, reset_demo
from tocsin.ingestion.models import Author, Post


@pytest.fixture(scope="module")
def small():
    return generate(seed=5, days=1, scale=0.3)


def _demo_posts(session) -> int:
    source = demo_source(session=session, create=False)
    return session.scalar(select(func.count()).select_from(Post).where(Post.source_id == source.id))


def test_loading_twice_stores_each_post_once(session, small):
    first = load_demo(session=session, dataset=small, batch_size=40)
    assert first.brands_created == 3
    assert first.imported == len(small.posts) and first.rejected == 0
    second = load_demo(session=session, dataset=small)
    assert second.brands_created == 0
    assert second.imported == 0 and second.duplicates == len(small.posts)
    assert _demo_posts(session) == len(small.posts)
    brands = {b.slug: b for b in session.scalars(select(Brand))}
    assert brands["veltra"].competitor_of_id == brands["lumio"].id
    assert brands["nordwave"].competitor_of_id == brands["lumio"].id
    assert brands["lumio"].owns_handle("x", "@LumioCare")


def test_the_brands_own_posts_are_recognised_as_outbound(session, small):
    load_demo(session=session, dataset=small)
    lumio = session.scalar(select(Brand).where(Brand.slug == "lumio"))
    care = session.scalar(
        select(Author).where(Author.platform == "x", Author.handle == "LumioCare")
    )
    assert care is not None and care.brand_id == lumio.id
    outbound = session.scalars(select(Post).where(Post.author_id == care.id)).all()
    assert outbound and all(p.direction == "outbound" for p in outbound)


def test_a_week_moved_to_another_day_adds_nothing(session, small):
    load_demo(session=session, dataset=small)
    report = load_demo(session=session, dataset=small.moved_by_days(12))
    assert report.imported == 0
    assert _demo_posts(session) == len(small.posts)


def test_posts_after_until_are_held_back_then_loaded_later(session, small):
    cut = small.start + timedelta(hours=18)
    report = load_demo(session=session, dataset=small, until=cut)
    before, after = small.split(cut)
    assert report.imported == len(before) and report.held_back == len(after) > 0
    latest = session.scalar(select(func.max(Post.created_at)).where(Post.source_id.is_not(None)))
    assert latest < cut
    rest = load_demo(session=session, dataset=small)
    assert rest.imported == len(after)


def test_existing_brands_are_kept_as_the_team_edited_them(session, small):
    session.add(Brand(slug="lumio", name="Lumio (edited)", handles=[]))
    session.flush()
    brands, created = ensure_brands(session=session, brands=small.brands)
    assert created == 2
    assert brands["lumio"].name == "Lumio (edited)"
    assert brands["veltra"].competitor_of_id == brands["lumio"].id


def test_reset_removes_the_demo_posts_authors_and_brands(session, small):
    session.add(Author(platform="x", handle="someone_else"))
    load_demo(session=session, dataset=small)
    removed = reset_demo(session=session, dataset=small)
    session.commit()
    assert removed == len(small.posts)
    assert session.scalar(select(func.count()).select_from(Post)) == 0
    assert session.scalar(select(func.count()).select_from(Brand)) == 0
    assert session.scalars(select(Author.handle)).all() == ["someone_else"]
    assert demo_source(session=session, create=False) is None
    again = load_demo(session=session, dataset=small)
    assert again.imported == len(small.posts)
