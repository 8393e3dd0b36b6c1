"""Two workers ingesting the same posts at the same moment (PostgreSQL: real concurrency).

SQLite runs one writer at a time (the embedded default is one process), so there the race is
covered by the simulated stale read in ``test_service``.
"""

import threading

import pytest
from sqlalchemy import func, select

from tests.ingestion.conftest import clear, make_post
from tocsin.db import make_engine, make_session_factory
from tocsin.ingestion import service
from tocsin.ingestion.models import Author, Post
from tocsin.ingestion.service import ingest_posts

pytestmark = pytest.mark.postgres


@pytest.mark.parametrize(
    ("racing_on", "author"),
    [
        # both workers look the posts up before either inserts them (no author rows to lock)
        ("_load_posts", None),
        # both workers look the authors up before either inserts them
        ("official_accounts", {"handle": "jane", "followers": 3}),
    ],
)
def test_two_workers_storing_the_same_posts_never_collide(
    fresh_database_url, monkeypatch, racing_on, author
):
    if not fresh_database_url.startswith("postgresql"):
        pytest.skip("needs PostgreSQL (TOCSIN_TEST_DATABASE_URL)")
    clear(fresh_database_url)
    engine = make_engine(fresh_database_url)
    factory = make_session_factory(engine)
    posts = [make_post(str(i), author=author, engagement={"likes": i}) for i in range(200)]
    both_have_read = threading.Barrier(2, timeout=20)
    first_read = threading.local()
    real_read = getattr(service, racing_on)

    def read_then_wait(*args, **kwargs):
        found = real_read(*args, **kwargs)
        if not getattr(first_read, "done", False):
            first_read.done = True
            both_have_read.wait()
        return found

    monkeypatch.setattr(service, racing_on, read_then_wait)
    reports, errors = [], []

    def worker():
        try:
            with factory.begin() as session:
                reports.append(ingest_posts(session=session, posts=posts))
        except Exception as exc:
            errors.append(exc)
            both_have_read.abort()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert sorted(r.imported for r in reports) == [0, 200]
    assert sum(r.duplicates for r in reports) == 200
    with factory() as session:
        assert session.scalar(select(func.count()).select_from(Post)) == 200
        assert session.scalar(select(func.count()).select_from(Author)) == (1 if author else 0)
    engine.dispose()
