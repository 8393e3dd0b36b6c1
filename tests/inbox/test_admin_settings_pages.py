"""/inbox/settings: the General and Brand voice tabs, editing rows in place, the rule builder's
vocabulary, CSRF and escaping of hostile names."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from html import unescape

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from tests.web.conftest import csrf_from
from tocsin.accounts.models import User
from tocsin.inbox.admin.vocabulary import OPERATORS
from tocsin.inbox.automation.actions import ACTIONS
from tocsin.inbox.automation.conditions import FIELDS
from tocsin.inbox.automation.models import AutomationRule
from tocsin.inbox.automation.rules import RULE_EVENTS
from tocsin.inbox.models import Case, InboxSettings
from tocsin.inbox.reply_models import CannedReply, VoiceProfile
from tocsin.inbox.sla.models import BusinessCalendar, SlaPolicy
from tocsin.privacy.models import AuditLog
from tocsin.web.i18n import catalogue

HOSTILE = '<img src=x onerror="alert(1)">'


def _token(client: TestClient, tab: str) -> str:
    return csrf_from(client.get(f"/inbox/settings?tab={tab}").text)


def test_general_tab_edits_the_settings_row(
    client: TestClient, signed_in: Callable[..., User], session_factory: sessionmaker[Session]
) -> None:
    signed_in("admin")
    with session_factory() as s:
        cal = BusinessCalendar(name="Madrid", time_zone="Europe/Madrid", weekly={})
        s.add(cal)
        s.commit()
    page = client.get("/inbox/settings")  # the first tab an admin sees
    assert 'id="general-form"' in page.text
    assert 'name="routing_mode" value="queue" checked' in page.text
    for lang in ("en", "fr", "es", "nl"):
        assert f'name="redirect_{lang}"' in page.text
    assert 'name="visibility_facebook"' in page.text and ">Madrid</option>" in page.text

    form = {
        "routing_mode": "auto",
        "follow_up_window_minutes": "120",
        "escalation_minutes": "45",
        "default_handle_minutes": "12",
        "calendar_id": str(cal.id),
        "auto_ack_period_minutes": "600",
        "visibility_facebook": "private",
        "visibility_x": "public",
        "redirect_fr": "Appelez le 01 23 45 67 89",
        "redirect_nl": HOSTILE,
        "redirect_de": "Rufen Sie uns an",
    }
    assert client.post("/inbox/settings/general", data=form).status_code == 403  # no CSRF
    token = _token(client, "general")
    saved = client.post("/inbox/settings/general", data=form | {"csrf_token": token})
    assert saved.status_code == 303, saved.text
    with session_factory() as s:
        row = s.get(InboxSettings, 1)
        assert row is not None
        assert row.routing_mode == "auto" and row.escalation_minutes == 45
        assert row.auto_ack_enabled is False  # the box was not ticked
        assert row.auto_ack_visibility == {"facebook": "private"}
        assert row.auto_ack_redirect["de"] == "Rufen Sie uns an"
        assert row.calendar_id == cal.id and row.follow_up_window_minutes == 120
        assert s.scalars(select(AuditLog).where(AuditLog.action == "inbox.settings.updated")).one()
    again = client.get("/inbox/settings?tab=general").text
    assert 'name="routing_mode" value="auto" checked' in again
    assert 'name="redirect_de"' in again  # a stored language keeps its field
    assert "&lt;img src=x" in again and HOSTILE not in again

    bad = client.post(
        "/inbox/settings/general",
        data=form | {"csrf_token": token, "escalation_minutes": "0", "visibility_x": "loud"},
    )
    assert bad.status_code == 422
    assert "/escalation_minutes" in bad.text and "/auto_ack_visibility/x" in bad.text
    assert 'value="Rufen Sie uns an"' in bad.text  # what was typed stays
    with session_factory() as s:
        assert s.get(InboxSettings, 1).escalation_minutes == 45  # type: ignore[union-attr]


def test_agents_do_not_see_or_post_the_general_tab(
    client: TestClient, signed_in: Callable[..., User]
) -> None:
    signed_in("agent")
    page = client.get("/inbox/settings?tab=general")
    assert "tab=general" not in page.text and 'id="general-form"' not in page.text
    token = csrf_from(page.text)
    refused = client.post("/inbox/settings/general", data={"csrf_token": token})
    assert refused.status_code == 403
    assert client.post("/inbox/settings/voice", data={"csrf_token": token}).status_code == 403


def test_brand_voice_tab_then_the_composer_warns(
    client: TestClient,
    signed_in: Callable[..., User],
    session_factory: sessionmaker[Session],
) -> None:
    signed_in("manager")
    token = _token(client, "voice")
    created = client.post(
        "/inbox/settings/voice",
        data={
            "csrf_token": token,
            "brand_id": "",
            "banned_words": "cheap\n" + HOSTILE,
            "required_fr": "Cordialement",
            "max_length_x": "120",
        },
    )
    assert created.status_code == 303, created.text
    listing = client.get("/inbox/settings?tab=voice").text
    assert "&lt;img src=x" in listing and HOSTILE not in listing
    twice = client.post("/inbox/settings/voice", data={"csrf_token": token, "brand_id": ""})
    assert twice.status_code == 422 and "already has a voice profile" in unescape(twice.text)
    with session_factory() as s:
        profile = s.scalars(select(VoiceProfile)).one()
        assert profile.banned_words == ["cheap", HOSTILE] and profile.max_lengths == {"x": 120}
        now = datetime.now(UTC)
        case = Case(platform="x", lang="en", opened_at=now, last_inbound_at=now)
        s.add(case)
        s.commit()

    edit = client.get(f"/inbox/settings?tab=voice&profile={profile.id}").text
    assert f'action="/inbox/settings/voice/{profile.id}"' in edit
    updated = client.post(
        f"/inbox/settings/voice/{profile.id}",
        data={"csrf_token": token, "brand_id": "", "banned_words": "refund", "max_length_x": ""},
    )
    assert updated.status_code == 303
    check = client.post(
        f"/inbox/cases/{case.id}/check",
        data={"csrf_token": token, "text": "We can offer a refund today."},
    ).json()
    assert [i["code"] for i in check["voice"]] == ["banned_word"]
    assert "refund" in check["voice"][0]["message"]
    fine = client.post(
        f"/inbox/cases/{case.id}/check", data={"csrf_token": token, "text": "cheap " * 30}
    ).json()
    assert fine["voice"] == []  # the old word and the 120-character cap are gone


def test_edit_actions_fill_the_form_and_save_through_the_update_path(
    client: TestClient, signed_in: Callable[..., User], session_factory: sessionmaker[Session]
) -> None:
    signed_in("admin")
    with session_factory() as s:
        cal = BusinessCalendar(name="Lyon", time_zone="Europe/Paris", weekly={})
        policy = SlaPolicy(
            name="X fast",
            platform="x",
            first_response_minutes=5,
            next_response_minutes=5,
            resolution_minutes=60,
            enabled=False,
        )
        canned = CannedReply(name="hello", lang="en", text="Hi {first_name}")
        s.add_all([cal, policy, canned])
        s.commit()
    sla = client.get(f"/inbox/settings?tab=sla&calendar={cal.id}").text
    assert f'action="/inbox/settings/calendars/{cal.id}"' in sla and 'value="Lyon"' in sla
    token = csrf_from(sla)
    saved = client.post(
        f"/inbox/settings/calendars/{cal.id}",
        data={
            "csrf_token": token,
            "name": "Lyon office",
            "time_zone": "Europe/Paris",
            "weekly": "mon 08:00-17:00",
            "holidays": "2026-05-01",
        },
    )
    assert saved.status_code == 303
    bad = client.post(
        f"/inbox/settings/calendars/{cal.id}",
        data={"csrf_token": token, "name": "Lyon office", "time_zone": "Mars/Olympus"},
    )
    assert bad.status_code == 422 and f'action="/inbox/settings/calendars/{cal.id}"' in bad.text

    form = client.get(f"/inbox/settings?tab=sla&policy={policy.id}").text
    assert f'action="/inbox/settings/policies/{policy.id}"' in form
    assert (
        client.post(
            f"/inbox/settings/policies/{policy.id}",
            data={
                "csrf_token": token,
                "name": "X faster",
                "platform": "x",
                "first_response_minutes": "3",
                "resolution_minutes": "60",
                "calendar_id": str(cal.id),
            },
        ).status_code
        == 303
    )

    assert (
        f'action="/inbox/settings/canned/{canned.id}"'
        in client.get(f"/inbox/settings?tab=canned&canned={canned.id}").text
    )
    assert (
        client.post(
            f"/inbox/settings/canned/{canned.id}",
            data={"csrf_token": token, "name": "hello", "lang": "fr", "text": HOSTILE},
        ).status_code
        == 303
    )
    canned_tab = client.get("/inbox/settings?tab=canned").text
    assert "&lt;img src=x" in canned_tab and HOSTILE not in canned_tab
    with session_factory() as s:
        assert s.get(BusinessCalendar, cal.id).weekly == {"mon": [["08:00", "17:00"]]}  # type: ignore[union-attr]
        stored = s.get(SlaPolicy, policy.id)
        assert stored is not None and stored.name == "X faster"
        assert stored.first_response_minutes == 3 and stored.next_response_minutes == 3
        assert stored.calendar_id == cal.id and stored.enabled is False  # the switch is kept
        assert s.get(CannedReply, canned.id).lang == "fr"  # type: ignore[union-attr]
        updates = s.scalars(select(AuditLog.action).where(AuditLog.action.like("%.updated")))
        assert set(updates) >= {
            "inbox.calendar.updated",
            "inbox.sla_policy.updated",
            "inbox.canned_reply.updated",
        }


def test_rules_tab_builder_vocabulary_edit_and_hostile_names(
    client: TestClient, signed_in: Callable[..., User], session_factory: sessionmaker[Session]
) -> None:
    signed_in("manager")
    token = _token(client, "rules")
    created = client.post(
        "/inbox/settings/rules",
        data={
            "csrf_token": token,
            "name": HOSTILE,
            "event": "post.received",
            "conditions": '{"all": [{"field": "post.lang", "op": "eq", "value": "fr"}]}',
            "actions": '[{"type": "tag", "tags": ["fr"]}]',
        },
    )
    assert created.status_code == 303, created.text
    with session_factory() as s:
        rule = s.scalars(select(AutomationRule)).one()
        rule.enabled, rule.position = False, 40
        s.commit()
    page = client.get(f"/inbox/settings?tab=rules&rule={rule.id}").text
    assert HOSTILE not in page and "&lt;img src=x" in page
    assert '<script src="/static/js/inbox-rules.js" defer></script>' in page
    assert f'action="/inbox/settings/rules/{rule.id}"' in page
    raw = page.split("data-vocabulary='", 1)[1].split("'", 1)[0]
    vocab = json.loads(unescape(raw))
    assert [f["name"] for f in vocab["fields"]] == list(FIELDS)
    assert [o["name"] for o in vocab["operators"]] == list(OPERATORS)
    assert [a["name"] for a in vocab["actions"]] == list(ACTIONS)
    assert {f["name"]: f["label"] for f in vocab["fields"]}["post.lang"] == "Post language"

    refused = client.post(
        f"/inbox/settings/rules/{rule.id}",
        data={"csrf_token": token, "name": "French", "event": "post.received", "actions": "[]"},
    )
    assert (
        refused.status_code == 422 and f'action="/inbox/settings/rules/{rule.id}"' in refused.text
    )
    saved = client.post(
        f"/inbox/settings/rules/{rule.id}",
        data={
            "csrf_token": token,
            "name": "French",
            "event": "case.opened",
            "conditions": "",
            "actions": '[{"type": "set_priority", "priority": 60}]',
        },
    )
    assert saved.status_code == 303
    with session_factory() as s:
        stored = s.get(AutomationRule, rule.id)
        assert stored is not None and stored.name == "French" and stored.conditions == {}
        assert stored.enabled is False and stored.position == 40


def test_every_builder_word_has_a_label_in_every_language() -> None:
    from tocsin.inbox.admin.vocabulary import action_params

    wanted = {f"inbox.admin.field.{f}" for f in FIELDS}
    wanted |= {f"inbox.admin.op.{o}" for o in OPERATORS}
    wanted |= {f"inbox.admin.action.{a}" for a in ACTIONS}
    wanted |= {f"inbox.admin.event.{e}" for e in RULE_EVENTS}
    from tocsin.web.i18n import Translator

    t = Translator.for_locale("en")
    wanted |= {f"inbox.admin.param.{p['name']}" for a in ACTIONS for p in action_params(t, a)}
    for locale in ("en", "fr", "es", "nl"):
        assert sorted(wanted - set(catalogue(locale))) == [], locale
