"""The reports page, its CSV and the JSON API: same figures, permission checked, bad input → 422."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from tocsin.accounts.models import User
from tocsin.inbox.models import Case
from tocsin.inbox.sla.models import AppliedSla

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def _seed(factory: sessionmaker[Session]) -> None:
    with factory() as s:
        for i, (platform, after) in enumerate([("x", 5), ("x", 25), ("bluesky", 12)]):
            opened = T0 + timedelta(hours=i)
            case = Case(platform=platform, lang="en", opened_at=opened, last_inbound_at=opened)
            s.add(case)
            s.flush()
            target = 15 if platform == "x" else 30
            s.add(
                AppliedSla(
                    case_id=case.id,
                    target="first_response",
                    minutes=target,
                    started_at=opened,
                    at_risk_at=opened,
                    due_at=opened + timedelta(minutes=target),
                    satisfied_at=opened + timedelta(minutes=after),
                    state="hit" if after <= target else "missed",
                )
            )
        s.commit()


QUERY = "since=2026-03-02&until=2026-03-03"


def test_api_page_and_csv_agree(
    client: TestClient, signed_in: Callable[..., User], session_factory: sessionmaker[Session]
) -> None:
    _seed(session_factory)
    signed_in("viewer")
    body = client.get(f"/api/v1/inbox/reports?{QUERY}&group_by=platform").json()
    assert body["since"] == "2026-03-02T00:00:00+00:00"
    assert body["overall"] == [{"key": "all", "hit": 2, "missed": 1, "total": 3, "percent": 66.67}]
    times = {r["key"]: r["mean_minutes"] for r in body["first_response"]}
    assert times == {"bluesky": 12.0, "x": 15.0}
    assert len(body["backlog"]) == 49  # two days, hourly, both ends

    page = client.get(f"/inbox/reports?{QUERY}&business_hours=1")
    assert page.status_code == 200
    assert 'id="kpi-attainment">66.67 %' in page.text
    assert 'data-chart="inbox-report-data"' in page.text
    assert "/static/js/inbox-reports.js" in page.text
    assert 'id="business-hours" checked' in page.text

    csv_response = client.get(f"/inbox/reports.csv?{QUERY}")
    assert csv_response.headers["content-type"].startswith("text/csv")
    assert "attachment" in csv_response.headers["content-disposition"]
    assert "sla_attainment,all,all,,,,2,1,66.67," in csv_response.text


def test_bad_dates_are_a_problem_and_permission_is_checked(
    client: TestClient,
    make_user: Callable[..., User],
    make_token: Callable[..., str],
    signed_in: Callable[..., User],
) -> None:
    user = make_user("viewer")
    no_cases = make_token(user, ["posts:read"])
    denied = client.get("/api/v1/inbox/reports", headers={"Authorization": f"Bearer {no_cases}"})
    assert denied.status_code == 403
    allowed = make_token(user, ["cases:read"])
    bad = client.get(
        "/api/v1/inbox/reports?since=2026-03-09&until=2026-03-01",
        headers={"Authorization": f"Bearer {allowed}"},
    )
    assert bad.status_code == 422
    assert bad.headers["content-type"].startswith("application/problem+json")
    assert "swap" in bad.json()["detail"]
