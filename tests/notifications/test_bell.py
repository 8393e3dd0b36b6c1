"""The bell: in-app notifications per user, broadcast ones read per user, the badge."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from tests.notifications.conftest import csrf_from
from tocsin.notifications.inapp import list_for_user, mark_all_read, mark_read, unread_count
from tocsin.notifications.models import InAppNotification
from tocsin.types import utcnow


def _note(session, key, user_id=None, minutes=0, **kw):
    note = InAppNotification(
        user_id=user_id,
        key=key,
        subject=kw.pop("subject", f"Alert {key}"),
        created_at=utcnow() - timedelta(minutes=minutes),
        **kw,
    )
    session.add(note)
    session.flush()
    return note


def test_a_broadcast_read_by_one_user_stays_unread_for_the_others(session, make_user):
    ann, bob = make_user("agent"), make_user("manager")
    shared = _note(session, "alert:1", minutes=5)
    _note(session, "case:9", user_id=ann.id, minutes=1)
    _note(session, "case:10", user_id=bob.id)
    assert unread_count(session=session, user_id=ann.id) == 2
    assert [n.key for n in list_for_user(session=session, user_id=ann.id)] == ["case:9", "alert:1"]

    assert mark_read(session=session, user_id=ann.id, notification_id=shared.id)
    assert mark_read(session=session, user_id=ann.id, notification_id=shared.id)  # twice: fine
    assert unread_count(session=session, user_id=ann.id) == 1
    assert unread_count(session=session, user_id=bob.id) == 2
    seen = list_for_user(session=session, user_id=ann.id)
    assert [(n.key, n.user_id, n.read_at is not None) for n in seen] == [
        ("case:9", ann.id, False),
        ("alert:1", ann.id, True),  # her own read copy replaces the shared row
    ]
    mine = session.scalar(select(InAppNotification).where(InAppNotification.key == "case:10"))
    assert not mark_read(session=session, user_id=ann.id, notification_id=mine.id)  # not hers
    assert mark_all_read(session=session, user_id=bob.id) == 2
    assert unread_count(session=session, user_id=bob.id) == 0


def test_bell_page_badge_and_mark_read(client, signed_in, session):
    user = signed_in("agent")
    _note(session, "alert:7", subject="<b>Spike</b> for Lumio", url="javascript:alert(1)")
    _note(session, "alert:8", user_id=user.id, url="http://127.0.0.1:8000/crisis/alerts/8")
    session.commit()
    home = client.get("/settings")
    assert 'hx-get="/notifications/badge"' in home.text and 'href="/notifications"' in home.text
    badge = client.get("/notifications/badge")
    assert badge.status_code == 200 and 'data-unread="2"' in badge.text

    page = client.get("/notifications")
    assert page.status_code == 200
    assert "&lt;b&gt;Spike&lt;/b&gt;" in page.text and "<b>Spike" not in page.text
    assert "javascript:" not in page.text
    assert 'href="http://127.0.0.1:8000/crisis/alerts/8"' in page.text
    shared = session.scalar(select(InAppNotification).where(InAppNotification.key == "alert:7"))
    token = csrf_from(page.text)
    assert client.post(f"/notifications/{shared.id}/read").status_code == 403  # no CSRF token
    done = client.post(f"/notifications/{shared.id}/read", data={"csrf_token": token})
    assert done.status_code == 303 and done.headers["location"] == "/notifications"
    assert 'data-unread="1"' in client.get("/notifications/badge").text
    client.post("/notifications/read-all", data={"csrf_token": token})
    assert "data-unread" not in client.get("/notifications/badge").text
    assert shared.read_at is None  # the shared row itself is untouched
