"""A scripted day on a simulated clock: 500 posts, four platforms, four languages.

Post ``i`` arrives at ``T0 + 2i`` minutes from its own author on platform
``[x, bluesky, facebook, review][i % 4]`` in language ``[en, fr, es, nl][(i // 4) % 4]``.
Every 10th post (``i % 10 == 9``) needs no reply; posts with ``i % 13 == 12`` are never
answered; the others get a human reply ``(7i) % 50`` minutes after they arrive.  T0 is a
Saturday, out of the team's hours, so every case also gets one automatic acknowledgement
at once — which must not count as a response.

Worked out by hand for the first ten posts (i = 0…9; i = 9 needs no reply)::

    i  platform  lang  delay  target  state
    0  x         en     0     15      hit
    1  bluesky   en     7     30      hit
    2  facebook  en    14     60      hit
    3  review    en    21   1440      hit
    4  x         fr    28     15      missed
    5  bluesky   fr    35     30      missed
    6  facebook  fr    42     60      hit
    7  review    fr    49   1440      hit
    8  x         es     6     15      hit

    attainment 7/9 = 77.78 %; x 2/3, bluesky 1/2, facebook 2/2, review 2/2;
    en 4/4, fr 2/4, es 1/1; first response mean 202/9 = 22.44 min, median 21 min;
    9 automatic and 9 human replies.
"""

from __future__ import annotations

import heapq
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests.inbox.conftest import PostFactory
from tocsin.inbox.auto_ack import acknowledge
from tocsin.inbox.models import Case
from tocsin.inbox.publishing import PublisherRegistry
from tocsin.inbox.replies import send_reply
from tocsin.inbox.reports import reply_counts, response_times, sla_attainment
from tocsin.inbox.sla.engine import check_slas
from tocsin.inbox.sla.models import AppliedSla, BusinessCalendar
from tocsin.inbox.sla.policies import ensure_default_policies, inbox_settings
from tocsin.inbox.triage import triage_posts
from tocsin.privacy.pii import PiiDetector

T0 = datetime(2026, 5, 9, 8, 0, tzinfo=UTC)  # Saturday
PLATFORMS = ("x", "bluesky", "facebook", "review")
LANGS = ("en", "fr", "es", "nl")
N = 500


def _run(
    session: Session,
    make_post: PostFactory,
    agent_id: int,
    registry: PublisherRegistry,
    detector: PiiDetector,
) -> dict[int, int]:
    from tocsin.accounts.models import User

    agent = session.get(User, agent_id)
    assert agent is not None
    queue: list[tuple[datetime, int, str, int]] = []
    for i in range(N):
        heapq.heappush(queue, (T0 + timedelta(minutes=2 * i), 0, "arrive", i))
    case_of: dict[int, int] = {}
    while queue:
        now, _order, kind, i = heapq.heappop(queue)
        if kind == "arrive":
            check_slas(session=session, now=now)
            post = make_post(
                created_at=now,
                platform=PLATFORMS[i % 4],
                lang=LANGS[(i // 4) % 4],
                handle=f"person{i}",
                text=f"Question number {i}",
                needs_reply=i % 10 != 9,
            )
            report = triage_posts(session=session, post_ids=[post.id], now=now)
            if report.opened:
                case = session.get(Case, report.opened[0])
                assert case is not None
                case_of[i] = case.id
                assert acknowledge(session=session, case=case, now=now, registry=registry).sent
                if i % 13 != 12:
                    heapq.heappush(queue, (now + timedelta(minutes=(7 * i) % 50), 1, "reply", i))
        else:
            case = session.get(Case, case_of[i])
            assert case is not None
            send_reply(
                session=session,
                case=case,
                user=agent,
                text=f"Hello, here is the answer {i}.",
                now=now,
                registry=registry,
                detector=detector,
            )
    check_slas(session=session, now=T0 + timedelta(days=3))
    return case_of


@pytest.mark.slow
def test_simulated_day_matches_hand_computed_values(
    session: Session,
    make_post: PostFactory,
    make_agent,
    registry: PublisherRegistry,
    fast_pii: PiiDetector,  # type: ignore[no-untyped-def]
) -> None:
    ensure_default_policies(session=session)  # 24/7 SLA clocks
    office = BusinessCalendar(
        name="office",
        time_zone="UTC",
        weekly={d: [["09:00", "17:00"]] for d in ("mon", "tue", "wed", "thu", "fri")},
    )
    session.add(office)
    session.flush()
    inbox_settings(session).calendar_id = office.id  # out of hours all weekend
    case_of = _run(session, make_post, make_agent().id, registry, fast_pii)
    assert len(case_of) == N - N // 10

    since, until = T0, T0 + timedelta(minutes=2 * 10)  # the first ten posts
    overall = sla_attainment(session=session, since=since, until=until)
    assert [(r.hit, r.missed, r.percent) for r in overall] == [(7, 2, 77.78)]
    by_platform = {
        r.key: (r.hit, r.missed)
        for r in sla_attainment(session=session, since=since, until=until, group_by="platform")
    }
    assert by_platform == {"x": (2, 1), "bluesky": (1, 1), "facebook": (2, 0), "review": (2, 0)}
    by_lang = {
        r.key: r.percent
        for r in sla_attainment(session=session, since=since, until=until, group_by="language")
    }
    assert by_lang == {"en": 100.0, "fr": 50.0, "es": 100.0}
    times = response_times(session=session, since=since, until=until)
    assert [(t.count, t.mean_minutes, t.median_minutes) for t in times] == [(9, 22.44, 21.0)]
    subset = [case_of[i] for i in range(10) if i in case_of]
    assert reply_counts(
        session=session, since=T0, until=T0 + timedelta(days=1), case_ids=subset
    ) == {"automatic": 9, "human": 9}

    # The whole day: never-answered cases end missed, automatic replies met no target.
    everything = sla_attainment(session=session, since=T0, until=T0 + timedelta(days=2))
    unanswered = sum(1 for i in case_of if i % 13 == 12)
    expected_missed = sum(
        1
        for i in case_of
        if i % 13 == 12
        or (7 * i) % 50 > {"x": 15, "bluesky": 30, "facebook": 60, "review": 1440}[PLATFORMS[i % 4]]
    )
    assert everything[0].missed == expected_missed and everything[0].total == len(case_of)
    assert unanswered > 0
    open_first = session.scalar(
        select(func.count())
        .select_from(AppliedSla)
        .where(AppliedSla.target == "first_response", AppliedSla.satisfied_at.is_(None))
    )
    assert open_first == unanswered
