"""Worker wiring: triage new posts, react to new cases, and the inbox's periodic jobs.

* ``PostIngested`` and ``PostsEnriched`` (batch): triage the posts already enriched; the
  ``inbox.triage`` sweep picks up any enriched post still without a decision (a lost event,
  enrichment done before the inbox was installed).
* ``PostEdited`` (batch): a post skipped while it had no text (an Instagram mention read
  later) is triaged again once its first text arrives; enrichment, an earlier subscriber, has
  re-read it and announces it with ``PostsEnriched``.
* ``CaseOpened``: auto-assignment (``auto`` routing) and the automatic acknowledgement.
* ``AuthorAccountChanged`` that erased an author's posts: close their cases left empty.
* Jobs: SLA at-risk/missed checks, escalation of unanswered cases, snoozes that end, and
  retries of replies a transient failure left unpublished.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from tocsin.config import Settings
from tocsin.enrichment.events import PostsEnriched
from tocsin.events.models import OutboxEvent
from tocsin.events.outbox import Subscribers
from tocsin.events.types import Event, PostEdited, PostIngested
from tocsin.inbox.account_status import close_cases_of_erased_author
from tocsin.inbox.auto_ack import acknowledge
from tocsin.inbox.automation.rules import no_reply_job, run_post_received, subscribe_rules
from tocsin.inbox.cases import SYSTEM, set_status
from tocsin.inbox.events import CaseOpened
from tocsin.inbox.models import Case
from tocsin.inbox.publishing import PublisherRegistry, default_registry
from tocsin.inbox.replies import retry_unpublished
from tocsin.inbox.routing import auto_assign, escalate_unanswered
from tocsin.inbox.sla.engine import check_slas
from tocsin.inbox.triage import forget_textless_skips, triage_posts, untriaged_enriched
from tocsin.ingestion.events import AuthorAccountChanged
from tocsin.types import utcnow
from tocsin.workers.registry import Job


def on_case_opened(session: Session, case_id: int, registry: PublisherRegistry) -> None:
    case = session.get(Case, case_id)
    if case is None:
        return
    now = utcnow()
    auto_assign(session=session, case=case, now=now)
    acknowledge(session=session, case=case, now=now, registry=registry)


def subscribe(subscribers: Subscribers, settings: Settings) -> None:
    def on_ingested(session: Session, events: Sequence[Event]) -> None:
        ids = [e.post_id for e in events if isinstance(e, PostIngested)]
        now = utcnow()
        report = triage_posts(session=session, post_ids=ids, now=now)
        run_post_received(
            session=session, post_ids=report.decided, now=now, registry=default_registry()
        )

    def on_opened(session: Session, event: Event, _row: OutboxEvent) -> None:
        assert isinstance(event, CaseOpened)
        on_case_opened(session, event.case_id, default_registry())

    def on_enriched(session: Session, events: Sequence[Event]) -> None:
        ids = [i for e in events if isinstance(e, PostsEnriched) for i in e.post_ids]
        now = utcnow()
        report = triage_posts(session=session, post_ids=ids, now=now)
        run_post_received(
            session=session, post_ids=report.decided, now=now, registry=default_registry()
        )

    def on_account_changed(session: Session, event: Event, _row: OutboxEvent) -> None:
        assert isinstance(event, AuthorAccountChanged)
        if event.erased:
            close_cases_of_erased_author(
                session=session, author_id=event.author_id, status=event.status, now=utcnow()
            )

    def on_edited(session: Session, events: Sequence[Event]) -> None:
        edits = [(e.post_id, e.version) for e in events if isinstance(e, PostEdited)]
        forget_textless_skips(session=session, edits=edits)

    subscribers.subscribe_batch(PostIngested.name, on_ingested)
    subscribers.subscribe_batch(PostsEnriched.name, on_enriched)
    subscribers.subscribe_batch(PostEdited.name, on_edited)
    subscribers.subscribe(CaseOpened.name, on_opened)
    subscribers.subscribe(AuthorAccountChanged.name, on_account_changed)
    subscribe_rules(subscribers, settings)


def sweep_triage(factory: sessionmaker[Session], _settings: Settings) -> str:
    with factory() as session:
        ids = untriaged_enriched(session=session)
        now = utcnow()
        report = triage_posts(session=session, post_ids=ids, now=now)
        run_post_received(
            session=session, post_ids=report.decided, now=now, registry=default_registry()
        )
        session.commit()
    return f"{len(report.opened)} opened, {len(report.joined)} joined, {report.skipped} skipped"


def sweep_slas(factory: sessionmaker[Session], _settings: Settings) -> str:
    with factory() as session:
        at_risk, missed = check_slas(session=session, now=utcnow())
        session.commit()
    return f"{at_risk} at risk, {missed} missed"


def sweep_escalations(factory: sessionmaker[Session], settings: Settings) -> str:
    with factory() as session:
        count = escalate_unanswered(session=session, now=utcnow(), base_url=settings.base_url)
        session.commit()
    return f"{count} escalated"


def wake_snoozed(factory: sessionmaker[Session], _settings: Settings) -> str:
    now = utcnow()
    with factory() as session:
        cases = session.scalars(
            select(Case).where(Case.status == "snoozed", Case.snoozed_until <= now)
        ).all()
        for case in cases:
            set_status(session=session, case=case, status="open", actor=SYSTEM, now=now)
        session.commit()
    return f"{len(cases)} woken"


def retry_replies(factory: sessionmaker[Session], _settings: Settings) -> str:
    with factory() as session:
        sent = retry_unpublished(session=session, registry=default_registry(), now=utcnow())
        session.commit()
    return f"{sent} published"


def jobs(settings: Settings) -> list[Job]:
    return [
        Job(name="inbox.triage", interval_seconds=20, run=sweep_triage),
        Job(name="inbox.sla", interval_seconds=15, run=sweep_slas),
        Job(name="inbox.escalate", interval_seconds=60, run=sweep_escalations),
        Job(name="inbox.snooze", interval_seconds=60, run=wake_snoozed),
        Job(name="inbox.replies", interval_seconds=60, run=retry_replies),
        Job(name="inbox.rules.no_reply", interval_seconds=60, run=no_reply_job),
    ]
