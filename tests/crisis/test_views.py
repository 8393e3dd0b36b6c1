"""The crisis pages and API: permissions, acknowledgement, the war room, the shared page."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from tests.crisis.conftest import T0, csrf_from, login, make_brand, mentions, quiet_history
from tocsin.accounts.models import User
from tocsin.crisis.incident_models import HoldingStatement, Incident
from tocsin.crisis.models import Alert
from tocsin.crisis.tasks import on_posts


def _crisis(factory: sessionmaker[Session]) -> tuple[int, int]:
    with factory() as s:
        make_brand(s)
        on_posts(session=s, post_ids=quiet_history(s, brand="Lumio", start=T0, buckets=24))
        on_posts(
            session=s,
            post_ids=mentions(
                s,
                brand="Lumio",
                at=T0 + timedelta(hours=2),
                count=60,
                negative=True,
                text="<b>outage</b> again, app down",
            ),
        )
        alert = s.scalar(select(Alert))
        assert alert is not None and alert.incident_id is not None
        s.commit()
        return alert.id, alert.incident_id


def test_viewer_sees_alerts_but_cannot_act(
    client: TestClient, signed_in: Callable[..., User], session_factory: sessionmaker[Session]
) -> None:
    alert_id, _ = _crisis(session_factory)
    signed_in("viewer")
    page = client.get("/crisis")
    assert page.status_code == 200
    assert "Lumio" in page.text and "&lt;b&gt;outage" not in page.text  # summary only, escaped
    detail = client.get(f"/crisis/alerts/{alert_id}")
    assert detail.status_code == 200 and "&lt;b&gt;outage&lt;/b&gt;" in detail.text
    assert "<b>outage</b>" not in detail.text
    refused = client.post(
        f"/crisis/alerts/{alert_id}/acknowledge", data={"csrf_token": csrf_from(detail.text)}
    )
    assert refused.status_code == 403


def test_manager_acknowledges_and_works_the_war_room(
    app: FastAPI,
    client: TestClient,
    signed_in: Callable[..., User],
    make_user: Callable[..., User],
    session_factory: sessionmaker[Session],
) -> None:
    alert_id, incident_id = _crisis(session_factory)
    signed_in("manager")
    token = csrf_from(client.get(f"/crisis/alerts/{alert_id}").text)
    assert (
        client.post(
            f"/crisis/alerts/{alert_id}/acknowledge", data={"csrf_token": token}
        ).status_code
        == 303
    )
    room = f"/crisis/incidents/{incident_id}"
    assert (
        client.post(
            f"{room}/note", data={"csrf_token": token, "kind": "decision", "text": "Pause ads"}
        ).status_code
        == 303
    )
    assert (
        client.post(
            f"{room}/draft", data={"csrf_token": token, "lang": "fr", "issue": "une panne"}
        ).status_code
        == 303
    )
    with session_factory() as s:
        statement = s.scalar(select(HoldingStatement))
        assert statement is not None and "une panne" in statement.text and "Lumio" in statement.text
        sid = statement.id
    same_author = client.post(
        f"{room}/approve", data={"csrf_token": token, "statement_id": str(sid)}
    )
    assert same_author.status_code == 409  # four eyes
    other = TestClient(app, follow_redirects=False)
    boss = make_user("manager")
    login(other, boss.email)
    other_token = csrf_from(other.get(room).text)
    assert (
        other.post(
            f"{room}/approve", data={"csrf_token": other_token, "statement_id": str(sid)}
        ).status_code
        == 303
    )
    assert (
        client.post(
            f"{room}/publish", data={"csrf_token": token, "statement_id": str(sid)}
        ).status_code
        == 303
    )
    sent = client.post(
        f"{room}/communique",
        data={
            "csrf_token": token,
            "what_happened": "Login outage",
            "what_to_say": "We are on it",
            "where_to_point": "status.example.com",
        },
    )
    assert sent.status_code == 303
    page = client.get(room)
    assert "Pause ads" in page.text and "Official statement" in page.text
    shared = page.text.split('id="communique-link"')[0].rsplit('href="', 1)[1].split('"')[0]
    anonymous = TestClient(app, follow_redirects=False)
    public = anonymous.get("/shared" + shared.split("/shared", 1)[1])
    assert public.status_code == 200
    assert "We are on it" in public.text and "une panne" in public.text
    assert public.headers["x-robots-tag"].startswith("noindex")
    assert anonymous.get("/shared/communiques/" + "x" * 32).status_code == 404
    pdf = client.get(f"{room}/report.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    html = client.get(f"{room}/report.html")
    assert "Pause ads" in html.text and "<polyline" in html.text
    assert (
        client.post(f"{room}/status", data={"csrf_token": token, "status": "resolved"}).status_code
        == 303
    )
    with session_factory() as s:
        incident = s.get(Incident, incident_id)
        assert incident is not None and incident.status == "resolved"
        assert s.get(Alert, alert_id).status == "resolved"  # type: ignore[union-attr]


def test_api_lists_acknowledges_and_serves_the_series(
    client: TestClient,
    make_user: Callable[..., User],
    make_token: Callable[..., str],
    session_factory: sessionmaker[Session],
) -> None:
    alert_id, incident_id = _crisis(session_factory)
    user = make_user("manager")
    reader = {"Authorization": f"Bearer {make_token(user, ['alerts:read'])}"}
    actor = {"Authorization": f"Bearer {make_token(user, ['alerts:read', 'incidents:manage'])}"}
    listed = client.get("/api/v1/crisis/alerts?open=true", headers=reader).json()
    assert [a["id"] for a in listed] == [alert_id]
    assert listed[0]["explanation"]["negative_share"] > 0.5
    assert (
        client.post(f"/api/v1/crisis/alerts/{alert_id}/acknowledge", headers=reader).status_code
        == 403
    )
    acked = client.post(f"/api/v1/crisis/alerts/{alert_id}/acknowledge", headers=actor)
    assert acked.status_code == 200 and acked.json()["status"] == "acknowledged"
    brand_id = listed[0]["brand_id"]
    until = (T0 + timedelta(hours=3)).isoformat().replace("+00:00", "Z")
    series = client.get(
        f"/api/v1/crisis/series?brand_id={brand_id}&hours=4&until={until}", headers=reader
    ).json()
    assert len(series["t"]) == len(series["volume"]) == 48
    assert max(series["volume"]) >= 40
    timeline = client.get(f"/api/v1/crisis/incidents/{incident_id}", headers=reader).json()[
        "timeline"
    ]
    assert [e["kind"] for e in timeline][:2] == ["status", "alert"]
