"""A radar-policy edit through the API changes what the very next radar pass does."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from tests.crisis.conftest import T0, make_brand, mentions, quiet_history
from tocsin.accounts.models import User
from tocsin.crisis.incident_models import Incident
from tocsin.crisis.models import Alert
from tocsin.crisis.tasks import on_posts


def _burst(factory: sessionmaker[Session], name: str) -> list[Alert]:
    """24 quiet buckets, then 60 negative mentions in five minutes; the brand's alerts."""
    with factory() as s:
        brand = make_brand(s, name)
        s.commit()
        on_posts(session=s, post_ids=quiet_history(s, brand=name, start=T0, buckets=24))
        burst = mentions(s, brand=name, at=T0 + timedelta(hours=2), count=60, negative=True)
        on_posts(session=s, post_ids=burst)
        s.commit()
        return list(s.scalars(select(Alert).where(Alert.brand_id == brand.id)))


def _put(client: TestClient, headers: dict[str, str], scope: str, **values: object) -> None:
    response = client.put(f"/api/v1/crisis/radar-policies/{scope}", json=values, headers=headers)
    assert response.status_code == 200, response.text


def test_policy_edits_change_the_next_pass(
    client: TestClient,
    make_user: Callable[..., User],
    make_token: Callable[..., str],
    session_factory: sessionmaker[Session],
) -> None:
    lead = make_user("manager")
    headers = {"Authorization": f"Bearer {make_token(lead, ['alerts:read', 'incidents:manage'])}"}

    baseline = _burst(session_factory, "Alpha")
    assert len(baseline) == 1 and baseline[0].incident_id is not None

    _put(client, headers, "default", min_volume=1000)
    assert _burst(session_factory, "Bravo") == []

    _put(client, headers, "default", auto_incident="never")
    quiet = _burst(session_factory, "Charlie")
    assert len(quiet) == 1 and quiet[0].incident_id is None
    with session_factory() as s:
        assert s.scalar(select(Incident).where(Incident.brand_id == quiet[0].brand_id)) is None
