from typing import Any

import pytest
from sqlalchemy import select

from tests.ingestion.conftest import WHEN, stored
from tocsin.ingestion.models import RawPayload
from tocsin.ingestion.normalise import (
    CANONICAL,
    UnknownPlatformError,
    get_normaliser,
    register_normaliser,
    registered_platforms,
)
from tocsin.ingestion.raw import process_pending_raw, store_raw
from tocsin.ingestion.schemas import CanonicalPost
from tocsin.ingestion.service import ERASED


@register_normaliser("forum")
def normalise_test_forum(payload: dict[str, Any]) -> list[CanonicalPost]:
    """A hand-written forum payload: ``{"thread": "t1", "messages": [{"id", "body"}]}``."""
    return [
        CanonicalPost(
            platform="forum",
            external_id=message["id"],
            text=message["body"],
            created_at=WHEN,
            thread_external_id=payload["thread"],
            deleted=message.get("deleted", False),
        )
        for message in payload["messages"]
    ]


def canonical(external_id: str, **fields: Any) -> dict[str, Any]:
    return {
        "platform": "bluesky",
        "external_id": external_id,
        "text": "The app crashes at checkout",
        "created_at": "2026-03-02T09:30:00Z",
        **fields,
    }


def test_store_raw_archives_once(session):
    first = store_raw(session=session, platform=CANONICAL, payload=canonical("r1"))
    again = store_raw(session=session, platform=CANONICAL, payload=canonical("r1"))

    assert first is not None and first.status == "pending" and len(first.digest) == 64
    assert again is None


def test_pending_payloads_are_normalised_ingested_and_marked(session):
    one = store_raw(session=session, platform=CANONICAL, payload=canonical("r2"))
    many = store_raw(
        session=session,
        platform=CANONICAL,
        payload={"posts": [canonical("r3"), canonical("r4", text="Refund please")]},
    )
    forum = store_raw(
        session=session,
        platform="forum",
        payload={"thread": "t1", "messages": [{"id": "m1", "body": "Is it down?"}]},
    )

    report = process_pending_raw(session=session)

    assert report.imported == 4
    for row in (one, many, forum):
        session.refresh(row)
        assert (row.status, row.error) == ("done", None)
    assert one.external_id == "r2" and many.external_id is None
    assert stored(session, "forum", "m1").thread_external_id == "t1"
    assert stored(session, "bluesky", "r4").text == "Refund please"
    assert process_pending_raw(session=session).outcomes == []


def test_a_payload_that_does_not_normalise_is_rejected_and_the_others_go_on(session):
    bad = store_raw(session=session, platform="forum", payload={"messages": "not a list"})
    invalid = store_raw(
        session=session, platform=CANONICAL, payload=canonical("r5", created_at="soon")
    )
    good = store_raw(session=session, platform=CANONICAL, payload=canonical("r6"))

    report = process_pending_raw(session=session)

    assert report.imported == 1
    reasons = [r.reason for r in report.rejected]
    assert len(reasons) == 2
    assert reasons[0].startswith(f"raw payload {bad.id}: TypeError")
    assert reasons[1] == f"raw payload {invalid.id}: created_at: " + invalid.error.split(": ", 1)[1]
    for row, status in ((bad, "rejected"), (invalid, "rejected"), (good, "done")):
        session.refresh(row)
        assert row.status == status


def test_payloads_without_a_normaliser_stay_pending(session):
    row = store_raw(session=session, platform="tiktok", payload={"id": "v1"})

    process_pending_raw(session=session)

    session.refresh(row)
    assert row.status == "pending"
    assert "tiktok" not in registered_platforms()
    with pytest.raises(UnknownPlatformError):
        get_normaliser("tiktok")


def test_a_deleted_post_has_its_archived_payload_erased(session):
    created = store_raw(
        session=session,
        platform="forum",
        payload={"thread": "t2", "messages": [{"id": "m2", "body": "my address is here"}]},
    )
    process_pending_raw(session=session)
    store_raw(
        session=session,
        platform="forum",
        payload={"thread": "t2", "messages": [{"id": "m2", "body": "", "deleted": True}]},
    )

    report = process_pending_raw(session=session)

    assert report.deleted == 1
    assert stored(session, "forum", "m2").text == ""
    payloads = session.scalars(select(RawPayload).where(RawPayload.platform == "forum")).all()
    assert created in payloads
    for row in payloads:
        session.refresh(row)
        assert row.payload == {} and row.error == ERASED


def test_registering_another_normaliser_for_a_platform_is_refused():
    with pytest.raises(ValueError, match="already registered"):
        register_normaliser("forum")(lambda payload: [])
