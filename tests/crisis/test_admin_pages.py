"""``/crisis/settings`` and the war room's owner/severity forms: CSRF, roles, escaping, effects."""

from __future__ import annotations

import re
from collections.abc import Callable

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from tests.crisis.conftest import make_brand
from tests.web.conftest import csrf_from
from tocsin.accounts.models import User
from tocsin.brands.models import Brand
from tocsin.crisis.incident_models import PlaybookTemplate, StatementTemplate
from tocsin.crisis.incidents import open_incident
from tocsin.crisis.models import EscalationPolicy, RadarPolicy
from tocsin.notifications.models import NotificationChannel
from tocsin.privacy.models import AuditLog

HOSTILE = '<script>alert("x")</script>'
ESCAPED = "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;"


def _forms_have_csrf(html: str) -> int:
    forms = re.findall(r'<form method="post".*?</form>', html, flags=re.S)
    for form in forms:
        assert 'name="csrf_token"' in form, form[:200]
    return len(forms)


def _seed(factory: sessionmaker[Session]) -> tuple[int, str]:
    with factory() as s:
        channel = NotificationChannel(name="ops-slack", kind="in_app", config={})
        s.add(channel)
        brand = make_brand(s, "Lumio")
        s.commit()
        return channel.id, brand.slug


def test_managers_get_every_tab_with_csrf_and_links_from_crisis_and_settings(
    client: TestClient, signed_in: Callable[..., User], session_factory: sessionmaker[Session]
) -> None:
    _seed(session_factory)
    signed_in("manager")
    assert 'href="/crisis/settings"' in client.get("/crisis").text
    assert 'href="/crisis/settings"' in client.get("/settings").text
    for tab in ("radar", "escalation", "statements", "playbooks"):
        page = client.get(f"/crisis/settings?tab={tab}")
        assert page.status_code == 200, tab
        assert _forms_have_csrf(page.text) >= 1, tab
    statements = client.get("/crisis/settings?tab=statements").text
    assert "Nous savons que certains clients" in statements  # the built-in French text
    assert "Name an owner and a spokesperson" in client.get("/crisis/settings?tab=playbooks").text


def test_an_agent_reads_the_settings_but_cannot_change_them(
    client: TestClient, signed_in: Callable[..., User], session_factory: sessionmaker[Session]
) -> None:
    _seed(session_factory)
    signed_in("agent")
    page = client.get("/crisis/settings?tab=escalation")
    assert page.status_code == 200 and 'id="settings-readonly"' in page.text
    assert 'action="/crisis/settings/' not in page.text
    assert 'href="/crisis/settings"' not in client.get("/settings").text
    token = csrf_from(client.get("/settings").text)
    for url, data in (
        ("/crisis/settings/escalation", {"name": "x", "delay_0": "0"}),
        ("/crisis/settings/radar/default", {"min_volume": "3"}),
        ("/crisis/settings/playbooks/default", {"items": "a"}),
        ("/crisis/incidents/1/owner", {"owner_id": ""}),
    ):
        assert client.post(url, data={"csrf_token": token, **data}).status_code == 403, url


def test_forms_without_the_csrf_token_are_refused(
    client: TestClient, signed_in: Callable[..., User], session_factory: sessionmaker[Session]
) -> None:
    _seed(session_factory)
    signed_in("manager")
    refused = client.post("/crisis/settings/radar/default", data={"min_volume": "3"})
    assert refused.status_code == 403
    with session_factory() as s:
        assert s.scalar(select(RadarPolicy)) is None


def test_escalation_policy_form_with_two_steps_escapes_the_name_and_reports_errors(
    client: TestClient, signed_in: Callable[..., User], session_factory: sessionmaker[Session]
) -> None:
    channel_id, _ = _seed(session_factory)
    lead = signed_in("manager", name="Lea Lead")
    token = csrf_from(client.get("/crisis/settings?tab=escalation").text)
    form = {
        "csrf_token": token,
        "name": HOSTILE,
        "delay_0": "0",
        "channels_0": str(channel_id),
        "delay_1": "0",
        "users_1": str(lead.id),
    }
    refused = client.post("/crisis/settings/escalation", data=form)
    assert refused.status_code == 422
    assert "#2: step 2 must wait at least 1 minute" in refused.text
    assert ESCAPED in refused.text and HOSTILE not in refused.text  # kept, escaped
    created = client.post("/crisis/settings/escalation", data={**form, "delay_1": "20"})
    assert created.status_code == 303
    with session_factory() as s:
        policy = s.scalar(select(EscalationPolicy))
        assert policy is not None and policy.name == HOSTILE
        assert policy.steps == [
            {"delay_minutes": 0, "channel_ids": [channel_id], "user_ids": []},
            {"delay_minutes": 20, "channel_ids": [], "user_ids": [lead.id]},
        ]
        audited = s.scalar(
            select(AuditLog).where(AuditLog.action == "crisis.escalation_policy.create")
        )
        assert audited is not None and audited.actor_user_id == lead.id
    listing = client.get("/crisis/settings?tab=escalation").text
    assert ESCAPED in listing and HOSTILE not in listing and "ops-slack" in listing
    edit = client.get(f"/crisis/settings?tab=escalation&edit={policy.id}").text
    assert f'action="/crisis/settings/escalation/{policy.id}"' in edit
    assert 'name="delay_1" min="0" max="10080" size="5" value="20"' in edit
    assert 'name="delay_2"' in edit and 'name="delay_3"' in edit  # blank rows to add steps

    client.post(
        "/crisis/settings/radar/default",
        data={"csrf_token": token, "auto_incident": "critical", "cooldown_minutes": "60",
              "episode_gap_minutes": "90", "min_volume": "8",
              "escalation_policy_id": str(policy.id)},
    )  # fmt: skip
    in_use = client.post(
        f"/crisis/settings/escalation/{policy.id}/delete", data={"csrf_token": token}
    )
    assert in_use.status_code == 409 and "default" in in_use.text


def test_radar_and_playbook_forms_save_revert_and_validate(
    client: TestClient, signed_in: Callable[..., User], session_factory: sessionmaker[Session]
) -> None:
    _, slug = _seed(session_factory)
    signed_in("manager")
    token = csrf_from(client.get("/crisis/settings").text)
    values = {
        "csrf_token": token,
        "auto_incident": "never",
        "cooldown_minutes": "30",
        "episode_gap_minutes": "60",
        "min_volume": "25",
    }
    assert client.post(f"/crisis/settings/radar/{slug}", data=values).status_code == 303
    bad = client.post(f"/crisis/settings/radar/{slug}", data={**values, "min_volume": "zero"})
    assert bad.status_code == 422 and "min_volume" in bad.text
    assert client.post("/crisis/settings/radar/nope", data=values).status_code == 404
    with session_factory() as s:
        row = s.scalar(select(RadarPolicy))
        assert row is not None and (row.auto_incident, row.min_volume) == ("never", 25)
    page = client.get("/crisis/settings").text
    assert 'id="radar-' + slug + '"' in page
    client.post(f"/crisis/settings/radar/{slug}", data={"csrf_token": token, "op": "revert"})
    with session_factory() as s:
        assert s.scalar(select(RadarPolicy)) is None

    url = f"/crisis/settings/playbooks/{slug}"
    saved = client.post(url, data={"csrf_token": token, "items": f"Call legal\n\n{HOSTILE}\n"})
    assert saved.status_code == 303
    page = client.get(f"/crisis/settings?tab=playbooks&scope={slug}").text
    assert ESCAPED in page and HOSTILE not in page
    with session_factory() as s:
        row_items = s.scalar(select(PlaybookTemplate.items))
        assert row_items == ["Call legal", HOSTILE]
    assert client.post(url, data={"csrf_token": token, "items": "  \n"}).status_code == 422
    client.post(url, data={"csrf_token": token, "op": "revert"})
    with session_factory() as s:
        assert s.scalar(select(PlaybookTemplate)) is None


def test_statement_template_form_previews_escapes_and_names_unknown_placeholders(
    client: TestClient, signed_in: Callable[..., User], session_factory: sessionmaker[Session]
) -> None:
    _, slug = _seed(session_factory)
    signed_in("manager")
    token = csrf_from(client.get("/crisis/settings?tab=statements").text)
    url = f"/crisis/settings/statements/{slug}/nl"
    unknown = client.post(url, data={"csrf_token": token, "body": "Hallo {klant}"})
    assert unknown.status_code == 422 and "unknown placeholder {klant}" in unknown.text
    preview = client.post(
        url, data={"csrf_token": token, "op": "preview", "body": "{brand} — {issue} " + HOSTILE}
    )
    assert preview.status_code == 200
    assert "Lumio — a problem " + ESCAPED in preview.text and HOSTILE not in preview.text
    with session_factory() as s:
        assert s.scalar(select(StatementTemplate)) is None  # a preview stores nothing
    saved = client.post(url, data={"csrf_token": token, "body": HOSTILE + " {brand}"})
    assert saved.status_code == 303
    page = client.get(f"/crisis/settings?tab=statements&scope={slug}").text
    assert ESCAPED in page and HOSTILE not in page
    german = client.post(f"/crisis/settings/statements/{slug}/de", data={"csrf_token": token})
    assert german.status_code == 404
    client.post(url, data={"csrf_token": token, "op": "revert"})
    with session_factory() as s:
        assert s.scalar(select(StatementTemplate)) is None


def test_war_room_owner_and_severity_changes_land_on_the_timeline(
    client: TestClient,
    signed_in: Callable[..., User],
    make_user: Callable[..., User],
    session_factory: sessionmaker[Session],
) -> None:
    _seed(session_factory)
    lead = signed_in("manager", name="Lea Lead")
    other = make_user("manager", name="Omar Other")
    agent = make_user("agent", name="Agnes Agent")
    with session_factory() as s:
        brand_id = s.scalar(select(Brand.id))
        assert brand_id is not None
        incident = open_incident(session=s, brand_id=brand_id, title="Outage", owner_id=lead.id)
        s.commit()
    room = f"/crisis/incidents/{incident.id}"
    page = client.get(room).text
    owner_form = page[page.index('id="incident-owner-form"') :].split("</form>")[0]
    assert "Omar Other" in owner_form and "Agnes Agent" not in owner_form
    token = csrf_from(page)
    refused = client.post(f"{room}/owner", data={"csrf_token": token, "owner_id": str(agent.id)})
    assert refused.status_code == 422
    assert (
        client.post(
            f"{room}/owner", data={"csrf_token": token, "owner_id": str(other.id)}
        ).status_code
        == 303
    )
    assert (
        client.post(
            f"{room}/severity", data={"csrf_token": token, "severity": "critical"}
        ).status_code
        == 303
    )
    page = client.get(room).text
    assert "Owner changed from Lea Lead to Omar Other by Lea Lead" in page
    assert "Severity changed from warning to critical by Lea Lead" in page
    assert '<span id="incident-owner-name">Omar Other</span>' in page
    with session_factory() as s:
        actions: list[str] = list(
            s.scalars(select(AuditLog.action).where(AuditLog.target_type == "incident"))
        )
        assert actions == ["crisis.incident.update", "crisis.incident.update"]
