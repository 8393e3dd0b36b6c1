from datetime import timedelta

from sqlalchemy import func, select

from tests.ingestion.conftest import WHEN, make_post, post_count, stored
from tocsin.brands.models import Brand
from tocsin.events.models import OutboxEvent
from tocsin.events.types import PostIngested
from tocsin.ingestion import service
from tocsin.ingestion.models import Author, Post, PostVersion, RawPayload
from tocsin.ingestion.service import ERASED, ingest_posts
from tocsin.ingestion.sql import payload_digest


def events(session, name):
    return [
        row.payload
        for row in session.scalars(
            select(OutboxEvent).where(OutboxEvent.name == name).order_by(OutboxEvent.id)
        )
    ]


def test_new_post_is_stored_with_author_and_event(session):
    report = ingest_posts(session=session, posts=[make_post("10", lang="fr")])

    assert (report.imported, report.updated, report.duplicates, report.rejected) == (1, 0, 0, [])
    outcome = report.outcomes[0]
    assert outcome.status == "imported"
    post = stored(session, "x", "10")
    assert outcome.post_id == post.id
    assert post.text == "My order 10 never arrived"
    assert post.lang == "fr"
    assert post.direction == "inbound"
    assert post.author is not None and post.author.handle == "jane"
    assert post.raw is None
    assert events(session, "post.ingested") == [
        {"post_id": post.id, "platform": "x", "direction": "inbound"}
    ]


def test_identical_redelivery_is_a_duplicate_and_changes_nothing(session):
    ingest_posts(session=session, posts=[make_post("11", engagement={"likes": 3})])
    before = post_count(session)

    report = ingest_posts(session=session, posts=[make_post("11", engagement={"likes": 3})])

    assert report.duplicates == 1
    assert report.outcomes[0].status == "duplicate"
    assert report.outcomes[0].post_id == stored(session, "x", "11").id
    assert post_count(session) == before
    assert len(events(session, "post.ingested")) == 1


def test_new_engagement_counts_update_the_post(session):
    ingest_posts(session=session, posts=[make_post("12", engagement={"likes": 3, "views": 50})])

    report = ingest_posts(session=session, posts=[make_post("12", engagement={"likes": 9})])

    assert report.updated == 1
    post = stored(session, "x", "12")
    assert (post.likes, post.views) == (9, 50)  # a count not delivered is kept
    assert post.version == 1


def test_author_followers_and_verified_are_refreshed(session):
    ingest_posts(session=session, posts=[make_post("13", author={"handle": "bob", "followers": 5})])

    changed = make_post("13", author={"handle": "bob", "followers": 80, "verified": True})
    report = ingest_posts(session=session, posts=[changed])
    again = ingest_posts(session=session, posts=[make_post("13", author={"handle": "bob"})])

    assert report.updated == 1
    assert again.duplicates == 1
    author = session.scalar(select(Author).where(Author.handle == "bob"))
    session.refresh(author)
    assert (author.followers, author.verified) == (80, True)


def test_an_older_post_never_rolls_the_author_profile_back(session):
    def by_cat(external_id, days, followers):
        author = {"handle": "cat", "followers": followers}
        return make_post(external_id, created_at=WHEN + timedelta(days=days), author=author)

    ingest_posts(session=session, posts=[by_cat("29", 0, 900)])
    late = ingest_posts(session=session, posts=[by_cat("30", -30, 10)])
    batch = ingest_posts(session=session, posts=[by_cat("31", 1, 1000), by_cat("32", -2, 5)])

    assert late.imported == 1
    assert batch.imported == 2
    author = session.scalar(select(Author).where(Author.handle == "cat"))
    session.refresh(author)
    assert author.followers == 1000
    assert author.profile_as_of == WHEN + timedelta(days=1)


def test_edited_text_keeps_the_old_one_as_a_version(session):
    ingest_posts(session=session, posts=[make_post("14", text="first words", title="Bad")])

    report = ingest_posts(session=session, posts=[make_post("14", text="second thoughts")])

    assert (report.updated, report.edited) == (1, 1)
    post = stored(session, "x", "14")
    assert (post.text, post.title, post.version) == ("second thoughts", "Bad", 2)
    assert post.edited_at is not None
    assert [(v.version, v.text, v.title) for v in post.versions] == [(1, "first words", "Bad")]
    assert events(session, "post.edited") == [{"post_id": post.id, "version": 2}]


def test_edited_title_alone_is_an_edit(session):
    ingest_posts(session=session, posts=[make_post("15", text="same", title="Late")])

    ingest_posts(session=session, posts=[make_post("15", text="same", title="Late again")])

    post = stored(session, "x", "15")
    assert (post.title, post.version) == ("Late again", 2)


def test_deletion_turns_the_post_into_a_tombstone_and_erases_content(session):
    raw = {"id": "16", "full_text": "call me on my number"}
    ingest_posts(
        session=session, posts=[make_post("16", text="v1", raw=raw, engagement={"likes": 4})]
    )
    ingest_posts(session=session, posts=[make_post("16", text="v2")])
    post_id = stored(session, "x", "16").id

    report = ingest_posts(session=session, posts=[make_post("16", text="", deleted=True)])

    assert (report.updated, report.deleted) == (1, 1)
    post = stored(session, "x", "16")
    assert post.id == post_id
    assert post.deleted and post.deleted_at is not None
    assert (post.text, post.title, post.raw) == ("", None, None)
    assert post.likes == 4 and post.author is not None
    assert session.scalar(select(func.count()).where(PostVersion.post_id == post_id)) == 0
    archived = session.scalar(select(RawPayload).where(RawPayload.external_id == "16"))
    session.refresh(archived)
    assert archived.payload == {} and archived.error == ERASED
    assert archived.digest == payload_digest(raw)
    assert events(session, "post.deleted") == [{"post_id": post_id, "by_author": True}]


def test_a_tombstone_is_never_brought_back(session):
    ingest_posts(session=session, posts=[make_post("17", deleted=True)])

    report = ingest_posts(session=session, posts=[make_post("17", text="back again")])

    assert report.duplicates == 1
    post = stored(session, "x", "17")
    assert post.deleted and post.text == ""


def test_deletion_of_an_unknown_post_stores_a_tombstone(session):
    report = ingest_posts(
        session=session, posts=[make_post("18", text="should not be kept", deleted=True)]
    )

    assert report.imported == 1
    post = stored(session, "x", "18")
    assert post.deleted and post.text == ""
    assert events(session, "post.deleted") == [{"post_id": post.id, "by_author": True}]
    assert events(session, "post.ingested") == []


def test_same_post_twice_in_one_batch_the_later_wins_counted_once(session):
    before = post_count(session)

    report = ingest_posts(
        session=session,
        posts=[make_post("19", text="draft"), make_post("20"), make_post("19", text="final")],
    )

    assert post_count(session) == before + 2
    assert [o.status for o in report.outcomes] == ["duplicate", "imported", "imported"]
    assert report.outcomes[0].post_id == report.outcomes[2].post_id
    assert stored(session, "x", "19").text == "final"
    assert len(events(session, "post.ingested")) == 2


def test_brand_official_account_posts_are_outbound(session):
    brand = Brand(slug="acme", name="Acme", handles=[{"platform": "x", "handle": "@AcmeHelp"}])
    session.add(brand)
    session.flush()

    report = ingest_posts(
        session=session,
        posts=[make_post("21", author={"handle": "acmehelp"}), make_post("22")],
    )

    reply, other = stored(session, "x", "21"), stored(session, "x", "22")
    assert reply.direction == "outbound" and reply.author.brand_id == brand.id
    assert other.direction == "inbound" and other.author.brand_id is None
    assert events(session, "post.ingested")[0]["direction"] == "outbound"
    assert report.imported == 2


def test_invalid_items_are_rejected_before_anything_is_written(session):
    before = post_count(session)
    good = make_post("23").model_dump()
    bad = {**good, "external_id": "24", "created_at": "yesterday"}

    report = ingest_posts(session=session, posts=[bad, good])

    assert [o.status for o in report.outcomes] == ["rejected", "imported"]
    assert report.rejected[0].index == 0
    assert report.rejected[0].reason.startswith("created_at:")
    assert post_count(session) == before + 1


def test_raw_payload_is_archived_once_and_kept_as_latest(session):
    raw = {"id": "25", "text": "hello", "metrics": {"likes": 1}}
    ingest_posts(session=session, posts=[make_post("25", raw=raw)], source_id=None)
    assert stored(session, "x", "25").raw == raw
    ingest_posts(session=session, posts=[make_post("25", raw=dict(reversed(raw.items())))])

    rows = list(session.scalars(select(RawPayload).where(RawPayload.external_id == "25")))
    assert len(rows) == 1
    assert (rows[0].status, rows[0].digest) == ("done", payload_digest(raw))

    newer = {**raw, "metrics": {"likes": 2}}
    report = ingest_posts(session=session, posts=[make_post("25", raw=newer)])
    assert report.updated == 1
    assert stored(session, "x", "25").raw == newer
    assert session.scalar(select(func.count()).where(RawPayload.external_id == "25")) == 2


def test_a_post_stored_by_another_worker_meanwhile_is_not_an_error(session, monkeypatch):
    ingest_posts(session=session, posts=[make_post("26", engagement={"likes": 1})])
    real_load = service._load_posts
    calls = []

    def stale_first_read(sess, keys, *, with_raw):
        calls.append(keys)
        return {} if len(calls) == 1 else real_load(sess, keys, with_raw=with_raw)

    monkeypatch.setattr(service, "_load_posts", stale_first_read)
    report = ingest_posts(
        session=session, posts=[make_post("26", engagement={"likes": 2}), make_post("27")]
    )

    assert [o.status for o in report.outcomes] == ["updated", "imported"]
    assert calls[1] == [("x", "26")]
    assert stored(session, "x", "26").likes == 2


def test_loaded_objects_see_the_changes(session):
    ingest_posts(session=session, posts=[make_post("28", engagement={"likes": 1})])
    post = stored(session, "x", "28")
    assert post.likes == 1

    ingest_posts(session=session, posts=[make_post("28", engagement={"likes": 7})])

    assert post.likes == 7


def test_bulk_events_are_the_rows_emit_would_write(session):
    report = ingest_posts(session=session, posts=[make_post(f"b{i}") for i in range(30)])

    rows = events(session, "post.ingested")
    assert len(rows) == 30
    first = report.outcomes[0].post_id
    assert rows[0] == PostIngested(post_id=first, platform="x").to_payload()


def test_bulk_inserted_values_compare_like_orm_written_ones(session):
    """The bulk paths store datetimes, JSON and NULLs exactly as SQLAlchemy would."""
    when = WHEN + timedelta(microseconds=250)
    ingest_posts(
        session=session,
        posts=[
            make_post("v1", created_at=when),
            make_post("v2", created_at=when, raw={"k": ["é", 1, None]}),
        ],
    )

    found = session.scalars(
        select(Post.external_id).where(Post.created_at == when, Post.external_id.in_(["v1", "v2"]))
    ).all()
    assert sorted(found) == ["v1", "v2"]
    assert session.scalars(
        select(Post.external_id).where(Post.raw.is_(None), Post.external_id.in_(["v1", "v2"]))
    ).all() == ["v1"]
    assert stored(session, "x", "v2").raw == {"k": ["é", 1, None]}
    assert stored(session, "x", "v1").author.first_seen_at.tzinfo is not None
