"""Authors named by a stable id only, and keeping stored handles current by that id."""

from datetime import timedelta

from sqlalchemy import func, select

from tests.ingestion.conftest import WHEN, make_post, stored
from tocsin.brands.models import Brand
from tocsin.inbox.models import Case
from tocsin.ingestion.identities import AuthorIdentity, apply_identities, placeholder_authors
from tocsin.ingestion.models import Author
from tocsin.ingestion.service import ingest_posts
from tocsin.types import utcnow

ALICE = "did:plc:alice0000000000000000000"
BOB = "did:plc:bob00000000000000000000000"


def by_did(did: str, n: int) -> dict:
    """A post as the Jetstream normaliser makes it: the author is named by DID only."""
    return {
        "platform": "bluesky",
        "external_id": f"at://{did}/app.bsky.feed.post/{n}",
        "author": {"handle": did, "external_id": did},
    }


def authors_of(session, did: str) -> list[Author]:
    session.expire_all()
    stmt = select(Author).where(Author.platform == "bluesky", Author.external_id == did)
    return list(session.scalars(stmt))


def test_a_post_named_by_id_attaches_to_the_author_with_that_id(session):
    apply_identities(
        session=session,
        platform="bluesky",
        identities={ALICE: AuthorIdentity("alice.bsky.social", "Alice", 40)},
        create={ALICE},
        now=utcnow(),
    )
    ingest_posts(session=session, posts=[make_post(**by_did(ALICE, 1))])

    post = stored(session, "bluesky", f"at://{ALICE}/app.bsky.feed.post/1")
    assert post.author is not None
    assert (post.author.handle, post.author.display_name, post.author.followers) == (
        "alice.bsky.social",
        "Alice",
        40,
    )
    assert len(authors_of(session, ALICE)) == 1


def test_a_placeholder_is_renamed_and_every_post_shows_the_handle(session):
    ingest_posts(session=session, posts=[make_post(**by_did(ALICE, n)) for n in (1, 2)])
    assert placeholder_authors(session=session, platform="bluesky") == [ALICE]

    written = apply_identities(
        session=session,
        platform="bluesky",
        identities={ALICE: AuthorIdentity("alice.bsky.social", "Alice")},
        now=utcnow(),
    )

    [author] = authors_of(session, ALICE)
    assert written == {author.id}
    assert (author.handle, author.display_name) == ("alice.bsky.social", "Alice")
    for n in (1, 2):
        assert stored(session, "bluesky", f"at://{ALICE}/app.bsky.feed.post/{n}").author_id == (
            author.id
        )
    assert placeholder_authors(session=session, platform="bluesky") == []
    # the same identity again writes nothing
    again = {ALICE: AuthorIdentity("alice.bsky.social", "Alice")}
    assert apply_identities(
        session=session, platform="bluesky", identities=again, now=utcnow()
    ) == (set())


def test_a_handle_change_keeps_the_author_and_its_profile(session):
    ingest_posts(session=session, posts=[make_post(**by_did(ALICE, 1))])
    first = {ALICE: AuthorIdentity("alice.bsky.social", "Alice", 40)}
    apply_identities(session=session, platform="bluesky", identities=first, now=utcnow())

    changed = {ALICE: AuthorIdentity("alice.example.com")}  # an identity event: handle only
    apply_identities(session=session, platform="bluesky", identities=changed, now=utcnow())

    [author] = authors_of(session, ALICE)
    assert (author.handle, author.display_name, author.followers) == (
        "alice.example.com",
        "Alice",
        40,
    )


def test_rows_split_by_earlier_deliveries_are_merged_with_their_cases(session):
    # a search result named alice by handle, Jetstream by DID: two rows for one person
    ingest_posts(
        session=session,
        posts=[
            make_post(
                platform="bluesky",
                external_id=f"at://{ALICE}/app.bsky.feed.post/9",
                author={"handle": "alice.bsky.social", "external_id": ALICE},
                created_at=WHEN - timedelta(days=1),
            )
        ],
    )
    session.add(Author(platform="bluesky", handle=ALICE, external_id=ALICE))
    session.flush()
    placeholder = session.scalar(select(Author).where(Author.handle == ALICE))
    assert placeholder is not None
    post_id = (
        ingest_posts(session=session, posts=[make_post(**by_did(ALICE, 1))]).outcomes[0].post_id
    )
    case = Case(platform="bluesky", author_id=placeholder.id, opened_at=WHEN, last_inbound_at=WHEN)
    session.add(case)
    session.flush()
    assert len(authors_of(session, ALICE)) == 2

    apply_identities(
        session=session,
        platform="bluesky",
        identities={ALICE: AuthorIdentity("alice.bsky.social")},
        now=utcnow(),
    )

    [author] = authors_of(session, ALICE)
    assert author.handle == "alice.bsky.social"
    assert stored(session, "bluesky", f"at://{ALICE}/app.bsky.feed.post/1").id == post_id
    assert stored(session, "bluesky", f"at://{ALICE}/app.bsky.feed.post/1").author_id == author.id
    assert session.get(Case, case.id).author_id == author.id


def test_a_handle_taken_by_another_did_leaves_its_old_holder_named_by_id(session):
    apply_identities(
        session=session,
        platform="bluesky",
        identities={
            BOB: AuthorIdentity("shop.example.com"),
            ALICE: AuthorIdentity("a.bsky.social"),
        },
        create={BOB, ALICE},
        now=utcnow(),
    )

    moved = {ALICE: AuthorIdentity("shop.example.com")}
    apply_identities(session=session, platform="bluesky", identities=moved, now=utcnow())

    assert [a.handle for a in authors_of(session, ALICE)] == ["shop.example.com"]
    assert [a.handle for a in authors_of(session, BOB)] == [BOB]
    assert placeholder_authors(session=session, platform="bluesky") == [BOB]


def test_strangers_are_not_stored_and_official_handles_are_recognised(session):
    session.add(
        Brand(
            slug="acme",
            name="Acme",
            handles=[{"platform": "bluesky", "handle": "acme.bsky.social"}],
        )
    )
    session.flush()
    apply_identities(
        session=session,
        platform="bluesky",
        identities={
            ALICE: AuthorIdentity("acme.bsky.social"),
            BOB: AuthorIdentity("b.bsky.social"),
        },
        create={ALICE},
        now=utcnow(),
    )

    [acme] = authors_of(session, ALICE)
    assert acme.brand_id is not None
    assert authors_of(session, BOB) == []
    total = session.scalar(select(func.count()).select_from(Author))
    assert total == 1
